// The adaptive answer deadline (answer_pace.hpp).
#include "answer_pace.hpp"

#include <algorithm>

namespace touchstone::fuzz::tool {

void answer_pace::add(const std::vector<std::uint32_t>& micros) {
  for (const auto us : micros) {
    ring_[next_] = us;
    next_ = (next_ + 1) % window;
    filled_ = std::min(filled_ + 1, window);
    if (++since_ >= 256 && filled_ >= min_samples) recompute();
  }
}

void answer_pace::recompute() {
  since_ = 0;
  std::vector<std::uint32_t> sorted(ring_.begin(), ring_.begin() + static_cast<std::ptrdiff_t>(filled_));
  const auto at = sorted.begin() + static_cast<std::ptrdiff_t>(filled_ * 99 / 100);
  std::nth_element(sorted.begin(), at, sorted.end());
  p99_ = *at;
  // 4x the p99, rounded up to whole milliseconds, between the floor and --wait.
  const conformance::milliseconds four_p99{static_cast<long>((std::uint64_t{p99_} * 4 + 999) / 1000)};
  wait_ = std::clamp(four_p99, std::min(floor, ceiling_), ceiling_);
}

}  // namespace touchstone::fuzz::tool
