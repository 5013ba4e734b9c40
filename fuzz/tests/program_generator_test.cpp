// The generator: a seed means one program; different seeds differ; the
// programs keep the bounds; valid opcodes dominate and every step kind shows.
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "touchstone/fuzz/generator.hpp"
#include "touchstone/fuzz/program_json.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz;

TEST_CASE("the same seed gives the same program", "[fuzz][program][generator]") {
  for (std::uint64_t seed : {0ull, 1ull, 42ull, 0xdeadbeefull, ~0ull}) {
    CHECK(generate(seed) == generate(seed));
    CHECK(save_json(generate(seed)) == save_json(generate(seed)));
  }
  generator a(9), b(9);
  for (int i = 0; i < 20; ++i) CHECK(a.next() == b.next());
}

TEST_CASE("different seeds give different programs", "[fuzz][program][generator]") {
  std::set<std::string> seen;
  for (std::uint64_t seed = 0; seed < 200; ++seed) seen.insert(save_json(generate(seed)));
  CHECK(seen.size() == 200);
}

TEST_CASE("generated programs keep the bounds and the mix", "[fuzz][program][generator]") {
  std::map<std::uint8_t, std::size_t> opcodes;
  std::map<login_kind, std::size_t> logins;
  std::size_t steps = 0;
  std::size_t bad_steps = 0;
  generator g(1234, {.mix = {}, .min_steps = 1, .max_steps = max_steps});
  for (int i = 0; i < 300; ++i) {
    const program p = g.next();
    INFO("program " << i);
    REQUIRE(bound_violation(p).empty());
    ++logins[p.login.kind];
    for (const auto& s : p.steps) {
      const auto code = static_cast<std::uint8_t>(s.pdu.bhs[0] & pdu::opcode_mask);
      ++opcodes[code];
      ++steps;
      if (!pdu::is_defined(code) || !pdu::is_initiator_code(code)) ++bad_steps;
    }
  }
  for (auto op : {pdu::opcode::scsi_command, pdu::opcode::data_out, pdu::opcode::nop_out,
                  pdu::opcode::task_mgmt_request, pdu::opcode::text_request, pdu::opcode::snack,
                  pdu::opcode::logout_request, pdu::opcode::login_request})
    CHECK(opcodes[static_cast<std::uint8_t>(op)] > 0);
  CHECK(bad_steps > 0);
  CHECK(bad_steps * 20 < steps);  // valid opcodes dominate
  CHECK(opcodes[0x01] * 3 > steps);
  CHECK(logins.size() == 4);
}

TEST_CASE("a scripted login starts with Login Requests", "[fuzz][program][generator]") {
  generator g(77);
  int scripted = 0;
  for (int i = 0; i < 200 && scripted < 10; ++i) {
    const program p = g.next();
    if (p.login.kind != login_kind::scripted) continue;
    ++scripted;
    REQUIRE_FALSE(p.steps.empty());
    CHECK(p.steps.front().pdu.op() == pdu::opcode::login_request);
  }
  CHECK(scripted == 10);
}

TEST_CASE("a write's Data-Out names the write's step", "[fuzz][program][generator]") {
  generator g(3, {.mix = {.scsi_command = 0, .write_and_data_out = 1, .nop_out = 0, .task_mgmt = 0,
                          .text = 0, .snack = 0, .logout = 0, .unknown_opcode = 0},
                  .min_steps = 1, .max_steps = 24});
  std::size_t data_outs = 0;
  for (int i = 0; i < 50; ++i) {
    auto steps = g.ffp_steps(10);
    REQUIRE(steps.front().pdu.op() == pdu::opcode::scsi_command);
    for (std::size_t j = 1; j < steps.size(); ++j) {
      REQUIRE(steps[j].pdu.op() == pdu::opcode::data_out);
      CHECK(pdu::data_out_view(steps[j].pdu).initiator_task_tag() == 10);
      ++data_outs;
    }
  }
  CHECK(data_outs > 0);
}
