// Fuzz the reference target's connection core in-process with session
// programs, the network fuzzer's format (touchstone/fuzz/program.hpp), through
// libFuzzer's custom-mutator hooks: the mutations are the structure-aware ones
// of touchstone::fuzz's mutator (steps inserted, deleted, swapped, BHS fields
// at boundary values, data, send plans, numbering, login plans), not byte
// flips, and crossover splices programs.
//
// Input: a program in the binary form of touchstone/fuzz/program_binary.hpp
// (TSP1), or a program group in that of program_group_binary.hpp (TSG1);
// fuzz_target_program_seeds writes both from JSON. Anything else runs
// nothing. A program runs against a fresh target through
// fuzz/inproc/program_runner.cpp with every oracle of fuzz/target_session.cpp,
// the residual one included; a group runs its members on connections of one
// fresh node (fuzz/inproc/group_runner.cpp), the same oracles per connection.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include "touchstone/fuzz/custom_mutator.hpp"
#include "touchstone/fuzz/inproc/group_runner.hpp"
#include "touchstone/fuzz/inproc/program_runner.hpp"

// TOUCHSTONE_GROUP_RATE=PERCENT: the share of a program's mutations that
// yield a fresh group (default 10; 0: groups only from the corpus).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  unsigned rate = touchstone::fuzz::group_rate_percent_default;
  if (const char* env = std::getenv("TOUCHSTONE_GROUP_RATE")) rate = static_cast<unsigned>(std::strtoul(env, nullptr, 10));
  touchstone::fuzz::set_group_rate_percent(rate);
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned seed) {
  return touchstone::fuzz::custom_mutate(data, size, max_size, seed);
}

extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* a, std::size_t a_size,
                                                 const std::uint8_t* b, std::size_t b_size,
                                                 std::uint8_t* out, std::size_t max_size,
                                                 unsigned seed) {
  return touchstone::fuzz::custom_crossover(a, a_size, b, b_size, out, max_size, seed);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The core logs every violation; at fuzzing speed that is noise.
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  const auto g = touchstone::fuzz::group_from_input(data, size);
  if (!g) return 0;
  if (g->sessions.size() == 1)
    touchstone::fuzz::inproc::run_program(g->sessions.front());
  else
    touchstone::fuzz::inproc::run_group(*g);
  return 0;
}
