// iSCSI name validation (RFC 7143 section 4.2.7): the iqn., eui. and naa.
// formats, the 223-byte bound, and the ASCII part of the RFC 3722 stringprep
// output (lowercase letters, digits, '-', '.', ':'). Non-ASCII characters are
// accepted when they are well-formed UTF-8: checking them against the
// stringprep tables is the "where practical" part this library leaves out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "touchstone/pdu/result.hpp"

namespace touchstone::pdu {

enum class name_type : std::uint8_t { iqn, eui, naa };

enum class name_error : std::uint8_t {
  empty,
  too_long,             // more than 223 bytes
  unknown_type,         // not iqn., eui. or naa.
  uppercase,            // an ASCII uppercase letter where hex digits are not meant
  bad_character,        // space, control or punctuation outside '-', '.', ':'
  bad_utf8,             // a non-ASCII byte that is not well-formed UTF-8
  iqn_bad_date,         // not yyyy-mm with month 01..12
  iqn_missing_domain,   // nothing (or only a ':' suffix) after the date
  iqn_bad_domain,       // an empty label in the reversed domain name
  eui_bad_length,       // not 16 hex digits
  naa_bad_length,       // not 16 or 32 hex digits
  bad_hex_digit,        // eui./naa. with a non-hex character
};

std::string_view name(name_error e);
std::string_view name(name_type t);

//= rfc7143#section-4.2.7.2
//# The UTF-8 encoding of the name is not larger than 223 bytes.
inline constexpr std::size_t max_iscsi_name_length = 223;

result<name_type, name_error> validate_iscsi_name(std::string_view text);

}  // namespace touchstone::pdu
