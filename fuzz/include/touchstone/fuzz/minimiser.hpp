// Shrinks a program that reproduces something: chunks of steps deleted (half
// the program, then quarters, ... single steps, from the end backwards), the
// same over the login offers, then each PDU field by field back toward
// the value a fresh builder writes (fresh_bhs), the data and AHS dropped and
// the send plan reset, keeping each change the oracle still accepts.
#pragma once

#include <cstddef>
#include <algorithm>
#include <functional>
#include <vector>

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

// A flaky finding: each candidate is kept on one showing, so the smallest may
// fail its confirmation while a larger one kept earlier would pass. trail
// holds the kept candidates in order (the input first, each smaller than the
// one before); this tries the smallest, then steps back 1, 2, 4, ... places,
// at most max_tries confirmations, and returns the index of the first that
// `confirm` accepts (0, the input, when none: the caller confirmed it).
template <class Input, class Confirm>
std::size_t smallest_confirmed(const std::vector<Input>& trail, Confirm&& confirm, std::size_t max_tries) {
  if (trail.size() < 2) return 0;
  std::size_t back = 0;
  for (std::size_t tries = 0; tries < max_tries; ++tries) {
    const std::size_t at = trail.size() - 1 - back;
    if (at == 0) break;
    if (confirm(trail[at])) return at;
    back = back == 0 ? 1 : std::min(back * 2, trail.size() - 1);
  }
  return 0;
}

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
