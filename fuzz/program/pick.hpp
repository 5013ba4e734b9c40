// Seeded choices the generator and the mutator share: weighted picks and the
// boundary values of an n-bit field (0, 1, max, max-1, 2^k+-1, all ones).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <random>

namespace touchstone::fuzz {

using rng = std::mt19937_64;

// A uniform integer in [lo, hi] (the engine's output, not a distribution
// object, so a seed means the same program with any standard library).
std::uint64_t uniform(rng& r, std::uint64_t lo, std::uint64_t hi);
// True with probability percent/100.
bool chance(rng& r, unsigned percent);
// The index of the weight picked; weights all zero pick index 0.
std::size_t weighted(rng& r, std::initializer_list<unsigned> weights);
// A value for an n-bit field (1 <= bits <= 64): mostly boundaries, else random.
std::uint64_t boundary_value(rng& r, unsigned bits);

}  // namespace touchstone::fuzz
