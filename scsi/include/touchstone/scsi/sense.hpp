// Sense data: one description (`sense`) encoded as fixed (70h/71h) or
// descriptor (72h/73h) format. The device server picks the format from the
// Control mode page D_SENSE bit; decode_sense reads both, for tests and for
// conformance/ (which parses a target's sense with the same code).
#pragma once

#include <cstdint>
#include <optional>

#include "touchstone/scsi/bytes.hpp"
#include "touchstone/scsi/types.hpp"

namespace touchstone::scsi {

enum class sense_format : std::uint8_t { fixed, descriptor };

//= spc4#4.5.2.4.2 table 32
//# field pointer sense-key specific data: SKSV, C/D, BPV, BIT POINTER, FIELD POINTER
struct field_pointer {
  bool in_cdb = true;                 // C/D: 1 = CDB, 0 = parameter list
  std::uint16_t byte = 0;             // FIELD POINTER
  std::optional<std::uint8_t> bit{};  // BIT POINTER (BPV=1 when set): the field's top bit
  friend bool operator==(const field_pointer&, const field_pointer&) = default;
};

struct sense {
  sense_key key = sense_key::no_sense;
  asc_ascq code{};
  bool deferred = false;                        // 71h/73h instead of 70h/72h
  std::optional<std::uint64_t> information{};   // INFORMATION (VALID=1 when set)
  std::optional<field_pointer> field{};         // sense-key specific field pointer
  std::optional<std::uint16_t> progress{};      // sense-key specific progress indication
  friend bool operator==(const sense&, const sense&) = default;
};

inline constexpr std::size_t fixed_sense_length = 18;

byte_buffer encode_sense(const sense& s, sense_format format);
std::optional<sense> decode_sense(bytes_view bytes);

// Shorthands for the common conditions.
sense make_sense(sense_key key, asc_ascq code);
sense invalid_field_in_cdb(std::uint16_t byte, std::optional<std::uint8_t> bit = std::nullopt);
sense invalid_field_in_parameter_list(std::uint16_t byte,
                                      std::optional<std::uint8_t> bit = std::nullopt);

}  // namespace touchstone::scsi
