// Reproduction and minimisation of findings against the trigger proxy: a
// planted departure (the proxy breaks the one answer to its trigger) among
// ten other steps is found, reproduces 2 of 3, and minimises to the trigger
// alone; a program without the trigger does not reproduce; a crash needs the
// target restarted between attempts, and is minimised when it can be; a
// target that dies as the connection closes shows a crash.
#include <catch2/catch.hpp>

#include "net_test_target.hpp"
#include "touchstone/conformance/cdb.hpp"
#include "touchstone/fuzz/net/reproduce.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz::net;
using fuzz::numbering;

namespace {

constexpr std::string_view f_bit_rule = "rfc7143#section-11.19/f-bit-set";

reproduce_options quick() {
  reproduce_options o;
  o.run.answer_wait = milliseconds{1000};  // answers end waits early; generous when loaded
  // A login through the proxy to an ASan build on a loaded machine can take
  // seconds: a run that cannot log in never sends its trigger.
  o.run.login_wait = milliseconds{10000};
  o.run.cap = milliseconds{15000};
  o.live = {3, milliseconds{300}, milliseconds{3000}, {}};
  return o;
}

fuzz::step tur() {
  return {pdu::scsi_command_builder{}.cdb(conformance::cdb::test_unit_ready()).build(), {}};
}

// The proxy's trigger: a ping with its ITT, sent as written (follow would
// give it a fresh ITT).
fuzz::step trigger() {
  fuzz::step s{pdu::nop_out_builder{}.immediate().initiator_task_tag(test::trigger_itt).build(),
               {}};
  s.send.numbers = numbering::as_written;
  return s;
}

// `others` TEST UNIT READYs with the trigger at `at` (none when at > others).
fuzz::program planted(std::size_t others, std::size_t at) {
  fuzz::program p;
  for (std::size_t i = 0; i < others; ++i) p.steps.push_back(tur());
  if (at <= others) p.steps.insert(p.steps.begin() + static_cast<std::ptrdiff_t>(at), trigger());
  return p;
}

bool is_trigger(const fuzz::step& s) {
  return s.pdu.op() == pdu::opcode::nop_out &&
         s.pdu.header().initiator_task_tag() == test::trigger_itt;
}

}  // namespace

// 11.19's figure draws byte 1 of a NOP-In as 1 (the F bit), then reserved bits.
TEST_CASE("a departure in a NOP-In ping the engine answers reaches the oracle", "[fuzz][net][reproduce]") {
  test::proxied_target t(test::misbehaviour::ping_depart);
  state_graph graph;
  const auto r = run_program(planted(2, 1), run_target{t.config()}, graph, quick().run);
  INFO(r.detail);
  bool seen = false;
  for (const auto& d : r.departures) seen = seen || d.requirement == f_bit_rule;
  CHECK(seen);
}

TEST_CASE("reproduce: a planted departure is found and minimised to its one step",
          "[fuzz][net][reproduce]") {
  test::proxied_target t(test::misbehaviour::depart);
  const run_target target{t.config()};
  const auto input = planted(10, 6);
  REQUIRE(input.steps.size() == 11);

  // Found: one run gives the departure, as a campaign would see it.
  state_graph graph;
  auto o = quick();
  const auto found = run_program(input, target, graph, o.run);
  INFO(found.detail);
  const auto seen = signatures_of(found, nullptr);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].kind == finding_kind::protocol);
  CHECK(seen[0].requirement == f_bit_rule);
  // The run's last request is the last TEST UNIT READY, not the trigger.
  CHECK(seen[0].last_request.opcode == 0x01);

  minimise_finding_options mo;
  mo.reproduce = o;
  mo.budget = milliseconds{30000};
  const auto m = minimise_finding(input, target, seen[0], mo);
  INFO(m.note << "; " << m.oracle_calls << " oracle calls, " << m.runs << " runs, " << m.seconds
              << " s");
  CHECK(m.reproduced);
  CHECK(m.confirmed);
  CHECK(m.steps_before == 11);
  REQUIRE(m.steps_after == 1);
  REQUIRE(m.smallest.steps.size() == 1);
  CHECK(is_trigger(m.smallest.steps[0]));
  CHECK(m.note.empty());
  CHECK(m.runs >= m.oracle_calls);  // every call ran, plus the checks
  CHECK(m.restarts == 0);
}

TEST_CASE("reproduce: a program without the trigger does not reproduce", "[fuzz][net][reproduce]") {
  test::proxied_target t(test::misbehaviour::depart);
  const run_target target{t.config()};
  signature wanted;
  wanted.kind = finding_kind::protocol;
  wanted.requirement = std::string(f_bit_rule);
  reproducer r(target, wanted, quick());
  CHECK_FALSE(r.reproduces(planted(10, 99)));
  CHECK(r.runs() == 2);  // two misses of three runs decide it
  CHECK(r.reproduces(planted(2, 1)));
  CHECK(r.runs() == 4);  // two showings decide it
  // Another requirement id is another finding.
  wanted.requirement = "rfc7143#section-11.19/response-ttt-reserved";
  CHECK_FALSE(reproduces(planted(2, 1), target, wanted, quick()));
  const auto m = minimise_finding(planted(10, 99), target, wanted, {quick(), milliseconds{5000}});
  CHECK_FALSE(m.reproduced);
  CHECK(m.steps_after == 10);
  CHECK(m.oracle_calls == 0);
}

TEST_CASE("reproduce: a crash is minimised only with a restart between attempts",
          "[fuzz][net][reproduce]") {
  auto t = std::make_unique<test::proxied_target>(test::misbehaviour::crash);
  run_target target{t->config()};
  signature wanted;
  wanted.kind = finding_kind::crash;
  const auto input = planted(4, 2);

  // Without a restart: the crash shows once, then the target is lost.
  reproducer once(target, wanted, quick());
  CHECK(once.shows(input));
  CHECK_FALSE(once.shows(input));
  CHECK(once.lost());
  CHECK(once.runs() == 1);
  const auto none =
      minimise_finding(input, target, wanted, {quick(), milliseconds{5000}}, {}, true);
  CHECK_FALSE(none.reproduced);
  CHECK(none.runs == 0);
  CHECK(none.note == "the target is down and cannot be restarted");

  // With one: a new target (and proxy, on its own port) before each attempt
  // after one that left it down.
  int restarts = 0;
  const auto restart = [&] {
    t = std::make_unique<test::proxied_target>(test::misbehaviour::crash);
    target.config = t->config();
    ++restarts;
    return true;
  };
  const auto m =
      minimise_finding(input, target, wanted, {quick(), milliseconds{30000}}, restart, true);
  INFO(m.note << "; " << m.oracle_calls << " oracle calls, " << m.runs << " runs, " << m.seconds
              << " s");
  CHECK(m.reproduced);
  CHECK(m.confirmed);
  REQUIRE(m.smallest.steps.size() == 1);
  CHECK(is_trigger(m.smallest.steps[0]));
  CHECK(m.restarts == static_cast<std::uint64_t>(restarts));
  CHECK(restarts >= 3);  // the first attempt and every showing after it
}

// tgtd dies after its last answer (the proxy here as the connection
// closes): the session itself ended answered, so only a liveness judgement after it sees the crash (--replay
// always judges; the reproducer did so only after an odd end, and then
// counted the next candidate, which found no target, as not showing).
TEST_CASE("reproduce: a target that dies as the connection closes shows a crash", "[fuzz][net][reproduce]") {
  auto t = std::make_unique<test::proxied_target>(test::misbehaviour::crash_at_close);
  run_target target{t->config()};
  int restarts = 0;
  const auto restart = [&] {
    t = std::make_unique<test::proxied_target>(test::misbehaviour::crash_at_close);
    target.config = t->config();
    ++restarts;
    return true;
  };
  signature wanted;
  wanted.kind = finding_kind::crash;
  std::vector<run_note> notes;
  auto o = quick();
  o.on_run = [&](const run_note& n) { notes.push_back(n); };
  reproducer traced(target, wanted, o, restart);
  CHECK_FALSE(traced.shows(planted(3, 99)));  // no trigger: the target lives
  CHECK(traced.shows(planted(3, 1)));
  CHECK(traced.shows(planted(3, 1)));  // restarted first
  REQUIRE(notes.size() == 3);
  CHECK(notes[0].end == "answered");
  CHECK(notes[0].verdict == "ok");
  CHECK(notes[1].end == "answered");
  CHECK(notes[1].verdict == "crash");
  CHECK(notes[1].shown);
  CHECK(notes[2].shown);
  CHECK(traced.restarts() == 1);
  CHECK(restarts == 1);
}

// --minimize-fresh: every run after the first meets a restarted target, a
// run that left it serving too (nothing one run corrupted reaches the next).
TEST_CASE("reproduce: a fresh target restarts before every run after the first", "[fuzz][net][reproduce]") {
  auto t = std::make_unique<test::proxied_target>(test::misbehaviour::depart);
  run_target target{t->config()};
  int restarts = 0;
  const auto restart = [&] {
    t = std::make_unique<test::proxied_target>(test::misbehaviour::depart);
    target.config = t->config();
    ++restarts;
    return true;
  };
  signature wanted;
  wanted.kind = finding_kind::protocol;
  wanted.requirement = std::string(f_bit_rule);
  auto o = quick();
  o.fresh_target = true;
  reproducer r(target, wanted, o, restart);
  CHECK(r.shows(planted(2, 1)));
  CHECK(restarts == 0);
  CHECK_FALSE(r.shows(planted(2, 99)));
  CHECK(restarts == 1);
  CHECK(r.reproduces(planted(2, 1)));  // two runs, each after a restart
  CHECK(restarts == 3);
  CHECK(r.restarts() == 3);
}
