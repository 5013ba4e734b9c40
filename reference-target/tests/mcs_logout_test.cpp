// Logout and connection reinstatement in a session of several connections
// in process (RFC 7143 sections 11.14, 11.15, 6.3.4): reason 1 closes the
// connection its CID names, from any connection of the session; reason 0
// closes every connection; a login with a member's CID replaces only it.
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;
using pdu::login_status;

namespace {

pdu::pdu logout(pdu::logout_reason reason, std::uint16_t cid) {
  return pdu::logout_request_builder().reason(reason).cid(cid).initiator_task_tag(9).cmd_sn(10).immediate().build();
}

}  // namespace

TEST_CASE("mcs: Logout reason 1 on one connection closes the connection its CID names",
          "[target][mcs][logout]") {
  two_connections t;
  //= rfc7143#section-11.15
  //= type=test
  //# After Logout, the TCP connection referred by the CID MUST be closed at
  //# both ends (or all connections must be closed if the logout reason was
  //# session close).
  auto s = t.a.feed(logout(pdu::logout_reason::close_connection, 2));
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::logout_response_view(s.sent[0]).response() == pdu::logout_response_code::closed_successfully);
  CHECK_FALSE(s.closed);
  CHECK(t.b.drain().closed);
  CHECK(t.a.core().current_phase() == phase::ffp_normal);
  CHECK(t.node->sessions.exists(t.tsih));
  // A CID no connection of the session holds.
  auto none = t.a.feed(logout(pdu::logout_reason::close_connection, 7));
  CHECK(pdu::logout_response_view(none.sent.at(0)).response() == pdu::logout_response_code::cid_not_found);
}

TEST_CASE("mcs: Logout reason 0 closes every connection of the session", "[target][mcs][logout]") {
  two_connections t;
  auto s = t.a.feed(logout(pdu::logout_reason::close_session, 1));
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::logout_response_view(s.sent[0]).response() == pdu::logout_response_code::closed_successfully);
  CHECK(s.closed);
  CHECK(t.b.drain().closed);
  CHECK_FALSE(t.node->sessions.exists(t.tsih));
  CHECK_FALSE(t.node->directory.find(t.tsih).has_value());
}

TEST_CASE("mcs: a login with a member's CID replaces only that connection", "[target][mcs][reinstatement]") {
  two_connections t;
  driver fresh(t.node, "fresh");
  //= rfc7143#section-6.3.4
  //= type=test
  //# The Login Request performs the logout function of the old connection if
  //# an explicit logout was not performed earlier.
  auto s = join_login(fresh, t.tsih, 2, 10);
  CHECK(pdu::login_response_view(s.sent.at(0)).status() == login_status::success);
  CHECK(t.b.drain().closed);
  CHECK_FALSE(t.a.drain().closed);
  auto ping = t.a.feed(pdu::nop_out_builder().initiator_task_tag(5).cmd_sn(10).immediate().build());
  REQUIRE(ping.sent.size() == 1);
  CHECK(ping.sent[0].op() == pdu::opcode::nop_in);
  auto ping2 = fresh.feed(pdu::nop_out_builder().initiator_task_tag(6).cmd_sn(10).immediate().build());
  REQUIRE(ping2.sent.size() == 1);
  CHECK(ping2.sent[0].op() == pdu::opcode::nop_in);
}
