// Shrinks a program that reproduces something: delta debugging (ddmin) over
// the steps, then the login offers, then each PDU field by field back toward
// the value a fresh builder writes (fresh_bhs), the data and AHS dropped and
// the send plan reset, keeping each change the oracle still accepts.
#pragma once

#include <cstddef>
#include <functional>

#include "touchstone/fuzz/program.hpp"
#include "touchstone/fuzz/program_group.hpp"

namespace touchstone::fuzz {

// True when the program still reproduces the finding.
using oracle = std::function<bool(const program&)>;

inline constexpr std::size_t default_max_oracle_calls = 2000;

struct minimised {
  program smallest;
  std::size_t oracle_calls = 0;
};

// The input itself is not checked (the caller saw it reproduce); at most
// max_calls oracle calls are made.
minimised minimise(const program& input, const oracle& still_reproduces,
                   std::size_t max_calls = default_max_oracle_calls);

// Program groups (several sessions at once): whole sessions dropped first
// (the schedule and tsih_from renumbered), then each remaining session
// shrunk as a program is, the others held; a group left with one session
// is an ordinary program. Same contract as above.
using group_oracle = std::function<bool(const program_group&)>;

struct minimised_group {
  program_group smallest;
  std::size_t oracle_calls = 0;
};

minimised_group minimise(const program_group& input, const group_oracle& still_reproduces,
                         std::size_t max_calls = default_max_oracle_calls);

}  // namespace touchstone::fuzz
