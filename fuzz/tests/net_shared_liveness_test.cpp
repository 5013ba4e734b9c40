// Liveness judgements shared by a campaign's jobs: a probe served after a
// session ended answers for it (ok, or stall for a silent session); a
// session that ended after the last served probe began gets probes of its
// own, so a target that dies later is still judged a crash.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "net_test_target.hpp"
#include "touchstone/conformance/context.hpp"
#include "touchstone/conformance/login.hpp"
#include "touchstone/fuzz/net/shared_liveness.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz::net;
using steady = conformance::clock;

namespace {

constexpr liveness_options quick{3, milliseconds{600}, milliseconds{1000}};

// Logs in through the proxy and sends its trigger (a NOP-Out ping).
void send_trigger(const test::proxied_target& t) {
  const conformance::timing times{milliseconds{1000}, milliseconds{500}};
  const auto config = t.config();
  conformance::case_context ctx(config, times);
  conformance::session s(config.portal, times);
  REQUIRE_FALSE(s.connect());
  REQUIRE(conformance::login(s, ctx.normal_login()).ok());
  REQUIRE_FALSE(s.send(pdu::nop_out_builder{}.immediate().initiator_task_tag(test::trigger_itt)
                           .cmd_sn(s.cmd_sn()).exp_stat_sn(s.exp_stat_sn()).build()));
  s.expect_pdu(milliseconds{500});
}

}  // namespace

TEST_CASE("shared liveness: sessions that ended before a served probe began are judged by it",
          "[fuzz][net]") {
  test::proxied_target t(test::misbehaviour::none);
  shared_liveness live;
  const auto ended = steady::now();
  const auto own = live.judge(t.config(), session_end::closed, ended, quick);
  CHECK(own.outcome == verdict::ok);
  CHECK_FALSE(own.shared);
  REQUIRE(own.probes.size() == 1);
  CHECK(own.probes[0].result == probe_result::served);

  const auto closed = live.judge(t.config(), session_end::closed, ended, quick);
  CHECK(closed.shared);
  CHECK(closed.outcome == verdict::ok);
  const auto silent = live.judge(t.config(), session_end::silent, ended, quick);
  CHECK(silent.shared);
  CHECK(silent.outcome == verdict::stall);
  INFO(silent.summary);
  CHECK(silent.summary.find("another job's probe") != std::string::npos);
  CHECK(live.shared() == 2);

  // Ended after that probe began: a probe of its own.
  const auto later = live.judge(t.config(), session_end::closed, steady::now(), quick);
  CHECK_FALSE(later.shared);
  CHECK(later.outcome == verdict::ok);
  CHECK(live.shared() == 2);
}

TEST_CASE("shared liveness: a probe served before the target died answers for no later session",
          "[fuzz][net]") {
  test::proxied_target t(test::misbehaviour::crash);
  shared_liveness live;
  REQUIRE(live.judge(t.config(), session_end::closed, steady::now(), quick).outcome == verdict::ok);
  send_trigger(t);  // the target goes away
  const auto report = live.judge(t.config(), session_end::closed, steady::now(), quick);
  INFO(report.summary);
  CHECK_FALSE(report.shared);
  CHECK(report.outcome == verdict::crash);
  CHECK(live.shared() == 0);
}

TEST_CASE("shared liveness: jobs whose sessions ended together wait for one probe", "[fuzz][net]") {
  test::proxied_target t(test::misbehaviour::none);
  shared_liveness live;
  const auto ended = steady::now();
  // Whichever job comes first probes; every other one finds that probe in
  // flight (it began after their sessions ended) or landed, and takes it.
  std::vector<std::thread> jobs;
  std::atomic<int> ok{0}, own{0};
  for (int i = 0; i < 8; ++i)
    jobs.emplace_back([&] {
      const auto r = live.judge(t.config(), session_end::closed, ended, quick);
      if (r.outcome == verdict::ok) ++ok;
      if (!r.shared) ++own;
    });
  for (auto& j : jobs) j.join();
  CHECK(ok == 8);
  CHECK(own == 1);
  CHECK(live.shared() == 7);
}
