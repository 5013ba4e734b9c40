// The key=value text codec of RFC 7143 section 6.1: a data segment is a run of
// NUL-terminated key=value pairs; a logical text data segment (LTDS) may span
// several PDUs chained by the C (continue) bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/pdu/result.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::pdu {

struct key_value {
  std::string key;
  std::string value;
  friend bool operator==(const key_value&, const key_value&) = default;
};

using text_pairs = std::vector<key_value>;

enum class text_error : std::uint8_t {
  empty_pair,            // a NUL with no key=value before it ("\0\0", leading NUL)
  missing_equals,        // a pair without '='
  empty_key,             // "=value"
  key_too_long,          // key-name longer than 63 bytes
  key_bad_first_character,
  key_bad_character,     // a character outside the standard-label set
  value_too_long,        // longer than the caller's value bound
  missing_terminator,    // the last pair of a complete LTDS has no NUL
  sequence_too_long,     // the assembler's bound would be exceeded
  sequence_complete,     // data added after the PDU with C=0 ended the sequence
  sequence_incomplete,   // take() before the PDU with C=0 arrived
};

std::string_view name(text_error e);

//= rfc7143#section-6.1
//# A standard-label ... MUST begin with a capital letter and must not exceed 63 characters.
inline constexpr std::size_t max_key_length = 63;

//= rfc7143#section-6.1
//# Any iSCSI target or initiator MUST support receiving at least 8192 bytes of
//# key=value data in a negotiation sequence.
inline constexpr std::size_t min_text_sequence_bytes = 8192;

// The codec bounds the encoded length of any value; the per-key limits (255
// bytes for a simple-value, 1024 decoded bytes for CHAP binaries, ...) live in
// the key table. 8192 holds a 1024-byte CHAP binary in hex ("0x" + 2048).
inline constexpr std::size_t default_max_value_length = 8192;

// Parses one complete LTDS into its ordered pairs. Keys are checked against
// the key-name syntax; values are kept as bytes (their syntax is key-specific).
result<text_pairs, text_error> parse_text(bytes_view data,
                                          std::size_t max_value_length = default_max_value_length);
result<text_pairs, text_error> parse_text(std::string_view data,
                                          std::size_t max_value_length = default_max_value_length);

// Checks one key-name (standard-label, or an X-/X# extension key).
result<void, text_error> check_key_name(std::string_view key);

// Encodes pairs as key=value\0 ... (every pair, the last too, NUL-terminated).
byte_buffer encode_text(const text_pairs& pairs);

// One PDU's share of an encoded LTDS: C=1 on every chunk but the last.
struct text_chunk {
  bytes_view data;
  bool continue_bit;
};

// Splits encoded text into chunks of at most max_segment_length bytes (the
// peer's MaxRecvDataSegmentLength); a key=value pair may straddle two chunks.
// The chunks view `encoded`, which must outlive them. Empty text gives one
// empty final chunk. max_segment_length 0 is treated as 1.
std::vector<text_chunk> split_text(bytes_view encoded, std::size_t max_segment_length);

// Accumulates the data segments of one request or response sequence until the
// PDU with C=0, then parses the whole LTDS. Bounded: data beyond max_bytes is
// refused without growing the buffer.
class text_assembler {
 public:
  // The bound never drops below the 8192 bytes section 6.1 requires.
  explicit text_assembler(std::size_t max_bytes = 65536,
                          std::size_t max_value_length = default_max_value_length);

  enum class state : std::uint8_t { need_more, complete };

  // Adds one PDU's data segment; continue_bit is that PDU's C bit.
  result<state, text_error> add(bytes_view segment, bool continue_bit);
  // Parses the completed LTDS and resets the assembler for the next sequence.
  result<text_pairs, text_error> take();

  std::size_t buffered() const { return buffer_.size(); }
  std::size_t max_bytes() const { return max_bytes_; }
  bool complete() const { return complete_; }
  void reset();

 private:
  std::size_t max_bytes_;
  std::size_t max_value_length_;
  byte_buffer buffer_;
  bool complete_ = false;
};

}  // namespace touchstone::pdu
