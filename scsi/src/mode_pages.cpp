// Default mode pages: Caching, Control, Informational Exceptions.
#include "touchstone/scsi/mode_pages.hpp"

#include <algorithm>

namespace touchstone::scsi {
namespace {

mode_page make_page(byte_buffer defaults, byte_buffer changeable) {
  mode_page p;
  p.page = defaults[0] & 0x3F;
  p.subpage = 0;
  p.current = defaults;
  p.saved = defaults;
  p.defaults = std::move(defaults);
  p.changeable = std::move(changeable);
  return p;
}

//= sbc3#6.4.5 table 172
//# Caching page 08h, PAGE LENGTH 12h; WCE is byte 2 bit 2, RCD byte 2 bit 0
mode_page caching_page() {
  byte_buffer d(20, 0), c(20, 0);
  d[0] = c[0] = mode_page_code::caching;
  d[1] = c[1] = 0x12;
  d[2] = 0x04;  // WCE=1
  c[2] = 0x04;  // WCE changeable
  return make_page(std::move(d), std::move(c));
}

//= spc4#7.5.8 table 429
//# Control page 0Ah, PAGE LENGTH 0Ah: D_SENSE byte 2 bit 2, QERR byte 3 bits 2:1,
//# SWP byte 4 bit 3, TAS byte 5 bit 6; BUSY TIMEOUT PERIOD bytes 8-9
mode_page control_page() {
  byte_buffer d(12, 0), c(12, 0);
  d[0] = c[0] = mode_page_code::control;
  d[1] = c[1] = 0x0A;
  d[3] = 0x10;  // QUEUE ALGORITHM MODIFIER 1: unrestricted reordering allowed
  d[8] = 0xFF;  // BUSY TIMEOUT PERIOD: unlimited
  d[9] = 0xFF;
  c[2] = 0x04;  // D_SENSE
  c[3] = 0x06;  // QERR
  c[4] = 0x08;  // SWP
  c[5] = 0x40;  // TAS
  return make_page(std::move(d), std::move(c));
}

//= spc4#7.5.12 table 445
//# Informational Exceptions Control page 1Ch, PAGE LENGTH 0Ah: DEXCPT byte 2 bit 3, MRIE byte 3
mode_page informational_exceptions_page() {
  byte_buffer d(12, 0), c(12, 0);
  d[0] = c[0] = mode_page_code::informational_exceptions;
  d[1] = c[1] = 0x0A;
  d[2] = 0x08;  // DEXCPT=1: no informational exception reporting
  c[2] = 0x08;
  c[3] = 0x0F;  // MRIE
  return make_page(std::move(d), std::move(c));
}

}  // namespace

const byte_buffer& mode_page::values(page_control pc) const {
  switch (pc) {
    case page_control::changeable:
      return changeable;
    case page_control::defaults:
      return defaults;
    case page_control::saved:
      return saved;
    case page_control::current:
      break;
  }
  return current;
}

mode_pages::mode_pages() {
  add(caching_page());
  add(control_page());
  add(informational_exceptions_page());
}

const mode_page* mode_pages::find(std::uint8_t page, std::uint8_t subpage) const {
  for (const auto& p : pages_)
    if (p.page == page && p.subpage == subpage) return &p;
  return nullptr;
}

mode_page* mode_pages::find(std::uint8_t page, std::uint8_t subpage) {
  for (auto& p : pages_)
    if (p.page == page && p.subpage == subpage) return &p;
  return nullptr;
}

void mode_pages::add(mode_page p) {
  if (auto* existing = find(p.page, p.subpage)) {
    *existing = std::move(p);
    return;
  }
  pages_.push_back(std::move(p));
  std::sort(pages_.begin(), pages_.end(), [](const mode_page& a, const mode_page& b) {
    return a.page != b.page ? a.page < b.page : a.subpage < b.subpage;
  });
}

void mode_pages::revert_to_saved() {
  for (auto& p : pages_) p.current = p.saved;
}

bool mode_pages::current_bit(std::uint8_t page, std::size_t byte, unsigned bit) const {
  const mode_page* p = find(page);
  return p != nullptr && get_bit(p->current, byte, bit);
}

bool mode_pages::wce() const { return current_bit(mode_page_code::caching, 2, 2); }

void mode_pages::set_wce(bool on) {
  mode_page* p = find(mode_page_code::caching);
  if (p == nullptr) return;
  for (auto* v : {&p->current, &p->saved, &p->defaults}) {
    (*v)[2] = static_cast<std::uint8_t>(on ? ((*v)[2] | 0x04) : ((*v)[2] & ~0x04));
  }
}

bool mode_pages::d_sense() const { return current_bit(mode_page_code::control, 2, 2); }
bool mode_pages::swp() const { return current_bit(mode_page_code::control, 4, 3); }
bool mode_pages::tas() const { return current_bit(mode_page_code::control, 5, 6); }

std::uint8_t mode_pages::qerr() const {
  const mode_page* p = find(mode_page_code::control);
  return p == nullptr ? 0 : static_cast<std::uint8_t>((p->current[3] >> 1) & 0x03);
}

std::uint8_t mode_pages::ua_interlock_control() const {
  const mode_page* p = find(mode_page_code::control);
  return p == nullptr ? 0 : static_cast<std::uint8_t>((p->current[4] >> 4) & 0x03);
}

}  // namespace touchstone::scsi
