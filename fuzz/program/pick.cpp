#include "pick.hpp"

namespace touchstone::fuzz {

std::uint64_t uniform(rng& r, std::uint64_t lo, std::uint64_t hi) {
  if (hi <= lo) return lo;
  const std::uint64_t span = hi - lo;
  if (span == ~std::uint64_t{0}) return r();
  // Modulo bias is irrelevant for fuzzing; determinism is what matters.
  return lo + r() % (span + 1);
}

bool chance(rng& r, unsigned percent) { return uniform(r, 0, 99) < percent; }

std::size_t weighted(rng& r, std::initializer_list<unsigned> weights) {
  std::uint64_t total = 0;
  for (unsigned w : weights) total += w;
  if (total == 0) return 0;
  std::uint64_t x = uniform(r, 0, total - 1);
  std::size_t i = 0;
  for (unsigned w : weights) {
    if (x < w) return i;
    x -= w;
    ++i;
  }
  return 0;
}

std::uint64_t boundary_value(rng& r, unsigned bits) {
  if (bits == 0) return 0;
  const std::uint64_t max = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  const auto power = std::uint64_t{1} << uniform(r, 0, bits - 1);
  switch (uniform(r, 0, 7)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return max;
    case 3: return max - 1;
    case 4: return (power - 1) & max;
    case 5: return (power + 1) & max;
    case 6: return power;
    default: return uniform(r, 0, max);
  }
}

}  // namespace touchstone::fuzz
