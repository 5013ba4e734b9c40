// Program groups minimised: sessions dropped first (a finding of one
// session's making sheds the others in a few runs), then each member
// shrunk by the program minimiser inside the group.
#include <algorithm>

#include "touchstone/fuzz/minimiser.hpp"

namespace touchstone::fuzz {
namespace {

// g without session i: schedule entries for it gone, later indexes moved
// down, tsih_from references to it cleared.
program_group without(const program_group& g, std::size_t i) {
  program_group out = g;
  out.sessions.erase(out.sessions.begin() + static_cast<std::ptrdiff_t>(i));
  out.schedule.clear();
  for (const auto s : g.schedule)
    if (s != i) out.schedule.push_back(static_cast<std::uint8_t>(s > i ? s - 1 : s));
  out.tsih_from.clear();
  for (std::size_t k = 0; k < g.tsih_from.size(); ++k) {
    if (k == i) continue;
    const auto f = g.tsih_from[k];
    out.tsih_from.push_back(f < 0 || static_cast<std::size_t>(f) == i ? std::int8_t{-1}
                            : static_cast<std::size_t>(f) > i           ? static_cast<std::int8_t>(f - 1)
                                                                        : f);
  }
  if (std::all_of(out.tsih_from.begin(), out.tsih_from.end(), [](std::int8_t f) { return f < 0; }))
    out.tsih_from.clear();
  if (out.sessions.size() == 1) out.schedule.clear();
  return out;
}

}  // namespace

minimised_group minimise(const program_group& input, const group_oracle& still_reproduces, std::size_t max_calls) {
  minimised_group m{input, 0};
  auto& g = m.smallest;
  // Sessions, from the last: each dropped when the rest still reproduce.
  for (std::size_t i = g.sessions.size(); i-- > 0 && g.sessions.size() > 1 && m.oracle_calls < max_calls;) {
    auto candidate = without(g, i);
    ++m.oracle_calls;
    if (still_reproduces(candidate)) g = std::move(candidate);
  }
  // Then each member, the others as they are.
  for (std::size_t i = 0; i < g.sessions.size() && m.oracle_calls < max_calls; ++i) {
    const auto left = max_calls - m.oracle_calls;
    const auto one = minimise(
        g.sessions[i],
        [&](const program& p) {
          auto candidate = g;
          candidate.sessions[i] = p;
          return still_reproduces(candidate);
        },
        left);
    g.sessions[i] = one.smallest;
    m.oracle_calls += one.oracle_calls;
  }
  return m;
}

}  // namespace touchstone::fuzz
