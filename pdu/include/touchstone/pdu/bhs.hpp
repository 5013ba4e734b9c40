// The Basic Header Segment: a read-only view over exactly 48 bytes with one
// accessor per common field, and the raw typed loads that per-opcode views use.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::pdu {

//= rfc7143#section-11.2.1
//# The BHS is 48 bytes long.
inline constexpr std::size_t bhs_size = 48;
using bhs_bytes = std::array<std::uint8_t, bhs_size>;
using bhs_span = std::span<const std::uint8_t, bhs_size>;

// Offsets of the fields every BHS shares.
namespace bhs_offset {
inline constexpr std::size_t opcode = 0;
inline constexpr std::size_t flags = 1;
inline constexpr std::size_t total_ahs_length = 4;
inline constexpr std::size_t data_segment_length = 5;
inline constexpr std::size_t lun = 8;
inline constexpr std::size_t initiator_task_tag = 16;
}  // namespace bhs_offset

inline constexpr std::uint8_t immediate_bit = 0x40;
inline constexpr std::uint8_t final_bit_mask = 0x80;
inline constexpr std::uint32_t reserved_tag = 0xffffffff;

class bhs_view {
 public:
  constexpr explicit bhs_view(bhs_span bytes) : b_(bytes) {}

  constexpr bhs_span bytes() const { return b_; }

  //= rfc7143#section-11.2.1.2
  //# The Opcode indicates the type of iSCSI PDU the header encapsulates.
  constexpr std::uint8_t raw_opcode() const { return b_[bhs_offset::opcode] & opcode_mask; }
  constexpr opcode op() const { return static_cast<opcode>(raw_opcode()); }
  // The bit before I in byte 0 is reserved in every PDU.
  constexpr bool reserved_bit7() const { return (b_[0] & 0x80) != 0; }
  //= rfc7143#section-11.2.1.1
  //# For Request PDUs, the I bit set to 1 is an immediate delivery marker.
  constexpr bool immediate() const { return (b_[0] & immediate_bit) != 0; }
  // rfc7143 section 11.2.1.3, in our words:
  // When set to 1, the F bit indicates the final (or only) PDU of a sequence.
  constexpr bool final_bit() const { return (b_[bhs_offset::flags] & final_bit_mask) != 0; }
  constexpr std::uint8_t flags() const { return b_[bhs_offset::flags]; }
  // rfc7143 section 11.2.1.5, in our words:
  // TotalAHSLength is the total length of all AHS header segments in units of four-byte words
  constexpr std::uint8_t total_ahs_length() const { return b_[bhs_offset::total_ahs_length]; }
  constexpr std::size_t total_ahs_bytes() const { return std::size_t{total_ahs_length()} * 4; }
  //= rfc7143#section-11.2.1.6
  //# the data segment payload length in bytes (excluding padding)
  constexpr std::uint32_t data_segment_length() const {
    return load_be24(&b_[bhs_offset::data_segment_length]);
  }
  // rfc7143 section 11.2.1.7, in our words:
  // Some opcodes operate on a specific LUN; the field is 8 bytes.
  constexpr std::uint64_t lun() const { return load_be64(&b_[bhs_offset::lun]); }
  constexpr std::uint32_t initiator_task_tag() const {
    return load_be32(&b_[bhs_offset::initiator_task_tag]);
  }

  // Raw loads at any offset, for the per-opcode views.
  constexpr std::uint8_t u8(std::size_t off) const { return b_[off]; }
  constexpr std::uint16_t u16(std::size_t off) const { return load_be16(&b_[off]); }
  constexpr std::uint32_t u24(std::size_t off) const { return load_be24(&b_[off]); }
  constexpr std::uint32_t u32(std::size_t off) const { return load_be32(&b_[off]); }
  constexpr std::uint64_t u64(std::size_t off) const { return load_be64(&b_[off]); }
  constexpr bool bit(std::size_t off, std::uint8_t mask) const { return (b_[off] & mask) != 0; }
  // True when every byte in [first, last) is zero: reserved-field checks.
  constexpr bool zero(std::size_t first, std::size_t last) const {
    for (std::size_t i = first; i < last; ++i)
      if (b_[i] != 0) return false;
    return true;
  }

 private:
  bhs_span b_;
};

}  // namespace touchstone::pdu
