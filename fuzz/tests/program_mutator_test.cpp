// The mutator: every mutation keeps the bounds, all kinds apply, and a seed
// means one sequence of mutations.
#include <map>

#include <catch2/catch.hpp>

#include "touchstone/fuzz/mutator.hpp"
#include "touchstone/fuzz/program_json.hpp"

using namespace touchstone::fuzz;

TEST_CASE("10,000 mutations keep every bound", "[fuzz][program][mutator]") {
  mutator m(2026);
  generator g(11);
  std::map<mutation, std::size_t> kinds;
  program p = g.next();
  for (int i = 0; i < 10'000; ++i) {
    if (i % 500 == 0) p = g.next();  // start over now and then, as a fuzzer does
    if (i % 97 == 0) p = m.crossover(p, g.next());
    else ++kinds[m.mutate(p)];
    const auto violation = bound_violation(p);
    INFO("mutation " << i << ": " << violation);
    REQUIRE(violation.empty());
  }
  CHECK(kinds.size() == 9);
}

TEST_CASE("mutated programs still round-trip through JSON", "[fuzz][program][mutator]") {
  mutator m(5);
  program p = generate(5);
  for (int i = 0; i < 150; ++i) {
    m.mutate(p);
    auto loaded = load_json(save_json(p));
    REQUIRE(loaded);
    REQUIRE(*loaded == p);
  }
}

TEST_CASE("growth stops at the step bound", "[fuzz][program][mutator]") {
  mutator m(8);
  program p = generate(8);
  for (int i = 0; i < 2000; ++i) {
    p = m.crossover(p, p);
    p.steps.insert(p.steps.end(), p.steps.begin(), p.steps.end());
    clamp_to_bounds(p);
    m.mutate(p);
    REQUIRE(p.steps.size() <= max_steps);
  }
}

TEST_CASE("the same seed mutates the same way", "[fuzz][program][mutator]") {
  mutator a(17), b(17);
  program pa = generate(1), pb = generate(1);
  for (int i = 0; i < 200; ++i) {
    REQUIRE(a.mutate(pa) == b.mutate(pb));
    REQUIRE(pa == pb);
  }
}
