// Program groups (program_group.hpp) in a compact binary form beside TSP1
// (program_binary.hpp), for in-process fuzzing of several sessions on one
// target node (fuzz/target_program.cpp). A group of one session is saved as
// that program's own TSP1 bytes, and TSP1 bytes load as a group of one, as
// the JSON forms do; a single program's TSP1 form is unchanged.
//
// Layout (integers big-endian):
//   "TSG1"
//   sessions u8 (2..max_group_sessions)
//   schedule: count u16 (at most max_schedule), each entry u8
//   tsih_from: count u8 (0 or sessions), each entry i8 (two's complement)
//   each session: length u32, then that many bytes: the member's TSP1 form
// Nothing may follow the last session. Every count and length is checked
// against its bound and the bytes left before anything is read or
// allocated; each member is loaded (and bounded) as a TSP1 program is, and
// the group as a whole by bound_violation(program_group).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "touchstone/fuzz/program_group.hpp"
#include "touchstone/fuzz/program_json.hpp"

namespace touchstone::fuzz {

inline constexpr std::uint8_t group_binary_magic[4] = {'T', 'S', 'G', '1'};

std::vector<std::uint8_t> save_binary(const program_group& g);
// A TSG1 group, or a TSP1 program as a group of one.
result<program_group, load_error> load_group_binary(std::span<const std::uint8_t> bytes);

}  // namespace touchstone::fuzz
