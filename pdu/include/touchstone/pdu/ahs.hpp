// Additional Header Segments: a bounds-checked parser over the raw AHS bytes of
// a PDU, and builders for the two AHS types RFC 7143 defines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "touchstone/pdu/result.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.2.2, in our words:
// AHSLength (2 bytes), AHSType (1 byte), AHS-Specific (from byte 3 on)
namespace ahs_offset {
inline constexpr std::size_t length = 0;
inline constexpr std::size_t type = 2;
inline constexpr std::size_t specific = 3;  // the first type-specific byte
inline constexpr std::size_t body = 4;      // the type-specific bytes after byte 3
}  // namespace ahs_offset

// Bytes before the type-specific part that AHSLength does not count.
inline constexpr std::size_t ahs_fixed_header = 3;

// rfc7143 section 11.2.2.1, in our words:
// bit 0-1 - Reserved; bit 2-7 - AHS code
inline constexpr std::uint8_t ahs_code_mask = 0x3f;
inline constexpr std::uint8_t ahs_type_reserved_mask = 0xc0;

// The AHS code; values 0 and 3-63 are reserved but kept as they came.
enum class ahs_type : std::uint8_t {
  reserved = 0,
  extended_cdb = 1,
  bidirectional_read_length = 2,
};

constexpr bool is_defined(ahs_type t) {
  return t == ahs_type::extended_cdb || t == ahs_type::bidirectional_read_length;
}

//= rfc7143#section-11.2.2.4
//# AHSLength (0x0005)
inline constexpr std::uint16_t bidirectional_read_length_ahs_length = 5;

// One AHS as it sits in the PDU. body views the parsed buffer: it is only
// valid as long as the bytes handed to parse_ahs() are.
struct ahs_segment {
  std::size_t offset = 0;     // where the segment starts in the AHS bytes
  std::uint16_t length = 0;   // AHSLength: byte 3 plus body, padding excluded
  std::uint8_t raw_type = 0;  // the whole AHSType byte, reserved bits included
  std::uint8_t specific = 0;  // byte 3 (reserved in both defined types)
  bytes_view body;            // length - 1 bytes after byte 3
  bytes_view padding;         // 0-3 bytes that round the segment to 4

  ahs_type type() const { return static_cast<ahs_type>(raw_type & ahs_code_mask); }
  std::uint8_t code() const { return raw_type & ahs_code_mask; }
  bool type_reserved_bits_set() const { return (raw_type & ahs_type_reserved_mask) != 0; }
  // The bytes the segment occupies, padding included.
  std::size_t padded_size() const { return padded_length(ahs_fixed_header + length); }
};

enum class ahs_error : std::uint8_t {
  truncated_header,       // fewer than 4 bytes left where a segment starts
  empty_segment,          // AHSLength 0: not even the AHS-specific byte 3
  length_beyond_buffer,   // AHSLength runs past the end of the AHS bytes
  missing_padding,        // the segment fits but its padding to 4 bytes does not
  wrong_length_for_type,  // a defined type with a length its format forbids
};

std::string_view name(ahs_error e);

// Splits the AHS bytes of a PDU into segments, in order.
result<std::vector<ahs_segment>, ahs_error> parse_ahs(bytes_view ahs);

// The first segment of the given type, if any.
std::optional<ahs_segment> find_ahs(std::span<const ahs_segment> segments, ahs_type type);

// Any AHS, reserved codes and bits included: for negative tests. AHSLength
// is written as 1 + body.size() unless length_override says otherwise.
byte_buffer make_ahs(std::uint8_t raw_type, std::uint8_t specific, bytes_view body,
                     std::optional<std::uint16_t> length_override = std::nullopt);

// rfc7143 section 11.2.2.3, in our words:
// AHSLength (CDBLength - 15) | 0x01 | Reserved | ExtendedCDB...+padding
// spillover: the CDB bytes beyond the 16 the BHS carries.
byte_buffer make_extended_cdb_ahs(bytes_view spillover);

// rfc7143 section 11.2.2.4, in our words:
// AHSLength (0x0005) | 0x02 | Reserved | Bidirectional Read Expected Data Transfer Length
byte_buffer make_bidirectional_read_length_ahs(std::uint32_t length);

// The typed bodies of the defined segments.
result<bytes_view, ahs_error> extended_cdb_spillover(const ahs_segment& s);
result<std::uint32_t, ahs_error> bidirectional_read_length(const ahs_segment& s);

}  // namespace touchstone::pdu
