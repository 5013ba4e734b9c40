// The binary form of program groups (program_group_binary.hpp) and the
// custom-mutator hooks on group inputs (custom_mutator.hpp): round trips of
// generated and mutated groups, a group of one as its program's own TSP1
// bytes, refused malformed inputs, mutation and crossover within MaxSize.
#include <catch2/catch.hpp>

#include "touchstone/fuzz/custom_mutator.hpp"
#include "touchstone/fuzz/group_generator.hpp"
#include "touchstone/fuzz/program_binary.hpp"
#include "touchstone/fuzz/program_group_binary.hpp"

using namespace touchstone::fuzz;

namespace {

constexpr group_kind kinds[] = {group_kind::reservations, group_kind::session_reinstatement,
                                group_kind::connection_reinstatement, group_kind::racing};

// The offset of the first member's length field in a TSG1 group.
std::size_t first_member_at(const program_group& g) {
  return 4 + 1 + 2 + g.schedule.size() + 1 + g.tsih_from.size();
}

}  // namespace

TEST_CASE("generated and mutated groups round-trip through the binary form", "[fuzz][program][binary][group]") {
  group_mutator m(23);
  for (std::uint64_t seed = 0; seed < 8; ++seed) {
    for (const auto kind : kinds) {
      auto g = group_generator(seed).next(kind);
      for (int i = 0; i < 12; ++i) {
        const auto bytes = save_binary(g);
        const auto back = load_group_binary(bytes);
        INFO(name(kind) << " seed " << seed << " mutation " << i << ": "
                        << (back ? std::string() : back.error().message));
        REQUIRE(back);
        REQUIRE(*back == g);
        m.mutate(g);
      }
    }
  }
}

TEST_CASE("a group of one is its program's TSP1 bytes, and TSP1 loads as a group of one",
          "[fuzz][program][binary][group]") {
  const program p = generate(9);
  const auto single = save_binary(p);
  CHECK(save_binary(program_group{{p}, {}, {}}) == single);
  const auto g = load_group_binary(single);
  REQUIRE(g);
  REQUIRE(g->sessions.size() == 1);
  CHECK(g->sessions.front() == p);
  CHECK(group_from_input(single.data(), single.size()) == *g);
  CHECK(program_from_input(single.data(), single.size()) == p);
  // A harness of single programs takes no group.
  const auto group = save_binary(group_generator(1).next(group_kind::racing));
  CHECK_FALSE(program_from_input(group.data(), group.size()));
  CHECK(group_from_input(group.data(), group.size()));
}

TEST_CASE("a cut, extended or out-of-bounds binary group is refused", "[fuzz][program][binary][group]") {
  const auto g = group_generator(4).next(group_kind::reservations);
  const auto bytes = save_binary(g);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    REQUIRE_FALSE(load_group_binary(std::span(bytes.data(), n)));
  }
  auto longer = bytes;
  longer.push_back(0);
  CHECK(load_group_binary(longer).error().message == "1 bytes after the last session");

  auto count = bytes;
  count[4] = 1;  // a group of one must be TSP1
  CHECK(load_group_binary(count).error().message == "sessions: 1, from 2 to 4");
  count[4] = 5;
  CHECK(load_group_binary(count).error().message == "sessions: 5, from 2 to 4");
  auto turns = bytes;
  turns[5] = 0xff, turns[6] = 0xff;  // more turns than max_schedule
  CHECK(load_group_binary(turns).error().message.starts_with("schedule: 65535 turns"));
  auto turn = bytes;
  turn[7] = 9;  // a turn for a session the group does not have
  CHECK(load_group_binary(turn).error().message.starts_with("schedule[0]: session 9"));
  auto member = bytes;  // a member length far past the input: refused, not read
  const auto at = first_member_at(g);
  member[at] = 0xff, member[at + 1] = 0xff, member[at + 2] = 0xff, member[at + 3] = 0xff;
  CHECK(load_group_binary(member).error().message == "sessions[0]: input ends early");
  auto inner = bytes;  // a member that is not TSP1
  inner[at + 4] = 'X';
  CHECK(load_group_binary(inner).error().message.starts_with("sessions[0]: not a binary session program"));

  program_group bad = g;
  bad.tsih_from = {-1, 1};  // a session's own TSIH
  if (bad.sessions.size() > 2) bad.tsih_from.resize(bad.sessions.size(), -1);
  CHECK(load_group_binary(save_binary(bad)).error().message.starts_with("tsih_from[1]: 1"));
  auto froms = save_binary(program_group{g.sessions, g.schedule, {}});
  froms[first_member_at(program_group{g.sessions, g.schedule, {}}) - 1] = 1;  // one entry for n sessions
  CHECK_FALSE(load_group_binary(froms));
}

TEST_CASE("custom_mutate keeps a group a group within MaxSize and turns some programs into groups",
          "[fuzz][program][binary][group]") {
  std::vector<std::uint8_t> buf(16384);
  const auto start = save_binary(group_generator(2).next(group_kind::reservations));
  std::copy(start.begin(), start.end(), buf.begin());
  std::size_t n = start.size();
  for (unsigned seed = 0; seed < 200; ++seed) {
    n = custom_mutate(buf.data(), n, 3000, seed);
    REQUIRE(n <= 3000);
    const auto g = group_from_input(buf.data(), n);
    REQUIRE(g);
  }
  // Programs: about group_rate_percent() of the seeds yield a group (0 until
  // a harness sets it; fuzz/target_program.cpp sets 10).
  set_group_rate_percent(group_rate_percent_default);
  const auto p = save_binary(generate(3));
  int groups = 0;
  for (unsigned seed = 0; seed < 400; ++seed) {
    std::vector<std::uint8_t> one(p.begin(), p.end());
    one.resize(16384);
    const auto m = custom_mutate(one.data(), p.size(), one.size(), seed);
    const auto g = group_from_input(one.data(), m);
    REQUIRE(g);
    groups += g->sessions.size() > 1 ? 1 : 0;
  }
  CHECK(groups > 400 * 5 / 100);
  CHECK(groups < 400 * 20 / 100);
  // At rate 0 a program stays a program.
  set_group_rate_percent(0);
  for (unsigned seed = 0; seed < 100; ++seed) {
    std::vector<std::uint8_t> one(p.begin(), p.end());
    one.resize(16384);
    const auto m = custom_mutate(one.data(), p.size(), one.size(), seed);
    REQUIRE(program_from_input(one.data(), m));
  }
}

TEST_CASE("custom_crossover of a group and a program gives a group within MaxSize",
          "[fuzz][program][binary][group]") {
  const auto a = save_binary(generate(1));
  const auto b = save_binary(group_generator(5).next(group_kind::session_reinstatement));
  std::vector<std::uint8_t> out(4096);
  for (unsigned seed = 0; seed < 50; ++seed) {
    const auto n = custom_crossover(a.data(), a.size(), b.data(), b.size(), out.data(), out.size(), seed);
    REQUIRE(n > 0);
    REQUIRE(n <= out.size());
    const auto g = group_from_input(out.data(), n);
    REQUIRE(g);
    CHECK(g->sessions.size() == 2);
  }
}
