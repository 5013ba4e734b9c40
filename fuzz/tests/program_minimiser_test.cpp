// The minimiser: a planted departure among 40 other steps shrinks to its one
// step, fields go back to a fresh build's values, and the call bound holds;
// a finding that needs a few steps of many is found in few oracle calls.
#include <algorithm>

#include <catch2/catch.hpp>

#include "touchstone/fuzz/generator.hpp"
#include "touchstone/fuzz/minimiser.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz;

namespace {

// INQUIRY (0x12) with ALLOCATION LENGTH 0 (spc4: bytes 3-4 of its CDB; from memory).
bool is_planted(const step& s) {
  if (s.pdu.op() != pdu::opcode::scsi_command) return false;
  const auto cdb = pdu::scsi_command_view(s.pdu).cdb_field();
  return cdb[0] == 0x12 && cdb[3] == 0 && cdb[4] == 0;
}

bool contains_planted(const program& p) {
  for (const auto& s : p.steps)
    if (is_planted(s)) return true;
  return false;
}

program planted_program(std::uint64_t seed, std::size_t position) {
  generator g(seed);
  program p = g.next();
  p.steps.clear();
  while (p.steps.size() < 40) {
    for (auto& s : g.ffp_steps(p.steps.size()))
      if (!is_planted(s) && p.steps.size() < 40) p.steps.push_back(std::move(s));
  }
  step inquiry{pdu::scsi_command_builder{}
                   .read()
                   .expected_data_transfer_length(255)
                   .cmd_sn(1234)
                   .initiator_task_tag(99)
                   .cdb(std::vector<std::uint8_t>{0x12, 0, 0, 0, 0, 0})
                   .build(),
               {}};
  inquiry.send.delay_ms = 50;
  p.steps.insert(p.steps.begin() + static_cast<std::ptrdiff_t>(position), inquiry);
  return p;
}

}  // namespace

TEST_CASE("a planted departure is minimised to its one step", "[fuzz][program][minimiser]") {
  for (std::size_t position : {0u, 17u, 40u}) {
    const program input = planted_program(position + 1, position);
    REQUIRE(input.steps.size() == 41);
    REQUIRE(contains_planted(input));
    const auto out = minimise(input, contains_planted);
    INFO("planted at " << position << ", " << out.oracle_calls << " oracle calls");
    REQUIRE(out.smallest.steps.size() == 1);
    const auto& s = out.smallest.steps[0];
    CHECK(is_planted(s));
    CHECK(out.smallest.login.offers.empty());
    // Fields and the send plan back toward a fresh build.
    const pdu::scsi_command_view v(s.pdu);
    CHECK(v.cmd_sn() == 0);
    CHECK(v.initiator_task_tag() == 0);
    CHECK(v.expected_data_transfer_length() == 0);
    CHECK(s.send == send_plan{});
    CHECK(out.oracle_calls <= default_max_oracle_calls);
  }
}

TEST_CASE("the minimiser never exceeds its oracle call bound", "[fuzz][program][minimiser]") {
  const program input = planted_program(3, 20);
  for (std::size_t bound : {0u, 1u, 5u, 25u, 100u}) {
    std::size_t calls = 0;
    const auto out = minimise(input, [&](const program& p) {
      ++calls;
      return contains_planted(p);
    }, bound);
    CHECK(calls <= bound);
    CHECK(out.oracle_calls == calls);
    CHECK(contains_planted(out.smallest));
  }
  std::size_t calls = 0;
  // An oracle that never reproduces keeps the minimiser trying until the bound.
  const auto out = minimise(input, [&](const program&) { return ++calls == 0; }, 40);
  CHECK(calls == 40);
  CHECK(out.oracle_calls == 40);
}

TEST_CASE("a flaky finding keeps the smallest candidate that confirms", "[fuzz][program][minimiser]") {
  // Sizes of the candidates kept on one showing each, the input first.
  const std::vector<int> trail{22, 11, 6, 5, 4, 3};
  std::vector<int> asked;
  const auto confirms_from = [&](int size) {
    return [&asked, size](int c) {
      asked.push_back(c);
      return c >= size;
    };
  };
  SECTION("the smallest confirms: one confirmation") {
    CHECK(smallest_confirmed(trail, confirms_from(3), 5) == 5);
    CHECK(asked == std::vector<int>{3});
  }
  SECTION("it steps back 1, 2, 4 places from the smallest") {
    CHECK(trail[smallest_confirmed(trail, confirms_from(5), 5)] == 5);
    CHECK(asked == std::vector<int>{3, 4, 5});
    asked.clear();
    CHECK(trail[smallest_confirmed(trail, confirms_from(6), 5)] == 11);
    CHECK(asked == std::vector<int>{3, 4, 5, 11});
  }
  SECTION("none confirms: the input, never asked again, and the tries are bounded") {
    CHECK(smallest_confirmed(trail, confirms_from(100), 5) == 0);
    CHECK(asked == std::vector<int>{3, 4, 5, 11});
    asked.clear();
    CHECK(smallest_confirmed(trail, confirms_from(100), 2) == 0);
    CHECK(asked.size() == 2);
  }
  SECTION("nothing was kept") {
    CHECK(smallest_confirmed(std::vector<int>{22}, confirms_from(100), 5) == 0);
    CHECK(asked.empty());
  }
}

namespace {

// 22 TEST UNIT READYs told apart by their CmdSN (0-21).
program numbered(std::size_t n) {
  program p;
  for (std::size_t i = 0; i < n; ++i)
    p.steps.push_back({pdu::scsi_command_builder{}.cmd_sn(static_cast<std::uint32_t>(i))
                           .cdb(std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0}).build(), {}});
  return p;
}

std::uint32_t number_of(const step& s) { return pdu::scsi_command_view(s.pdu).cmd_sn(); }

}  // namespace

// A finding of a target's making often needs a few steps of a long program
// together (a command, the Data-Out past its EDTL, a later task management
// request). ddmin (halves, then quarters kept or dropped, ...) took 72
// oracle calls for steps 3, 11 and 19 of 22 and 98 for five of 22; every
// call against a peer that crashes is a run, a liveness judgement and a
// restart. Only the step minimisation is counted here (fields are alike).
TEST_CASE("a finding that needs N of M steps is found in few oracle calls", "[fuzz][program][minimiser]") {
  struct planted_case {
    std::size_t m;
    std::vector<std::uint32_t> needed;
    std::size_t at_most;  // oracle calls; ddmin's in the comment
  };
  const std::vector<planted_case> cases{
      {22, {3, 11, 19}, 21},          // ddmin 72
      {22, {2, 7, 12, 16, 21}, 27},   // ddmin 98
      {16, {4, 9}, 14},               // ddmin 34
      {22, {0, 1, 2}, 11},            // ddmin 11
      {41, {17}, 12},                 // ddmin 10
  };
  for (const auto& c : cases) {
    std::size_t calls = 0;
    const auto needs = [&](const program& p) {
      ++calls;
      std::size_t found = 0;
      for (const auto& s : p.steps)
        found += std::count(c.needed.begin(), c.needed.end(), number_of(s)) > 0 ? 1 : 0;
      return found == c.needed.size();
    };
    // Fields are left alone: only CmdSN tells the steps apart, and the
    // field pass would put it back to 0 (the count below is the steps').
    const auto out = minimise(numbered(c.m), needs, c.at_most);
    INFO(c.m << " steps, " << c.needed.size() << " needed, " << calls << " oracle calls");
    REQUIRE(out.smallest.steps.size() == c.needed.size());
    for (std::size_t i = 0; i < c.needed.size(); ++i) CHECK(number_of(out.smallest.steps[i]) == c.needed[i]);
  }
}
