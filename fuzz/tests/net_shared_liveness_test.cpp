// Liveness judgements shared by a campaign's jobs: a probe served after a
// session ended answers for it (ok, or stall for a silent session); a
// session that ended after the last served probe began gets probes of its
// own, so a target that dies later is still judged a crash.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
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

const liveness_options quick{3, milliseconds{600}, milliseconds{1000}, {}};

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

namespace {

// A stand-in for judge_liveness: counts its judgements; the first one is
// held in flight until released; every one is served.
struct held_prober {
  std::mutex m;
  std::condition_variable cv;
  bool released = false;
  std::atomic<int> calls{0};

  liveness_report operator()(const conformance::target_config&, session_end fuzzed, const liveness_options&) {
    if (++calls == 1) {
      std::unique_lock lock(m);
      // Bounded: the test releases it, or 5 s pass.
      cv.wait_for(lock, std::chrono::seconds(5), [&] { return released; });
    }
    liveness_report r;
    r.probes.push_back({probe_result::served, "logout", "served", milliseconds{1}});
    r.outcome = fuzzed == session_end::silent ? verdict::stall : verdict::ok;
    return r;
  }
  void release() {
    {
      std::lock_guard lock(m);
      released = true;
    }
    cv.notify_all();
  }
};

}  // namespace

TEST_CASE("shared liveness: sessions that ended while a probe flew wait for the next one, not a probe each",
          "[fuzz][net]") {
  held_prober held;
  shared_liveness live([&](const auto& t, session_end e, const auto& o) { return held(t, e, o); });
  const conformance::target_config unused{};
  std::thread first([&] { CHECK_FALSE(live.judge(unused, session_end::closed, steady::now(), quick).shared); });
  // The first judgement is in flight once its prober has been called.
  for (int i = 0; i < 500 && held.calls == 0; ++i) std::this_thread::sleep_for(milliseconds{2});
  REQUIRE(held.calls == 1);
  const auto ended = steady::now();  // after the probe in flight began
  std::atomic<int> own{0};
  std::vector<std::thread> later;
  for (int i = 0; i < 4; ++i)
    later.emplace_back([&] {
      if (!live.judge(unused, session_end::closed, ended, quick).shared) ++own;
    });
  std::this_thread::sleep_for(milliseconds{100});
  CHECK(held.calls == 1);  // none probed beside the one in flight
  held.release();
  first.join();
  for (auto& t : later) t.join();
  // One of the four probed after the first landed; the other three took it.
  CHECK(held.calls == 2);
  CHECK(own == 1);
  CHECK(live.shared() == 3);
}
