#include "touchstone/pdu/text_values.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <limits>

namespace touchstone::pdu {

std::string_view name(value_error e) {
  switch (e) {
    case value_error::empty: return "empty";
    case value_error::not_a_number: return "not_a_number";
    case value_error::leading_zero: return "leading_zero";
    case value_error::number_too_large: return "number_too_large";
    case value_error::bad_hex_digit: return "bad_hex_digit";
    case value_error::bad_base64: return "bad_base64";
    case value_error::decimal_binary: return "decimal_binary";
    case value_error::binary_too_long: return "binary_too_long";
    case value_error::not_boolean: return "not_boolean";
    case value_error::missing_tilde: return "missing_tilde";
    case value_error::range_reversed: return "range_reversed";
    case value_error::out_of_range: return "out_of_range";
    case value_error::too_long: return "too_long";
    case value_error::bad_character: return "bad_character";
    case value_error::empty_list_item: return "empty_list_item";
    case value_error::bad_utf8: return "bad_utf8";
    case value_error::reserved_constant: return "reserved_constant";
    case value_error::not_in_list: return "not_in_list";
    case value_error::bad_iscsi_name: return "bad_iscsi_name";
    case value_error::bad_address: return "bad_address";
  }
  return "unknown";
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// rfc7143 section 6.1, in our words:
// hex-constant: A hexadecimal constant encoded as a string that starts with
// "0x" or "0X" followed by one or more digits or the letters a..f, A..F.
bool has_prefix_ci(std::string_view text, char lower) {
  return text.size() >= 2 && text[0] == '0' && (text[1] == lower || text[1] == lower - 32);
}

result<std::uint64_t, value_error> parse_hex_number(std::string_view digits) {
  if (digits.empty()) return fail(value_error::empty);
  std::uint64_t value = 0;
  for (const char c : digits) {
    const int nibble = hex_digit_value(c);
    if (nibble < 0) return fail(value_error::bad_hex_digit);
    if (value > (std::numeric_limits<std::uint64_t>::max() >> 4)) {
      return fail(value_error::number_too_large);
    }
    value = (value << 4) | static_cast<std::uint64_t>(nibble);
  }
  return value;
}

//= rfc7143#section-6.1
//# decimal-constant: An unsigned decimal number with the digit 0 or a string of
//# one or more digits that starts with a non-zero digit.
result<std::uint64_t, value_error> parse_decimal(std::string_view digits) {
  if (!std::all_of(digits.begin(), digits.end(), is_digit)) return fail(value_error::not_a_number);
  if (digits.size() > 1 && digits[0] == '0') return fail(value_error::leading_zero);
  std::uint64_t value = 0;
  constexpr auto max = std::numeric_limits<std::uint64_t>::max();
  for (const char c : digits) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (max - digit) / 10) return fail(value_error::number_too_large);
    value = value * 10 + digit;
  }
  return value;
}

result<byte_buffer, value_error> parse_hex_binary(std::string_view digits) {
  if (digits.empty()) return fail(value_error::empty);
  //= rfc7143#section-6.1
  //# a hex-constant of n hexadecimal digits has a byte-length of (the integer
  //# part of) (n + 1)/2.
  byte_buffer out((digits.size() + 1) / 2);
  std::size_t nibble_index = (digits.size() % 2 == 1) ? 1 : 0;  // odd: leading zero nibble
  for (const char c : digits) {
    const int nibble = hex_digit_value(c);
    if (nibble < 0) return fail(value_error::bad_hex_digit);
    auto& byte = out[nibble_index / 2];
    byte = static_cast<std::uint8_t>(nibble_index % 2 == 0 ? nibble << 4 : byte | nibble);
    ++nibble_index;
  }
  return out;
}

bool is_base64_character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '+' || c == '/';
}

// RFC 4648 section 4 with padding: groups of four, '=' only at the end.
bool is_canonical_base64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return false;
  const auto body_end = text.find_last_not_of('=');
  if (body_end == std::string_view::npos || text.size() - body_end - 1 > 2) return false;
  return std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(body_end) + 1,
                     is_base64_character);
}

//= rfc7143#section-6.1
//# base64-constant: Base64 constant encoded as a string that starts with "0b" or
//# "0B" followed by 1 or more digits, letters, plus sign, slash, or equals sign.
result<byte_buffer, value_error> parse_base64_binary(std::string_view text) {
  if (text.empty()) return fail(value_error::empty);
  if (!is_canonical_base64(text)) return fail(value_error::bad_base64);
  byte_buffer out(text.size() / 4 * 3);
  const int decoded = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (decoded < 0) return fail(value_error::bad_base64);
  // EVP_DecodeBlock counts the padding as zero bytes.
  const auto padding = static_cast<std::size_t>(std::count(text.end() - 2, text.end(), '='));
  out.resize(static_cast<std::size_t>(decoded) - padding);
  return out;
}

// Decodes one UTF-8 sequence starting at text[i]; returns its length or 0.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4;
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
  }
  return length;
}

}  // namespace

//= rfc7143#section-6.1
//# numerical-value: An unsigned integer always less than 2**64 encoded as a
//# decimal-constant or a hex-constant.
result<std::uint64_t, value_error> parse_number(std::string_view text) {
  if (text.empty()) return fail(value_error::empty);
  if (has_prefix_ci(text, 'x')) return parse_hex_number(text.substr(2));
  return parse_decimal(text);
}

result<std::uint64_t, value_error> parse_number_in(std::string_view text, std::uint64_t min,
                                                   std::uint64_t max) {
  auto number = parse_number(text);
  if (!number) return number;
  if (*number < min || *number > max) return fail(value_error::out_of_range);
  return number;
}

std::string encode_number(std::uint64_t value) { return std::to_string(value); }

result<byte_buffer, value_error> parse_binary(std::string_view text, std::size_t max_bytes) {
  if (text.empty()) return fail(value_error::empty);
  auto bytes = has_prefix_ci(text, 'x')   ? parse_hex_binary(text.substr(2))
               : has_prefix_ci(text, 'b') ? parse_base64_binary(text.substr(2))
                                          : result<byte_buffer, value_error>(fail(
                                                value_error::decimal_binary));
  //= rfc7143#section-6.1
  //# Decimal-constants can only be used to encode binary strings if the string
  //# length is explicitly specified.
  if (!bytes) return bytes;
  if (bytes->size() > max_bytes) return fail(value_error::binary_too_long);
  return bytes;
}

std::string encode_hex(bytes_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "0x";
  for (const auto b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

std::string encode_base64(bytes_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return "0b" + out;
}

//= rfc7143#section-6.1
//# numerical-range: Two numerical-values separated by a tilde, where the value
//# to the right of the tilde must not be lower than the value to the left.
result<numeric_range, value_error> parse_range(std::string_view text) {
  const auto tilde = text.find('~');
  if (tilde == std::string_view::npos) return fail(value_error::missing_tilde);
  auto low = parse_number(text.substr(0, tilde));
  if (!low) return fail(low.error());
  auto high = parse_number(text.substr(tilde + 1));
  if (!high) return fail(high.error());
  if (*high < *low) return fail(value_error::range_reversed);
  return numeric_range{*low, *high};
}

//= rfc7143#section-6.1
//# boolean-value: The string "Yes" or "No".
result<bool, value_error> parse_boolean(std::string_view text) {
  if (text == "Yes") return true;
  if (text == "No") return false;
  return fail(value_error::not_boolean);
}

std::string_view encode_boolean(bool value) { return value ? "Yes" : "No"; }

//= rfc7143#section-6.1
//# list-of-values: A sequence of text-values separated by a comma.
result<std::vector<std::string_view>, value_error> split_list(std::string_view text) {
  if (text.empty()) return fail(value_error::empty);
  std::vector<std::string_view> items;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    const auto item = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    if (item.empty()) return fail(value_error::empty_list_item);
    items.push_back(item);
    if (comma == std::string_view::npos) return items;
    start = comma + 1;
  }
}

std::string join_list(const std::vector<std::string_view>& items) {
  std::string out;
  for (const auto item : items) {
    if (!out.empty()) out.push_back(',');
    out.append(item);
  }
  return out;
}

//= rfc7143#section-6.1
//# text-value: A string of zero or more characters that consists of letters,
//# digits, dot, minus, plus, commercial at, underscore, slash, left bracket,
//# right bracket, or colon.
result<void, value_error> check_text_value(std::string_view text, std::size_t max_length) {
  if (text.size() > max_length) return fail(value_error::too_long);
  constexpr std::string_view punctuation = ".-+@_/[]:";
  for (const char c : text) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter && !is_digit(c) && punctuation.find(c) == std::string_view::npos) {
      return fail(value_error::bad_character);
    }
  }
  return ok;
}

//= rfc7143#section-6.1
//# iSCSI-local-name-value: A UTF-8 string; no null characters are allowed in
//# the string.
result<void, value_error> check_local_name(std::string_view text, std::size_t max_length) {
  if (text.size() > max_length) return fail(value_error::too_long);
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\0') return fail(value_error::bad_character);
    const auto length = utf8_sequence_length(text, i);
    if (length == 0) return fail(value_error::bad_utf8);
    i += length;
  }
  return ok;
}

bool is_answer_constant(std::string_view text) {
  return text == value_reject || text == value_irrelevant || text == value_not_understood;
}

}  // namespace touchstone::pdu
