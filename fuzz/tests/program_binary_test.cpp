// The binary program form (program_binary.hpp) and libFuzzer's custom-mutator
// hooks on it (custom_mutator.hpp): round trips, refusals, outputs within
// libFuzzer's MaxSize, one output per seed.
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "touchstone/fuzz/custom_mutator.hpp"
#include "touchstone/fuzz/mutator.hpp"
#include "touchstone/fuzz/program_binary.hpp"
#include "touchstone/fuzz/program_json.hpp"

using namespace touchstone::fuzz;

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("generated and mutated programs round-trip through the binary form",
          "[fuzz][program][binary]") {
  mutator m(17);
  program p = generate(17);
  for (int i = 0; i < 300; ++i) {
    if (i % 50 == 0) p = generate(static_cast<std::uint64_t>(i));
    m.mutate(p);
    const auto bytes = save_binary(p);
    const auto back = load_binary(bytes);
    INFO("program " << i << ": " << (back ? std::string() : back.error().message));
    REQUIRE(back);
    REQUIRE(*back == p);
  }
}

TEST_CASE("a cut, extended or out-of-bounds binary program is refused", "[fuzz][program][binary]") {
  const auto bytes = save_binary(generate(3));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    REQUIRE_FALSE(load_binary(std::span(bytes.data(), n)));
  }
  auto longer = bytes;
  longer.push_back(0);
  CHECK(load_binary(longer).error().message == "1 bytes after the last step");

  program p;
  p.steps.resize(max_steps + 1);
  CHECK_FALSE(load_binary(save_binary(p)));
  p.steps.resize(1);
  p.steps[0].send.delay_ms = max_delay_ms + 1;  // within the format, beyond the bounds
  CHECK(load_binary(save_binary(p)).error().message.find("delay_ms") != std::string::npos);
  auto bad_kind = save_binary(program{});
  bad_kind[4] = 9;  // login.kind
  CHECK(load_binary(bad_kind).error().message == "login.kind: unknown value 9");
}

TEST_CASE("an input holds a program in the binary form, or none", "[fuzz][program][binary]") {
  const program p = generate(5);
  const auto binary = save_binary(p);
  CHECK(program_from_input(binary.data(), binary.size()) == p);
  const auto json = bytes_of(save_json(p));
  CHECK_FALSE(program_from_input(json.data(), json.size()));
  const auto junk = bytes_of("TSP0 not a program");
  CHECK_FALSE(program_from_input(junk.data(), junk.size()));
  CHECK_FALSE(program_from_input(nullptr, 0));
}

TEST_CASE("custom_mutate writes a program within MaxSize, the same for the same seed",
          "[fuzz][program][binary]") {
  std::vector<std::uint8_t> a(4096), b(4096);
  // An empty input: a generated program is mutated.
  const auto na = custom_mutate(a.data(), 0, a.size(), 7);
  const auto nb = custom_mutate(b.data(), 0, b.size(), 7);
  REQUIRE(na > 0);
  REQUIRE(na <= a.size());
  CHECK(std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(na), b.begin(),
                   b.begin() + static_cast<std::ptrdiff_t>(nb)));
  REQUIRE(group_from_input(a.data(), na));
  // Mutating its own output over and over never leaves the bound (a program
  // may become a group when a harness sets group_rate_percent).
  std::size_t n = na;
  for (unsigned seed = 0; seed < 200; ++seed) {
    n = custom_mutate(a.data(), n, 600, seed);
    REQUIRE(n <= 600);
    REQUIRE(group_from_input(a.data(), n));
  }
  // Too small for any program: the input is left as it was.
  std::vector<std::uint8_t> tiny{1, 2, 3};
  CHECK(custom_mutate(tiny.data(), tiny.size(), tiny.size(), 1) == 3);
  CHECK(tiny == std::vector<std::uint8_t>{1, 2, 3});
  CHECK(custom_mutate(tiny.data(), 0, 2, 1) == 1);  // never an empty unit
}

TEST_CASE("custom_crossover splices two programs within MaxSize", "[fuzz][program][binary]") {
  const auto a = save_binary(generate(1));
  const auto b = save_binary(generate(2));
  std::vector<std::uint8_t> out(2048);
  for (unsigned seed = 0; seed < 50; ++seed) {
    const auto n = custom_crossover(a.data(), a.size(), b.data(), b.size(), out.data(), out.size(), seed);
    REQUIRE(n > 0);
    REQUIRE(n <= out.size());
    REQUIRE(program_from_input(out.data(), n));
  }
}
