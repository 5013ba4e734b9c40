#include "touchstone/pdu/text.hpp"

#include <algorithm>

namespace touchstone::pdu {

std::string_view name(text_error e) {
  switch (e) {
    case text_error::empty_pair: return "empty_pair";
    case text_error::missing_equals: return "missing_equals";
    case text_error::empty_key: return "empty_key";
    case text_error::key_too_long: return "key_too_long";
    case text_error::key_bad_first_character: return "key_bad_first_character";
    case text_error::key_bad_character: return "key_bad_character";
    case text_error::value_too_long: return "value_too_long";
    case text_error::missing_terminator: return "missing_terminator";
    case text_error::sequence_too_long: return "sequence_too_long";
    case text_error::sequence_complete: return "sequence_complete";
    case text_error::sequence_incomplete: return "sequence_incomplete";
  }
  return "unknown";
}

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

//= rfc7143#section-6.1
//# standard-label: A string of one or more characters that consists of
//# letters, digits, dot, minus, plus, commercial at, or underscore.
bool is_label_character(char c) {
  return is_letter(c) || is_digit(c) || c == '.' || c == '-' || c == '+' || c == '@' || c == '_';
}

// "X#" is the RFC 3720 public-extension prefix; RFC 7143 still defines
// X#NodeArchitecture (section 13.26), so '#' is accepted right after a leading X.
bool is_extension_hash(std::string_view key, std::size_t i) {
  return i == 1 && key[0] == 'X' && key[1] == '#';
}

result<key_value, text_error> parse_pair(std::string_view pair, std::size_t max_value_length) {
  if (pair.empty()) return fail(text_error::empty_pair);
  //= rfc7143#section-6.1
  //# A key-name is whatever precedes the first "=" in the key=value pair.
  const auto equals = pair.find('=');
  if (equals == std::string_view::npos) return fail(text_error::missing_equals);
  const auto key = pair.substr(0, equals);
  if (auto checked = check_key_name(key); !checked) return fail(checked.error());
  //= rfc7143#section-6.1
  //# A value is whatever follows the first "=" in the key=value pair up to the
  //# end of the key=value pair, but not including the null delimiter.
  const auto value = pair.substr(equals + 1);
  if (value.size() > max_value_length) return fail(text_error::value_too_long);
  return key_value{std::string(key), std::string(value)};
}

}  // namespace

result<void, text_error> check_key_name(std::string_view key) {
  if (key.empty()) return fail(text_error::empty_key);
  if (key.size() > max_key_length) return fail(text_error::key_too_long);
  // Section 6.1 asks for a capital first letter, yet section 13.24 defines
  // iSCSIProtocolLevel: any letter is accepted as the first character.
  if (!is_letter(key[0])) return fail(text_error::key_bad_first_character);
  for (std::size_t i = 1; i < key.size(); ++i) {
    if (!is_label_character(key[i]) && !is_extension_hash(key, i)) {
      return fail(text_error::key_bad_character);
    }
  }
  return ok;
}

result<text_pairs, text_error> parse_text(std::string_view data, std::size_t max_value_length) {
  text_pairs pairs;
  // One allocation for the pairs of an ordinary LTDS instead of one per
  // doubling; capped, as a fuzzed or hostile segment may be all delimiters.
  pairs.reserve(std::min<std::size_t>(
      static_cast<std::size_t>(std::count(data.begin(), data.end(), '\0')), 32));
  std::size_t start = 0;
  while (start < data.size()) {
    const auto nul = data.find('\0', start);
    //= rfc7143#section-6.1
    //# Every key=value pair, including the last or only pair in a LTDS, MUST be
    //# followed by one null (0x00) delimiter.
    if (nul == std::string_view::npos) {
      // Report the syntax fault of the unterminated tail first, if it has one.
      if (auto tail = parse_pair(data.substr(start), max_value_length); !tail) {
        return fail(tail.error());
      }
      return fail(text_error::missing_terminator);
    }
    auto pair = parse_pair(data.substr(start, nul - start), max_value_length);
    if (!pair) return fail(pair.error());
    pairs.push_back(std::move(pair).value());
    start = nul + 1;
  }
  return pairs;
}

result<text_pairs, text_error> parse_text(bytes_view data, std::size_t max_value_length) {
  const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  return parse_text(text, max_value_length);
}

byte_buffer encode_text(const text_pairs& pairs) {
  // Sized first: one allocation instead of one per doubling.
  std::size_t size = 0;
  for (const auto& [key, value] : pairs) size += key.size() + value.size() + 2;
  byte_buffer out;
  out.reserve(size);
  for (const auto& [key, value] : pairs) {
    out.insert(out.end(), key.begin(), key.end());
    out.push_back('=');
    out.insert(out.end(), value.begin(), value.end());
    out.push_back(0);
  }
  return out;
}

std::vector<text_chunk> split_text(bytes_view encoded, std::size_t max_segment_length) {
  const std::size_t step = std::max<std::size_t>(max_segment_length, 1);
  std::vector<text_chunk> chunks;
  std::size_t offset = 0;
  do {
    const std::size_t length = std::min(step, encoded.size() - offset);
    chunks.push_back({encoded.subspan(offset, length), true});
    offset += length;
  } while (offset < encoded.size());
  //= rfc7143#section-6.1
  //# An initiator or target that sends partial key=value text within a PDU
  //# indicates that more text follows by setting the C bit ... to 1.
  chunks.back().continue_bit = false;
  return chunks;
}

}  // namespace touchstone::pdu
