#include "touchstone/pdu/iscsi_name.hpp"

#include <algorithm>

namespace touchstone::pdu {

std::string_view name(name_error e) {
  switch (e) {
    case name_error::empty: return "empty";
    case name_error::too_long: return "too_long";
    case name_error::unknown_type: return "unknown_type";
    case name_error::uppercase: return "uppercase";
    case name_error::bad_character: return "bad_character";
    case name_error::bad_utf8: return "bad_utf8";
    case name_error::iqn_bad_date: return "iqn_bad_date";
    case name_error::iqn_missing_domain: return "iqn_missing_domain";
    case name_error::iqn_bad_domain: return "iqn_bad_domain";
    case name_error::eui_bad_length: return "eui_bad_length";
    case name_error::naa_bad_length: return "naa_bad_length";
    case name_error::bad_hex_digit: return "bad_hex_digit";
  }
  return "unknown";
}

std::string_view name(name_type t) {
  switch (t) {
    case name_type::iqn: return "iqn";
    case name_type::eui: return "eui";
    case name_type::naa: return "naa";
  }
  return "unknown";
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Length of the UTF-8 sequence at text[i] (a non-ASCII lead byte), 0 if broken.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const std::size_t length = lead >= 0xf0 && lead <= 0xf4   ? 4
                             : lead >= 0xe0 && lead <= 0xef ? 3
                             : lead >= 0xc2 && lead <= 0xdf ? 2
                                                            : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
  }
  return length;
}

//= rfc7143#section-4.2.7.1
//# iSCSI names allow the use of international character sets, but uppercase
//# characters are prohibited. ... No whitespace characters are used in iSCSI names
// rfc7143 section 4.2.7.2, in our words:
// The following characters are used for formatting iSCSI names: dash, dot, colon
result<void, name_error> check_characters(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const auto length = utf8_length(text, i);
      //= rfc7143#section-4.2.7.2
      //# An iSCSI name MUST be a UTF-8 (see [RFC3629]) encoding of a string of Unicode characters
      if (length == 0) return fail(name_error::bad_utf8);
      i += length;
      continue;
    }
    if (is_upper(c)) return fail(name_error::uppercase);
    const bool allowed = (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '.' || c == ':';
    if (!allowed) return fail(name_error::bad_character);
    ++i;
  }
  return ok;
}

//= rfc7143#section-4.2.7.4
//# A date code, in yyyy-mm format. ... All four digits in the year must be
//# present. Both digits of the month must be present, with January == "01" and
//# December == "12". The dash must be included.
bool is_date_code(std::string_view date) {
  if (date.size() != 7 || date[4] != '-') return false;
  if (!std::all_of(date.begin(), date.begin() + 4, is_digit)) return false;
  if (!is_digit(date[5]) || !is_digit(date[6])) return false;
  const int month = (date[5] - '0') * 10 + (date[6] - '0');
  return month >= 1 && month <= 12;
}

result<name_type, name_error> validate_iqn(std::string_view rest) {
  if (auto chars = check_characters(rest); !chars) return fail(chars.error());
  if (!is_date_code(rest.substr(0, 7))) return fail(name_error::iqn_bad_date);
  //= rfc7143#section-4.2.7.4
  //# A dot "." ... The reverse domain name of the naming authority ... An
  //# optional, colon (:)-prefixed string
  if (rest.size() <= 8 || rest[7] != '.') return fail(name_error::iqn_missing_domain);
  const auto domain = rest.substr(8, rest.find(':', 8) - 8);
  if (domain.empty()) return fail(name_error::iqn_missing_domain);
  const bool empty_label = domain.front() == '.' || domain.back() == '.' ||
                           domain.find("..") != std::string_view::npos;
  if (empty_label) return fail(name_error::iqn_bad_domain);
  return name_type::iqn;
}

// eui. and naa. carry hexadecimal digits; the RFC's own examples write them in
// uppercase ("eui.02004567A425678D"), so both cases are accepted there.
result<void, name_error> check_hex(std::string_view digits) {
  if (!std::all_of(digits.begin(), digits.end(), is_hex)) return fail(name_error::bad_hex_digit);
  return ok;
}

// rfc7143 section 4.2.7.5, in our words:
// The format is "eui." followed by an EUI-64 identifier (16 ASCII-encoded
// hexadecimal digits).
result<name_type, name_error> validate_eui(std::string_view digits) {
  if (digits.size() != 16) return fail(name_error::eui_bad_length);
  if (auto hex = check_hex(digits); !hex) return fail(hex.error());
  return name_type::eui;
}

//= rfc7143#section-4.2.7.6
//# The NAA identifier formatted in an ASCII-hexadecimal representation has a
//# maximum size of 32 characters (128-bit NAA format).
result<name_type, name_error> validate_naa(std::string_view digits) {
  if (digits.size() != 16 && digits.size() != 32) return fail(name_error::naa_bad_length);
  if (auto hex = check_hex(digits); !hex) return fail(hex.error());
  return name_type::naa;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (is_upper(x) ? x + 32 : x) == y;
         });
}

}  // namespace

result<name_type, name_error> validate_iscsi_name(std::string_view text) {
  if (text.empty()) return fail(name_error::empty);
  //= rfc7143#section-4.2.7.1
  //# Initiators and targets MUST support the receipt of iSCSI names of up to
  //# the maximum length of 223 bytes.
  if (text.size() > max_iscsi_name_length) return fail(name_error::too_long);
  // rfc7143 section 4.2.7.3, in our words:
  // The corresponding type designator strings currently defined are: iqn. naa. eui.
  const auto type = text.substr(0, 4);
  const auto rest = text.substr(std::min<std::size_t>(4, text.size()));
  if (type == "iqn.") return validate_iqn(rest);
  if (type == "eui.") return validate_eui(rest);
  if (type == "naa.") return validate_naa(rest);
  const bool uppercase_type = equals_ignoring_case(type, "iqn.") ||
                              equals_ignoring_case(type, "eui.") ||
                              equals_ignoring_case(type, "naa.");
  return fail(uppercase_type ? name_error::uppercase : name_error::unknown_type);
}

}  // namespace touchstone::pdu
