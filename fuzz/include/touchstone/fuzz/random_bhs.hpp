// --strategy random-bhs: the baseline ci/bench-fuzz compares the
// structure-aware mode with. It does what SPDK's iscsi_fuzz does: one
// normal login (no offers), then PDUs whose 48 BHS bytes are all random
// (random opcodes, random length fields) with no AHS and no data segment,
// sent as written (no numbering followed). Same seed, same programs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

#include "touchstone/fuzz/program.hpp"

namespace touchstone::fuzz {

class random_bhs_generator {
 public:
  explicit random_bhs_generator(std::uint64_t seed, std::size_t max_steps = 24);
  program next();

 private:
  std::mt19937_64 rng_;
  std::size_t max_steps_;
};

}  // namespace touchstone::fuzz
