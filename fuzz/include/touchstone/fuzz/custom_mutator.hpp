// libFuzzer's custom-mutator hooks on session programs, for any harness that
// runs programs in-process (ours: fuzz/target_program.cpp; docs/fuzzing.md,
// "target_program", shows another project's harness). An input is a program
// in the binary form of program_binary.hpp, or a program group in that of
// program_group_binary.hpp (fuzz_target_program_seeds turns JSON programs
// and groups into them). No JSON here: the clang fuzz preset builds this
// without the JSON code (nlohmann-json under ASan is slow to compile).
//
// Groups: a group input is mutated by group_generator.hpp's group_mutator
// (a member mutated as a program is, the schedule reordered, ISIDs made
// equal or distinct); a single program becomes a fresh generated group in
// group_rate_percent() of its mutations (set_group_rate_percent: 0 unless a
// harness that runs groups sets it, as fuzz/target_program.cpp sets 10, the
// share of groups touchstone-fuzz's --multi-rate makes by default). A harness
// that runs single programs only reads inputs with program_from_input.
//
// In a harness:
//   extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* d, size_t n, size_t max, unsigned seed) {
//     return touchstone::fuzz::custom_mutate(d, n, max, seed);
//   }
//   extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t* a, size_t an, const uint8_t* b,
//                                               size_t bn, uint8_t* out, size_t max, unsigned seed) {
//     return touchstone::fuzz::custom_crossover(a, an, b, bn, out, max, seed);
//   }
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* d, size_t n) {
//     if (auto p = touchstone::fuzz::program_from_input(d, n)) run_it(*p);
//     return 0;
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "touchstone/fuzz/program.hpp"
#include "touchstone/fuzz/program_group.hpp"

namespace touchstone::fuzz {

// The share of a single program's mutations that yield a fresh group. 0
// until set, so a harness that runs single programs only (program_from_input)
// never gets a group; fuzz/target_program.cpp sets group_rate_percent_default
// (10, as touchstone-fuzz's --multi-rate), or TOUCHSTONE_GROUP_RATE's value.
inline constexpr unsigned group_rate_percent_default = 10;
void set_group_rate_percent(unsigned percent);  // clamped to 100
unsigned group_rate_percent();

// The program an input holds, nullopt when it holds none within the bounds.
std::optional<program> program_from_input(const std::uint8_t* data, std::size_t size);

// The group an input holds (a program as a group of one), nullopt when it
// holds none within the bounds.
std::optional<program_group> group_from_input(const std::uint8_t* data, std::size_t size);

// Writes `p` in binary into data[0, max_size): steps are dropped from the end
// (then the login offers) until it fits. Returns the size written, 0 when
// not even the empty program fits.
std::size_t write_program(const program& p, std::uint8_t* data, std::size_t max_size);

// Writes `g` in binary (program_group_binary.hpp) into data[0, max_size):
// steps are dropped from the end of the longest member, then sessions from
// the last, until it fits (a group of one as write_program writes it).
std::size_t write_group(const program_group& g, std::uint8_t* data, std::size_t max_size);

// LLVMFuzzerCustomMutator: parses the input (a fresh generated program when
// it holds none), applies one to four mutator.hpp mutations (group_mutator
// ones to a group) seeded from `seed`, or turns a program into a fresh
// group (group_rate_percent()), and writes the result back within max_size.
// Same input and seed, same output.
std::size_t custom_mutate(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed);

// LLVMFuzzerCustomCrossOver: the mutator's crossover of the two programs
// (either generated when it does not parse), written to out within max_size.
// When either is a group: that group (a's when both are) with one member
// crossed with a member of the other input.
std::size_t custom_crossover(const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b,
                             std::size_t b_size, std::uint8_t* out, std::size_t max_size,
                             unsigned seed);

}  // namespace touchstone::fuzz
