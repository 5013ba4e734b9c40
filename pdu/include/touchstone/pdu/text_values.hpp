// The value syntaxes of RFC 7143 section 6.1: decimal and hex numbers, hex and
// base64 binary values, ranges, comma lists, booleans, text-values, and the
// reserved constants of section 6.2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/pdu/result.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::pdu {

enum class value_error : std::uint8_t {
  empty,                 // no characters where at least one is required
  not_a_number,          // neither decimal-constant nor hex-constant
  leading_zero,          // decimal-constant "007": must start with a non-zero digit
  number_too_large,      // not below 2**64
  bad_hex_digit,         // 0x followed by a non-hex character
  bad_base64,            // 0b followed by text that is not RFC 4648 base64
  decimal_binary,        // a binary value in decimal (needs a key-defined length)
  binary_too_long,       // more bytes than the key allows
  not_boolean,           // neither "Yes" nor "No"
  missing_tilde,         // a range without '~'
  range_reversed,        // a range whose right value is lower than its left
  out_of_range,          // a number outside the key's bounds
  too_long,              // longer than the key allows (255 for a simple-value)
  bad_character,         // a character the value type does not allow
  empty_list_item,       // "a,,b"
  bad_utf8,              // an iSCSI-local-name-value that is not UTF-8
  reserved_constant,     // Reject/Irrelevant/NotUnderstood used as a value
  not_in_list,           // a value outside the key's defined set
  bad_iscsi_name,        // an iSCSI-name-value that fails section 4.2.7
  bad_address,           // a TargetAddress that is not domainname[:port][,tag]
};

std::string_view name(value_error e);

//= rfc7143#section-6.1
//# If not otherwise specified, the maximum length of a simple-value (not its
//# encoded representation) is 255 bytes
inline constexpr std::size_t max_simple_value_length = 255;

//= rfc7143#section-6.1
//# regular-binary-value: A binary string not longer than 64 bits
inline constexpr std::size_t max_regular_binary_bytes = 8;

// numerical-value: decimal-constant or hex-constant, always below 2**64.
result<std::uint64_t, value_error> parse_number(std::string_view text);
// A numerical-value within [min, max].
result<std::uint64_t, value_error> parse_number_in(std::string_view text, std::uint64_t min,
                                                   std::uint64_t max);
std::string encode_number(std::uint64_t value);

// binary-value as hex-constant (implicit length (n+1)/2) or base64-constant,
// at most max_bytes long once decoded.
result<byte_buffer, value_error> parse_binary(std::string_view text, std::size_t max_bytes);
std::string encode_hex(bytes_view bytes);     // "0x" + lowercase digits
std::string encode_base64(bytes_view bytes);  // "0b" + RFC 4648 base64

struct numeric_range {
  std::uint64_t low;
  std::uint64_t high;
  friend bool operator==(const numeric_range&, const numeric_range&) = default;
};
result<numeric_range, value_error> parse_range(std::string_view text);

result<bool, value_error> parse_boolean(std::string_view text);
std::string_view encode_boolean(bool value);

// list-of-values: comma-separated items, none empty. Views into text.
result<std::vector<std::string_view>, value_error> split_list(std::string_view text);
std::string join_list(const std::vector<std::string_view>& items);

// text-value characters; a simple-value length bound.
result<void, value_error> check_text_value(std::string_view text,
                                           std::size_t max_length = max_simple_value_length);
// iSCSI-local-name-value: UTF-8 without NUL.
result<void, value_error> check_local_name(std::string_view text,
                                           std::size_t max_length = max_simple_value_length);

//= rfc7143#section-6.2
//# The constants "None", "Reject", "Irrelevant", and "NotUnderstood" are
//# reserved and MUST ONLY be used as described here.
inline constexpr std::string_view value_none = "None";
inline constexpr std::string_view value_reject = "Reject";
inline constexpr std::string_view value_irrelevant = "Irrelevant";
inline constexpr std::string_view value_not_understood = "NotUnderstood";

// Reject, Irrelevant or NotUnderstood: answers only, never proposals.
bool is_answer_constant(std::string_view text);

}  // namespace touchstone::pdu
