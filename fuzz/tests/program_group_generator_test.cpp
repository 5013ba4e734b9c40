// Program groups generated, mutated and minimised without a target: every
// kind within the bounds and deterministic, reinstatement groups share an
// ISID, the mutator keeps the bounds, the minimiser drops sessions first.
#include <catch2/catch.hpp>

#include "touchstone/fuzz/group_generator.hpp"
#include "touchstone/fuzz/minimiser.hpp"

using namespace touchstone;
using namespace touchstone::fuzz;

TEST_CASE("each group kind is generated within the bounds, the same for a seed", "[fuzz][program][group]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    for (auto k : {group_kind::reservations, group_kind::session_reinstatement,
                   group_kind::connection_reinstatement, group_kind::racing}) {
      const auto g = group_generator(seed).next(k);
      INFO("seed " << seed << " " << name(k));
      CHECK(bound_violation(g).empty());
      CHECK(g == group_generator(seed).next(k));
      REQUIRE(g.sessions.size() >= 2);
      // The schedule names every turn: nothing is left for after it.
      CHECK(turn_order(g) == g.schedule);
      const bool same_isid = g.sessions[0].login.isid == g.sessions[1].login.isid;
      const bool reinstates = k == group_kind::session_reinstatement || k == group_kind::connection_reinstatement;
      CHECK(same_isid == reinstates);
      CHECK((k == group_kind::connection_reinstatement) == !g.tsih_from.empty());
    }
  }
}

TEST_CASE("group mutation keeps the bounds", "[fuzz][program][group]") {
  group_generator gen(3);
  group_mutator mut(3);
  for (int i = 0; i < 200; ++i) {
    auto g = gen.next();
    for (int n = 0; n < 8; ++n) mut.mutate(g);
    INFO("round " << i);
    REQUIRE(bound_violation(g).empty());
  }
}

TEST_CASE("the group minimiser drops whole sessions before steps", "[fuzz][program][group]") {
  auto g = group_generator(5).next(group_kind::racing);
  REQUIRE(g.sessions.size() >= 2);
  // Planted: the finding needs session 1's first step and nothing else.
  const auto needed = g.sessions[1].steps[0];
  const auto has_needed = [&](const program_group& c) {
    for (const auto& p : c.sessions)
      for (const auto& s : p.steps)
        if (s == needed) return true;
    return false;
  };
  const auto m = minimise(g, has_needed);
  REQUIRE(m.smallest.sessions.size() == 1);
  CHECK(m.smallest.sessions[0].steps.size() == 1);
  CHECK(m.smallest.schedule.empty());
  CHECK(m.oracle_calls < 200);
}
