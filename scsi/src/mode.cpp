// SPC-4 MODE SENSE(6)/(10) and the registration of the mode family
// (MODE SELECT lives in mode_select.cpp).
#include <algorithm>
#include <optional>

#include "mode_select.hpp"
#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"

namespace touchstone::scsi {
namespace {

constexpr std::uint8_t all_subpages = 0xFF;

//= spc4#6.11.1
//# MODE SENSE(6): DBD byte 1 bit 3, PC byte 2 bits 7:6, PAGE CODE byte 2 bits
//# 5:0, SUBPAGE CODE byte 3, ALLOCATION LENGTH byte 4
//= spc4#6.12
//# MODE SENSE(10): LLBAA byte 1 bit 4, DBD bit 3, PC/PAGE CODE byte 2, SUBPAGE
//# CODE byte 3, ALLOCATION LENGTH bytes 7-8
struct sense_cdb {
  bool ten;
  bool dbd;
  bool llbaa;
  page_control pc;
  std::uint8_t page;
  std::uint8_t subpage;
  std::uint16_t allocation;
};

sense_cdb parse(bytes_view cdb, bool ten) {
  return {ten,
          get_bit(cdb, 1, 3),
          ten && get_bit(cdb, 1, 4),
          static_cast<page_control>(cdb[2] >> 6),
          static_cast<std::uint8_t>(cdb[2] & 0x3F),
          cdb[3],
          ten ? get_be16(&cdb[7]) : std::uint16_t{cdb[4]}};
}

bool wanted(const mode_page& p, const sense_cdb& c) {
  //= spc4#6.11.1 (table: PAGE CODE and SUBPAGE CODE)
  //# 3Fh/00h every page (no subpages), 3Fh/FFh every page and subpage,
  //# nnh/FFh page nnh and all its subpages, nnh/mmh that page alone
  const bool page_matches = c.page == mode_page_code::all_pages || p.page == c.page;
  const bool subpage_matches = c.subpage == all_subpages || p.subpage == c.subpage;
  return page_matches && subpage_matches;
}

byte_buffer pages_of(const logical_unit& lu, const sense_cdb& c) {
  byte_buffer out;
  for (const mode_page& p : lu.pages().all()) {
    if (!wanted(p, c)) continue;
    const byte_buffer& v = p.values(c.pc);
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

//= sbc3#6.4.2 (short and long LBA mode parameter block descriptors)
//# short: NUMBER OF LOGICAL BLOCKS bytes 0-3 (FFFFFFFFh if larger), LOGICAL
//# BLOCK LENGTH 5-7; long: NUMBER OF LOGICAL BLOCKS 0-7, LOGICAL BLOCK LENGTH 12-15
byte_buffer block_descriptor(const logical_unit& lu, bool long_lba) {
  const std::uint64_t blocks = lu.block_count();
  if (long_lba) {
    byte_buffer d(16, 0);
    put_be64(&d[0], blocks);
    put_be32(&d[12], lu.block_size());
    return d;
  }
  byte_buffer d(8, 0);
  put_be32(&d[0], blocks > 0xFFFFFFFFULL ? 0xFFFFFFFFU : static_cast<std::uint32_t>(blocks));
  put_be24(&d[5], lu.block_size());
  return d;
}

//= sbc3#6.4.1 (device-specific parameter)
//# WP bit 7: the medium is write protected (read-only LU or SWP=1); DPOFUA
//# bit 4: DPO and FUA are supported
std::uint8_t device_specific(const logical_unit& lu) {
  const bool wp = lu.read_only() || lu.pages().swp();
  return static_cast<std::uint8_t>((wp ? 0x80 : 0x00) | 0x10);
}

//= spc4#7.5.5 (mode parameter headers)
//# (6): MODE DATA LENGTH byte 0 (n-1), MEDIUM TYPE, DEVICE-SPECIFIC PARAMETER,
//# BLOCK DESCRIPTOR LENGTH byte 3; (10): MODE DATA LENGTH bytes 0-1 (n-2),
//# MEDIUM TYPE, DEVICE-SPECIFIC PARAMETER, LONGLBA byte 4 bit 0, BLOCK
//# DESCRIPTOR LENGTH bytes 6-7
byte_buffer mode_data(const logical_unit& lu, const sense_cdb& c) {
  const byte_buffer bd = c.dbd ? byte_buffer{} : block_descriptor(lu, c.llbaa);
  const byte_buffer pages = pages_of(lu, c);
  byte_buffer b(c.ten ? 8 : 4, 0);
  if (c.ten) {
    b[3] = device_specific(lu);
    b[4] = (c.llbaa && !c.dbd) ? 0x01 : 0x00;
    put_be16(&b[6], static_cast<std::uint16_t>(bd.size()));
  } else {
    b[2] = device_specific(lu);
    b[3] = static_cast<std::uint8_t>(bd.size());
  }
  b.insert(b.end(), bd.begin(), bd.end());
  b.insert(b.end(), pages.begin(), pages.end());
  if (c.ten) {
    put_be16(&b[0], static_cast<std::uint16_t>(b.size() - 2));
  } else {
    b[0] = static_cast<std::uint8_t>(std::min<std::size_t>(b.size() - 1, 0xFF));
  }
  return b;
}

bool page_exists(const logical_unit& lu, const sense_cdb& c) {
  for (const mode_page& p : lu.pages().all())
    if (wanted(p, c)) return true;
  return false;
}

response mode_sense(command_context& ctx, bool ten) {
  const sense_cdb c = parse(ctx.cdb(), ten);
  //= spc4#6.11.1
  //# PC=11b (saved values) when saving is not implemented: ILLEGAL REQUEST,
  //# SAVING PARAMETERS NOT SUPPORTED
  if (c.pc == page_control::saved)
    return ctx.check_condition(sense_key::illegal_request, asc::saving_parameters_not_supported);
  //= spc4#6.11.1
  //# a page or subpage the logical unit does not implement: INVALID FIELD IN CDB
  if (!page_exists(*ctx.lu, c)) {
    const bool page_known = c.page == mode_page_code::all_pages || ctx.lu->pages().find(c.page) != nullptr;
    return page_known ? ctx.invalid_field_in_cdb(3) : ctx.invalid_field_in_cdb(2, 5);
  }
  byte_buffer data = mode_data(*ctx.lu, c);
  //= spc4#7.5.5
  //# MODE SENSE(6) data longer than 255 bytes cannot be described: truncated
  if (!ten && data.size() > 0x100) data.resize(0x100);
  return ctx.data_in(std::move(data), c.allocation);
}

response mode_sense_6(command_context& ctx) { return mode_sense(ctx, false); }
response mode_sense_10(command_context& ctx) { return mode_sense(ctx, true); }

}  // namespace

void register_mode(command_table& t) {
  t.add({.opcode = 0x1A, .name = "MODE SENSE(6)", .cdb_length = 6, .flags = cmd_flag::data_in,
         .access = reservation_access::reads, .run = mode_sense_6,
         .usage = {0x1A, 0x08, 0xFF, 0xFF, 0xFF, 0x00}});
  t.add({.opcode = 0x5A, .name = "MODE SENSE(10)", .cdb_length = 10, .flags = cmd_flag::data_in,
         .access = reservation_access::reads, .run = mode_sense_10,
         .usage = {0x5A, 0x18, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00}});
  t.add({.opcode = 0x15, .name = "MODE SELECT(6)", .cdb_length = 6, .flags = cmd_flag::data_out,
         .access = reservation_access::writes, .run = mode_select_6,
         .usage = {0x15, 0x11, 0x00, 0x00, 0xFF, 0x00}});
  t.add({.opcode = 0x55, .name = "MODE SELECT(10)", .cdb_length = 10, .flags = cmd_flag::data_out,
         .access = reservation_access::writes, .run = mode_select_10,
         .usage = {0x55, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00}});
}

}  // namespace touchstone::scsi
