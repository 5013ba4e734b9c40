// Session programs as JSON (docs/fuzzing.md, "Session programs"): every PDU
// is written as annotated hex, its opcode's name and its BHS fields by name
// for people, and the raw hex the loader reads back. save then load gives
// the same program; load never throws and names the path of a bad field.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "touchstone/fuzz/program.hpp"
#include "touchstone/pdu/result.hpp"

namespace touchstone::fuzz {

inline constexpr std::string_view program_format = "touchstone-session-program/1";
// A program within every bound takes well under this much JSON (256 steps
// of 64 KiB data as hex are 32 MiB).
inline constexpr std::size_t max_program_json_bytes = 48u << 20;
// Nesting deeper than this is refused before parsing (a program nests 5 deep).
inline constexpr std::size_t max_program_json_depth = 16;

struct load_error {
  std::string message;  // "steps[3].pdu.bhs: expected 96 hex digits"
};

// Pretty-printed (two-space indent), ending in a newline.
std::string save_json(const program& p);
result<program, load_error> load_json(std::string_view text);

}  // namespace touchstone::fuzz
