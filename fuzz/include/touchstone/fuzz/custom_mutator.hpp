// libFuzzer's custom-mutator hooks on session programs, for any harness that
// runs programs in-process (ours: fuzz/target_program.cpp; docs/fuzzing.md,
// "target_program", shows another project's harness). An input is a program
// in the binary form of program_binary.hpp (fuzz_target_program_seeds turns
// JSON programs into it). No JSON here: the clang fuzz preset builds this
// without the JSON code (nlohmann-json under ASan is slow to compile).
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

namespace touchstone::fuzz {

// The program an input holds, nullopt when it holds none within the bounds.
std::optional<program> program_from_input(const std::uint8_t* data, std::size_t size);

// Writes `p` in binary into data[0, max_size): steps are dropped from the end
// (then the login offers) until it fits. Returns the size written, 0 when
// not even the empty program fits.
std::size_t write_program(const program& p, std::uint8_t* data, std::size_t max_size);

// LLVMFuzzerCustomMutator: parses the input (a fresh generated program when
// it holds none), applies one to four mutator.hpp mutations seeded from
// `seed`, writes the result back within max_size. Same input and seed, same
// output.
std::size_t custom_mutate(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed);

// LLVMFuzzerCustomCrossOver: the mutator's crossover of the two programs
// (either generated when it does not parse), written to out within max_size.
std::size_t custom_crossover(const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b,
                             std::size_t b_size, std::uint8_t* out, std::size_t max_size,
                             unsigned seed);

}  // namespace touchstone::fuzz
