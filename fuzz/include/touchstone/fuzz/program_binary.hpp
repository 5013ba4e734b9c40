// Session programs in a compact binary form, for in-process fuzzing
// (fuzz/target_program.cpp, custom_mutator.hpp): libFuzzer keeps inputs as
// bytes, and parsing this costs a few copies where the JSON of
// program_json.hpp costs a text parse of annotated hex (a 24-step program is
// ~10 KiB of JSON, ~2 KiB here). Same program either way: save then load
// gives it back, and the loader refuses anything beyond program.hpp's bounds.
//
// Layout (integers big-endian):
//   "TSP1"
//   login:  kind u8, chap u8, ISID 6 bytes, TSIH u16, CID u16,
//           offers u8, each: key length u16, key, value length u16, value
//   steps:  count u16, each: BHS 48 bytes, AHS length u16, AHS,
//           data length u32, data, digests u8, numbering u8, wait_answer u8,
//           delay_ms u32, splits u8, each split u32
// Nothing may follow the last step.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "touchstone/fuzz/program.hpp"
#include "touchstone/fuzz/program_json.hpp"

namespace touchstone::fuzz {

inline constexpr std::uint8_t program_binary_magic[4] = {'T', 'S', 'P', '1'};

std::vector<std::uint8_t> save_binary(const program& p);
result<program, load_error> load_binary(std::span<const std::uint8_t> bytes);

}  // namespace touchstone::fuzz
