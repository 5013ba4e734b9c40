// The BHS layout of every PDU type as data: one table of field specs per
// opcode (RFC 7143 section 11), named after the RFC's field names. The
// offsets and masks come from the codec's own headers.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "describe.hpp"
#include "value_names.hpp"

namespace touchstone::pdu_tool {

struct field_spec {
  std::string_view name;
  std::uint8_t offset;
  std::uint8_t width;  // bytes (1, 2, 3, 4, 6, 8); 0: the bits under mask
  std::uint8_t mask;   // for width 0 only
  value_style style;
  value_namer namer = nullptr;
};

// The fields every BHS carries (11.2.1), printed first.
std::span<const field_spec> common_fields();

// The opcode-specific fields of a defined opcode; the raw opcode-specific
// bytes for any other code.
std::span<const field_spec> opcode_fields(std::uint8_t raw_opcode);

}  // namespace touchstone::pdu_tool
