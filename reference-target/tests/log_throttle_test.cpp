// The log limiter by itself (log_throttle.hpp, peer_log.hpp): the time is
// the test's, nothing sleeps; what reaches the log is read back from
// spdlog's ostream sink (log_capture.hpp).
#include <catch2/catch.hpp>

#include "log_capture.hpp"
#include "touchstone/target/log_throttle.hpp"
#include "touchstone/target/peer_log.hpp"

using namespace touchstone::target;
using namespace touchstone::target::test;
using namespace std::chrono_literals;

namespace {

const log_clock::time_point t0 = log_clock::now();

}  // namespace

TEST_CASE("log throttle: the first line of a kind, then a count after the interval", "[target][log]") {
  log_throttle t(10s);
  CHECK(t.admit("a", t0));
  for (int i = 0; i < 1523; ++i) CHECK_FALSE(t.admit("a", t0 + 1ms * i));
  CHECK(t.admit("b", t0 + 2s));  // another kind: its own first line
  CHECK(t.expire(t0 + 9s).empty());
  const auto due = t.expire(t0 + 10s);
  REQUIRE(due.size() == 1);
  CHECK(due[0].kind == "a");
  CHECK(due[0].suppressed == 1523);
  CHECK(due[0].span == 10s);
  CHECK(t.kinds() == 1);         // a's interval is over, b's goes on
  CHECK(t.admit("a", t0 + 10s));  // a new interval: in full again
  // b ends with nothing left out: no summary.
  CHECK(t.expire(t0 + 12s).empty());
  CHECK(t.kinds() == 1);
}

TEST_CASE("log throttle: repeats after the interval but before expire() are still counted", "[target][log]") {
  log_throttle t(10s);
  CHECK(t.admit("a", t0));
  CHECK_FALSE(t.admit("a", t0 + 15s));
  const auto due = t.expire(t0 + 16s);
  REQUIRE(due.size() == 1);
  CHECK(due[0].suppressed == 1);
  CHECK(due[0].span == 16s);
}

TEST_CASE("log throttle: drain() reports every count when the connection closes", "[target][log]") {
  log_throttle t(10s);
  for (int i = 0; i < 5; ++i) t.admit("a", t0);
  t.admit("b", t0);
  for (int i = 0; i < 2; ++i) t.admit("c", t0);
  const auto due = t.drain(t0 + 3s);
  REQUIRE(due.size() == 2);
  CHECK(due[0].kind == "a");
  CHECK(due[0].suppressed == 4);
  CHECK(due[1].kind == "c");
  CHECK(due[1].suppressed == 1);
  CHECK(t.kinds() == 0);
  CHECK(t.drain(t0 + 4s).empty());
}

TEST_CASE("log throttle: the table of kinds is bounded", "[target][log]") {
  log_throttle t(10s, 4);
  std::size_t logged = 0;
  for (int round = 0; round < 3; ++round)
    for (int k = 0; k < 1000; ++k) logged += t.admit("kind-" + std::to_string(k), t0) ? 1 : 0;
  // 4 kinds in full, then the first line of "(other kinds)".
  CHECK(logged == 5);
  CHECK(t.kinds() == 5);
  std::uint64_t counted = 0;
  for (const auto& s : t.drain(t0 + 1s)) counted += s.suppressed;
  CHECK(counted == 3000 - 5);
}

TEST_CASE("log throttle: an interval of 0 logs every line and keeps nothing", "[target][log]") {
  log_throttle t(0s);
  for (int i = 0; i < 100; ++i) CHECK(t.admit("a", t0));
  CHECK(t.kinds() == 0);
  CHECK(t.drain(t0).empty());
}

TEST_CASE("log budget: a burst, then lines per second, and one report of what it dropped", "[target][log]") {
  log_capture log;
  log_budget b({10s, 2, 10});
  std::size_t taken = 0;
  for (int i = 0; i < 100; ++i) taken += b.take(t0) ? 1 : 0;
  CHECK(taken == 10);
  CHECK(b.take(t0 + 1s));  // 2 a second
  CHECK(b.take(t0 + 1s));
  CHECK_FALSE(b.take(t0 + 1s));
  CHECK(b.dropped_total() == 91);
  b.tick(t0 + 9s);
  CHECK(log.lines().empty());
  b.tick(t0 + 10s);
  REQUIRE(log.lines().size() == 1);
  CHECK(log.lines()[0].starts_with("warning log budget: 91 lines about initiators dropped in the last 10.0 s"));
  b.tick(t0 + 30s);  // nothing dropped since: no report
  CHECK(log.lines().size() == 1);

  log_budget unbounded({10s, 0, 1});
  for (int i = 0; i < 1000; ++i) CHECK(unbounded.take(t0));
}

TEST_CASE("peer log: the first line in full, the summary with the count at the interval's end", "[target][log]") {
  log_capture log;
  peer_log p("192.0.2.1:50000", std::make_shared<log_budget>(), t0);
  for (int i = 0; i < 2000; ++i) {
    p.advance(t0 + 1ms * i);
    p.line(peer_log::level::warn, "rfc7143#section-7.8", "rfc7143#section-7.8: Reject reason 0x02 #" + std::to_string(i));
  }
  p.line(peer_log::level::info, "rfc7143#section-7.8", "rfc7143#section-7.8: allowed");
  CHECK(log.lines() == std::vector<std::string>{"warning [192.0.2.1:50000] rfc7143#section-7.8: Reject reason 0x02 #0",
                                                "info [192.0.2.1:50000] rfc7143#section-7.8: allowed"});
  p.advance(t0 + 10s);
  REQUIRE(log.lines().size() == 3);
  CHECK(log.lines()[2] ==
        "warning [192.0.2.1:50000] rfc7143#section-7.8: 1999 more on this connection in the last 10.0 s");
  p.close();
  CHECK(log.lines().size() == 3);  // the info kind had nothing left out
  p.line(peer_log::level::warn, "k", "k: one");
  p.line(peer_log::level::warn, "k", "k: two");
  p.close();
  REQUIRE(log.lines().size() == 5);
  CHECK(log.lines()[4] == "warning [192.0.2.1:50000] k: 1 more on this connection in the last 0 ms");
  p.close();
  CHECK(log.lines().size() == 5);
}

TEST_CASE("peer log: 1,000 connections share the instance's budget", "[target][log]") {
  log_capture log;
  auto budget = std::make_shared<log_budget>(log_limits{10s, 20, 200});
  for (int c = 0; c < 1000; ++c) {
    peer_log p("conn-" + std::to_string(c), budget, t0);
    p.once(peer_log::level::info, "connected");
    p.line(peer_log::level::warn, "rfc7143#section-4.2.4/login-first", "rfc7143#section-4.2.4/login-first: SCSI Command");
    p.close();
  }
  CHECK(log.lines().size() == 200);
  CHECK(budget->dropped_total() == 1800);
  budget->tick(t0 + 10s);
  REQUIRE(log.lines().size() == 201);
  CHECK(log.lines().back().starts_with("warning log budget: 1800 lines about initiators dropped"));
}

TEST_CASE("peer log: lines below the log level take nothing from the budget", "[target][log]") {
  log_capture log;
  spdlog::default_logger()->set_level(spdlog::level::warn);
  auto budget = std::make_shared<log_budget>(log_limits{10s, 1, 1});
  peer_log p("x", budget, t0);
  for (int i = 0; i < 10; ++i) p.once(peer_log::level::info, "connected");
  p.line(peer_log::level::warn, "k", "k: first");
  CHECK(log.lines() == std::vector<std::string>{"warning [x] k: first"});
  CHECK(budget->dropped_total() == 0);
}
