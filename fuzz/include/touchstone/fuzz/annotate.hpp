// A PDU as it went on the wire, annotated for a person reading a finding:
// the opcode's name, every BHS field by name with its value (bhs_fields.hpp),
// the AHS, the digests when the bytes hold them, the data segment as hex
// lines of 32 bytes, and any bytes the length fields do not account for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace touchstone::fuzz {

struct annotated_field {
  std::string_view name;
  std::uint64_t value = 0;
  std::uint8_t width = 0;  // bits
};

struct annotated_pdu {
  std::string opcode;                   // "SCSI Command (0x01)"
  std::vector<annotated_field> fields;  // reserved areas only when set
  std::string ahs;                      // hex
  std::string header_digest;            // hex, when one was sent
  std::vector<std::string> data;        // the data segment, hex, 32 bytes a line
  std::string padding;                  // hex
  std::string data_digest;              // hex, when one was sent
  std::string trailing;                 // hex: bytes past what the lengths say
  std::size_t size = 0;                 // bytes in all
};

inline constexpr std::size_t annotated_line_bytes = 32;

// Annotates one encoded PDU (BHS first). A header digest is told from a data
// digest by its CRC when only one is there; a PDU shorter than a BHS gets
// its bytes as `trailing` and no fields.
annotated_pdu annotate(std::span<const std::uint8_t> encoded);

}  // namespace touchstone::fuzz
