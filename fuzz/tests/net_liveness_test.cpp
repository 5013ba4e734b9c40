// The liveness classifier: its table on synthetic probe results, then the
// four test targets (reference target behind the trigger proxy): one that
// keeps serving (ok), dies on the trigger (crash), stops answering
// everything (hang), stops answering one session only (stall); a target
// process known to have exited is a crash after one refused probe.
#include <catch2/catch.hpp>

#include "net_test_target.hpp"
#include "touchstone/conformance/context.hpp"
#include "touchstone/conformance/login.hpp"
#include "touchstone/fuzz/net/liveness.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz::net;
using steady = conformance::clock;

namespace {

// A served probe needs its steps answered within the deadline: 1 s leaves
// room for a loaded machine (ASan); a hang costs 3 probes x 1 s.
const liveness_options quick{3, milliseconds{600}, milliseconds{1000}, {}};

// Feeds results one per 300 ms of synthetic time; the verdict at the end.
verdict classify(session_end end, std::initializer_list<probe_result> results) {
  liveness_classifier c(end, quick);
  auto when = steady::time_point{} + std::chrono::hours(1);
  for (const auto r : results) {
    c.on_probe(r, when);
    when += milliseconds{300};
  }
  return c.current();
}

// A fuzzed session: logs in through the proxy, sends the trigger (a NOP-Out
// asking for an answer), waits for it; how the session ended.
session_end fuzzed_session(const test::proxied_target& t) {
  const conformance::timing times{milliseconds{1000}, milliseconds{500}};
  const auto config = t.config();  // the context keeps a reference
  conformance::case_context ctx(config, times);
  conformance::session s(config.portal, times);
  REQUIRE_FALSE(s.connect());
  REQUIRE(conformance::login(s, ctx.normal_login()).ok());
  REQUIRE_FALSE(s.send(pdu::nop_out_builder{}
                           .immediate()
                           .initiator_task_tag(test::trigger_itt)
                           .cmd_sn(s.cmd_sn())
                           .exp_stat_sn(s.exp_stat_sn())
                           .build()));
  return end_of(s.expect_pdu(milliseconds{1000}));
}

liveness_report judge(test::misbehaviour m, session_end expected_end) {
  test::proxied_target t(m);
  const auto end = fuzzed_session(t);
  CHECK(end == expected_end);
  auto report = judge_liveness(t.config(), end, quick);
  INFO(report.summary);
  CHECK(report.probes.size() <= 3);
  return report;
}

}  // namespace

TEST_CASE("liveness: the classifier's table", "[fuzz][net]") {
  using r = probe_result;
  CHECK(classify(session_end::answered, {r::served}) == verdict::ok);
  CHECK(classify(session_end::closed, {r::served}) == verdict::ok);
  CHECK(classify(session_end::silent, {r::served}) == verdict::stall);
  CHECK(classify(session_end::silent, {r::refused, r::served}) == verdict::stall);
  CHECK(classify(session_end::closed, {r::refused, r::dropped, r::refused}) == verdict::crash);
  CHECK(classify(session_end::silent, {r::refused, r::refused, r::refused}) == verdict::crash);
  CHECK(classify(session_end::silent, {r::stalled, r::stalled, r::stalled}) == verdict::hang);
  CHECK(classify(session_end::silent, {r::refused, r::stalled, r::refused}) == verdict::hang);
  // Not decided before N probes over T: two probes 300 ms apart.
  CHECK(classify(session_end::closed, {r::refused, r::refused}) == verdict::pending);
  // A verdict, once reached, stays.
  CHECK(classify(session_end::closed, {r::refused, r::refused, r::refused, r::served}) == verdict::crash);
}

TEST_CASE("liveness: a target that keeps serving is ok", "[fuzz][net]") {
  const auto report = judge(test::misbehaviour::none, session_end::answered);
  CHECK(report.outcome == verdict::ok);
  REQUIRE(report.probes.size() == 1);
  CHECK(report.probes[0].result == probe_result::served);
}

TEST_CASE("liveness: a target that dies after the trigger PDU is a crash", "[fuzz][net]") {
  const auto report = judge(test::misbehaviour::crash, session_end::closed);
  CHECK(report.outcome == verdict::crash);
  for (const auto& p : report.probes) CHECK(p.result == probe_result::refused);
}

TEST_CASE("liveness: a target that stops answering everything is a hang", "[fuzz][net]") {
  const auto report = judge(test::misbehaviour::hang, session_end::silent);
  CHECK(report.outcome == verdict::hang);
  REQUIRE(report.probes.size() == 3);
  CHECK(report.probes[0].result == probe_result::stalled);
  CHECK(report.probes[0].step == "login");
}

TEST_CASE("liveness: a target that stops answering one session is a stall", "[fuzz][net]") {
  const auto report = judge(test::misbehaviour::stall, session_end::silent);
  CHECK(report.outcome == verdict::stall);
  REQUIRE(report.probes.size() == 1);
  CHECK(report.probes[0].result == probe_result::served);
}

// A supervised target whose process is known to have exited: the probe that
// was refused is followed by the crash verdict, not by the rest of the span.
TEST_CASE("liveness: a target process known to have exited is a crash after one probe", "[fuzz][net]") {
  test::proxied_target t(test::misbehaviour::crash);
  const auto end = fuzzed_session(t);
  auto o = quick;
  int asked = 0;
  o.gone = [&] { return ++asked > 0; };
  const auto report = judge_liveness(t.config(), end, o);
  INFO(report.summary);
  CHECK(report.outcome == verdict::crash);
  REQUIRE(report.probes.size() == 1);
  CHECK(report.probes[0].result == probe_result::refused);
  CHECK(asked == 1);
  CHECK(report.summary.find("the target process exited") != std::string::npos);
  // Nobody knows of an exit: the probes cover the span as before.
  o.gone = [] { return false; };
  CHECK(judge_liveness(t.config(), end, o).probes.size() == 3);
}
