// NOP-In pings in process: a quiet connection is pinged with a valid TTT and
// an unadvanced StatSN; the echo clears it; no echo drops the connection.
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using namespace std::chrono_literals;

TEST_CASE("nop: a quiet connection is pinged and an echo keeps it", "[target][nop]") {
  //= rfc7143#section-11.19.1
  //= type=test
  //# If the target is sending a NOP-In as a ping (intending to receive a
  //# corresponding NOP-Out), this field is set to a valid value
  driver d;
  login_normal(d);
  d.core().set_nop_ping(1000ms, 500ms);
  const auto t0 = clock::now();
  d.core().on_tick(t0 + 500ms);
  CHECK(d.drain().sent.empty());
  d.core().on_tick(t0 + 1500ms);
  auto s = d.drain();
  REQUIRE(s.sent.size() == 1);
  const pdu::nop_in_view ping(s.sent[0]);
  CHECK(ping.initiator_task_tag() == pdu::reserved_tag);
  CHECK(ping.target_transfer_tag() != pdu::reserved_tag);
  //= rfc7143#section-11.19.2
  //= type=test
  //# when the Initiator Task Tag is set to 0xffffffff, the StatSN for the
  //# connection is not advanced after this PDU is sent.
  CHECK(ping.stat_sn() == d.core().next_stat_sn());
  d.core().on_pdu(pdu::nop_out_builder().initiator_task_tag(pdu::reserved_tag)
                      .target_transfer_tag(ping.target_transfer_tag()).cmd_sn(10).immediate().build(),
                  t0 + 1600ms);
  auto echo = d.drain();
  CHECK(echo.sent.empty());
  CHECK_FALSE(echo.closed);
  d.core().on_tick(t0 + 2300ms);
  CHECK_FALSE(d.drain().closed);
}

TEST_CASE("nop: an unanswered ping drops the connection", "[target][nop]") {
  driver d;
  login_normal(d);
  d.core().set_nop_ping(1000ms, 500ms);
  const auto t0 = clock::now();
  d.core().on_tick(t0 + 1100ms);
  REQUIRE(d.drain().sent.size() == 1);
  d.core().on_tick(t0 + 1700ms);
  CHECK(d.drain().closed);
  CHECK(d.core().current_phase() == phase::closing);
}

//= rfc7143#section-11.9.1 type=test
//# This Async Message MUST be sent on the same connection as the one requesting
//# to be logged out.
TEST_CASE("shutdown: an Async Message asks for a Logout within Parameter3", "[target][async]") {
  //= rfc7143#section-11.9.1
  //= type=test
  //# 1 (Logout Request) - the target requests Logout.  ... The initiator MUST
  //# honor this request by issuing a Logout as early as possible but no later
  //# than Parameter3 seconds.
  driver d;
  login_normal(d);
  const auto t0 = clock::now();
  const auto stat_sn = d.core().next_stat_sn();
  d.core().request_logout(t0, 5s);
  auto s = d.drain();
  REQUIRE(s.sent.size() == 1);
  const pdu::async_message_view v(s.sent[0]);
  CHECK(v.event() == pdu::async_event::logout_request);
  CHECK(v.parameter3() == 5);
  CHECK(v.stat_sn() == stat_sn);
  CHECK(d.core().next_stat_sn() == stat_sn + 1);
  SECTION("the initiator logs out") {
    auto out = d.feed(pdu::logout_request_builder().initiator_task_tag(9).cmd_sn(10).immediate().build());
    REQUIRE(out.sent.size() == 1);
    CHECK(out.sent[0].op() == pdu::opcode::logout_response);
    CHECK(out.closed);
  }
  SECTION("it does not: connection drop notification, then close") {
    d.core().on_tick(t0 + 6s);
    auto late = d.drain();
    REQUIRE(late.sent.size() == 1);
    CHECK(pdu::async_message_view(late.sent[0]).event() == pdu::async_event::connection_drop);
    CHECK(late.closed);
  }
}
