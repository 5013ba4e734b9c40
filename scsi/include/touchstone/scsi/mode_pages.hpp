// Mode page state of one logical unit: for each page its current,
// changeable, default and saved values, stored as the page bytes themselves
// (byte 0 page code with PS=0 and SPF, byte 1 page length, then the fields).
// MODE SENSE/SELECT read and write these; handlers read the typed accessors.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "touchstone/scsi/bytes.hpp"

namespace touchstone::scsi {

enum class page_control : std::uint8_t { current = 0, changeable = 1, defaults = 2, saved = 3 };

struct mode_page {
  std::uint8_t page = 0;
  std::uint8_t subpage = 0;
  byte_buffer current, changeable, defaults, saved;
  const byte_buffer& values(page_control pc) const;
};

namespace mode_page_code {
inline constexpr std::uint8_t caching = 0x08;
inline constexpr std::uint8_t control = 0x0A;
inline constexpr std::uint8_t informational_exceptions = 0x1C;
inline constexpr std::uint8_t all_pages = 0x3F;
}  // namespace mode_page_code

class mode_pages {
 public:
  // Caching, Control and Informational Exceptions with their defaults.
  mode_pages();

  const mode_page* find(std::uint8_t page, std::uint8_t subpage = 0) const;
  mode_page* find(std::uint8_t page, std::uint8_t subpage = 0);
  const std::vector<mode_page>& all() const { return pages_; }
  // Adds or replaces a page (kept ordered by page code, subpage).
  void add(mode_page p);
  // Power on / LU reset: current values become the saved ones.
  void revert_to_saved();

  //= sbc3#6.4.5 table 172
  //# WCE: write cache enable
  bool wce() const;
  void set_wce(bool on);  // current and saved, for configuration
  //= spc4#7.5.8 table 429
  //# D_SENSE: descriptor format sense data
  bool d_sense() const;
  //= spc4#7.5.8 table 429
  //# SWP: software write protect
  bool swp() const;
  //= spc4#7.5.8 table 429
  //# QERR: queue error management
  std::uint8_t qerr() const;
  //= spc4#7.5.8 table 429
  //# TAS: task aborted status
  bool tas() const;
  //= spc4#7.5.8 table 429
  //# UA_INTLCK_CTRL
  std::uint8_t ua_interlock_control() const;

 private:
  bool current_bit(std::uint8_t page, std::size_t byte, unsigned bit) const;
  std::vector<mode_page> pages_;
};

}  // namespace touchstone::scsi
