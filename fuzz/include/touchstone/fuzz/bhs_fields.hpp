// The BHS fields of each initiator opcode, by name, as RFC 7143 section 11
// draws them: used to annotate a program's PDUs for people and by the
// mutator and the minimiser to work field by field.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "touchstone/pdu/bhs.hpp"

namespace touchstone::fuzz {

// A field: `width` bits starting at bit `bit` of byte `offset`, bits numbered
// as the RFC's diagrams do (bit 0 is the most significant bit of a byte), so
// a field may run over several bytes. At most 64 bits.
struct bhs_field {
  std::string_view name;
  std::uint8_t offset;
  std::uint8_t bit;
  std::uint8_t width;
  bool reserved = false;  // a reserved area (the mutator sets bits in it)
};

// The table for a 6-bit opcode; opcodes without a table of their own (target
// opcodes, unknown and vendor codes) get the fields every BHS shares and
// their remaining bytes as 32-bit words ("bytes 20-23", ...).
std::span<const bhs_field> fields_of(std::uint8_t opcode);

// Reads and writes a field (value masked to its width).
std::uint64_t get_field(const pdu::bhs_bytes& bhs, const bhs_field& f);
void set_field(pdu::bhs_bytes& bhs, const bhs_field& f, std::uint64_t value);

constexpr std::uint64_t field_mask(const bhs_field& f) {
  return f.width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << f.width) - 1;
}

}  // namespace touchstone::fuzz
