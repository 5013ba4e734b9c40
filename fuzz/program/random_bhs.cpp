// The random-BHS baseline's programs (random_bhs.hpp).
#include "touchstone/fuzz/random_bhs.hpp"

#include <algorithm>

#include "pick.hpp"

namespace touchstone::fuzz {

random_bhs_generator::random_bhs_generator(std::uint64_t seed, std::size_t max_steps)
    : rng_(seed), max_steps_(std::clamp<std::size_t>(max_steps, 1, fuzz::max_steps)) {}

program random_bhs_generator::next() {
  program p;
  p.login.kind = login_kind::normal;
  const auto n = uniform(rng_, 1, max_steps_);
  for (std::uint64_t i = 0; i < n; ++i) {
    step s;
    for (auto& b : s.pdu.bhs) b = static_cast<std::uint8_t>(rng_());
    s.send.numbers = numbering::as_written;  // nothing followed
    p.steps.push_back(std::move(s));
  }
  return p;
}

}  // namespace touchstone::fuzz
