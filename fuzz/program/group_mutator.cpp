// Group mutation: mostly one member mutated as a program is (the schedule
// tolerates members that grew or shrank: program_group.hpp), else the
// schedule reordered, or the ISIDs made equal (a reinstatement) or distinct.
#include <algorithm>

#include "pick.hpp"
#include "touchstone/fuzz/group_generator.hpp"

namespace touchstone::fuzz {

group_mutator::group_mutator(std::uint64_t seed, generator_options options)
    : members_(seed, options), rng_(seed ^ 0x6d75'6c74'6900'0000) {}

void group_mutator::mutate(program_group& g) {
  if (g.sessions.empty()) return;
  switch (weighted(rng_, {70, 20, 10})) {
    case 0: members_.mutate(g.sessions[uniform(rng_, 0, g.sessions.size() - 1)]); break;
    case 1: mutate_schedule(g); break;
    default: mutate_isids(g); break;
  }
  clamp_to_bounds(g);
}

void group_mutator::mutate_schedule(program_group& g) {
  auto& s = g.schedule;
  switch (uniform(rng_, 0, 3)) {
    case 0:  // two turns swapped
      if (s.size() >= 2) std::swap(s[uniform(rng_, 0, s.size() - 1)], s[uniform(rng_, 0, s.size() - 1)]);
      break;
    case 1:  // one turn moved to the end
      if (!s.empty()) {
        const auto at = s.begin() + static_cast<std::ptrdiff_t>(uniform(rng_, 0, s.size() - 1));
        std::rotate(at, at + 1, s.end());
      }
      break;
    case 2:  // a turn for a session inserted
      if (s.size() < max_schedule)
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(uniform(rng_, 0, s.size())),
                 static_cast<std::uint8_t>(uniform(rng_, 0, g.sessions.size() - 1)));
      break;
    default: s = shuffled_schedule(g, rng_); break;
  }
}

void group_mutator::mutate_isids(program_group& g) {
  if (g.sessions.size() < 2) return;
  const auto a = uniform(rng_, 0, g.sessions.size() - 1);
  const auto b = uniform(rng_, 0, g.sessions.size() - 1);
  auto& isid = g.sessions[b].login.isid;
  // The same ISID as another session (reinstatement), or a new one.
  isid = chance(rng_, 60) ? g.sessions[a].login.isid : (isid ^ (1 + uniform(rng_, 0, 0xfe))) & max_isid;
  if (b > 0 && chance(rng_, 30)) {
    g.tsih_from.resize(g.sessions.size(), -1);
    g.tsih_from[b] = g.tsih_from[b] < 0 ? static_cast<std::int8_t>(uniform(rng_, 0, b - 1)) : std::int8_t{-1};
  }
}

}  // namespace touchstone::fuzz
