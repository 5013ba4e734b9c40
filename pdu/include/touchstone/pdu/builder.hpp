// The base of every per-opcode builder. A builder writes ANY value, reserved
// bits and illegal combinations included, because negative tests and fuzzers
// need them; legality is the validator's business, not the builder's.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::pdu {

template <class Derived>
class builder {
 public:
  // Common BHS fields.
  Derived& immediate(bool on = true) { return set_bit(0, immediate_bit, on); }
  Derived& final_bit(bool on = true) { return set_bit(bhs_offset::flags, final_bit_mask, on); }
  Derived& lun(std::uint64_t v) { return set_u64(bhs_offset::lun, v); }
  Derived& initiator_task_tag(std::uint32_t v) { return set_u32(bhs_offset::initiator_task_tag, v); }
  Derived& raw_opcode(std::uint8_t code) {
    p_.bhs[0] = static_cast<std::uint8_t>((p_.bhs[0] & 0xc0) | (code & opcode_mask));
    return self();
  }

  // Segments. Lengths are derived at build() unless overridden.
  Derived& ahs(byte_buffer bytes) { p_.ahs = std::move(bytes); return self(); }
  Derived& data(byte_buffer bytes) { p_.data = std::move(bytes); return self(); }
  Derived& data(bytes_view bytes) { p_.data.assign(bytes.begin(), bytes.end()); return self(); }
  Derived& padding(std::array<std::uint8_t, 3> pad) { p_.padding = pad; return self(); }
  Derived& total_ahs_length_override(std::uint8_t words) { ahs_words_ = words; return self(); }
  Derived& data_segment_length_override(std::uint32_t n) { data_len_ = n; return self(); }

  // Raw writes at any offset: the escape hatch for fields no setter names.
  Derived& set_u8(std::size_t off, std::uint8_t v) { p_.bhs[off] = v; return self(); }
  Derived& set_u16(std::size_t off, std::uint16_t v) { store_be16(&p_.bhs[off], v); return self(); }
  Derived& set_u24(std::size_t off, std::uint32_t v) { store_be24(&p_.bhs[off], v); return self(); }
  Derived& set_u32(std::size_t off, std::uint32_t v) { store_be32(&p_.bhs[off], v); return self(); }
  Derived& set_u64(std::size_t off, std::uint64_t v) { store_be64(&p_.bhs[off], v); return self(); }
  Derived& set_bit(std::size_t off, std::uint8_t mask, bool on) {
    p_.bhs[off] = static_cast<std::uint8_t>(on ? (p_.bhs[off] | mask) : (p_.bhs[off] & ~mask));
    return self();
  }
  // Replace bits under mask with value (value already shifted into place).
  Derived& set_bits(std::size_t off, std::uint8_t mask, std::uint8_t value) {
    p_.bhs[off] = static_cast<std::uint8_t>((p_.bhs[off] & ~mask) | (value & mask));
    return self();
  }

  pdu build() const {
    pdu out = p_;
    out.bhs[bhs_offset::total_ahs_length] =
        ahs_words_ ? *ahs_words_ : static_cast<std::uint8_t>(out.ahs.size() / 4);
    store_be24(&out.bhs[bhs_offset::data_segment_length],
               data_len_ ? *data_len_ : static_cast<std::uint32_t>(out.data.size()));
    return out;
  }

 protected:
  explicit builder(opcode op) { p_.bhs[0] = static_cast<std::uint8_t>(op); }
  Derived& self() { return static_cast<Derived&>(*this); }
  pdu p_;

 private:
  std::optional<std::uint8_t> ahs_words_;
  std::optional<std::uint32_t> data_len_;
};

}  // namespace touchstone::pdu
