// Several connections per session in process (RFC 7143 section 6.3.1's
// "add a new connection to the session", 13.2 MaxConnections): a login with
// a live session's ISID and TSIH and a new CID joins it, up to the
// negotiated MaxConnections; a connection that goes leaves the others.
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;
using pdu::login_status;

namespace {

// The leading login of a session offering MaxConnections=`offer`.
std::uint16_t lead(driver& d, const char* offer) {
  auto s = login_normal(d, {{"MaxConnections", offer}});
  REQUIRE(pdu::login_response_view(s.sent.at(0)).is_final_response());
  clear_uas(*d.node().devices->find_lu(0));
  return d.core().tsih();
}

}  // namespace

TEST_CASE("mcs: MaxConnections is the minimum of the offer and limits.max_connections_per_session",
          "[target][mcs][login]") {
  //= rfc7143#section-13.2
  //= type=test
  //# Result function is Minimum.
  target_config config;
  config.limits.max_connections_per_session = 3;
  auto node = make_node(config);
  driver d(node);
  auto s = login_normal(d, {{"MaxConnections", "8"}});
  const auto keys = parse(s.sent.at(0));  // find_key points into it
  const auto* v = find_key(keys, "MaxConnections");
  REQUIRE(v != nullptr);
  CHECK(*v == "3");
  CHECK(d.core().parameters().max_connections == 3);
  driver small(node, "small");
  auto t = login_normal(small, {{"MaxConnections", "2"}});
  CHECK(*find_key(parse(t.sent.at(0)), "MaxConnections") == "2");
}

TEST_CASE("mcs: a new CID joins the session, one more than MaxConnections is refused 0206",
          "[target][mcs][login]") {
  auto node = make_node(mcs_config());
  driver first(node, "first");
  const auto tsih = lead(first, "2");
  driver second(node, "second");
  auto s = join_login(second, tsih, 2, 10);
  REQUIRE(s.sent.size() == 1);
  const pdu::login_response_view r(s.sent[0]);
  //= rfc7143#section-6.3.1
  //= type=test
  //# |existing| non-zero    | new    |   add a new connection to      |
  //# |        | existing    |        |   the session                  |
  CHECK(r.status() == login_status::success);
  CHECK(r.is_final_response());
  CHECK(r.tsih() == tsih);
  CHECK(second.core().current_phase() == phase::ffp_normal);
  CHECK(second.core().tsih() == tsih);
  CHECK(second.core().parameters().max_connections == 2);
  // StatSN is the connection's own (it starts at the connection's initial 100).
  CHECK(r.stat_sn() == 100);

  // Both connections carry commands of the one session: its window is shared.
  auto a = first.feed(read_block0(1, 10));
  REQUIRE_FALSE(a.sent.empty());
  auto b = second.feed(read_block0(2, 11));
  REQUIRE_FALSE(b.sent.empty());
  CHECK(b.sent.back().op() == pdu::opcode::data_in);  // with its status
  CHECK(b.sent.back().header().u32(28) == 12);        // ExpCmdSN: the session's

  //= rfc7143#section-11.13.5
  //= type=test
  //# Too many      | 0206 | Too many connections on this SSID.
  driver third(node, "third");
  CHECK(status_of(join_login(third, tsih, 3, 12)) == login_status::too_many_connections);
}

TEST_CASE("mcs: a TSIH naming no session, another ISID or another initiator fails 020a",
          "[target][mcs][login]") {
  auto node = make_node(mcs_config());
  driver first(node, "first");
  const auto tsih = lead(first, "4");
  driver d(node, "other");
  SECTION("a TSIH no session holds") {
    //= rfc7143#section-6.3.1
    //= type=test
    //# new | non-zero | any | fail the login ("session does not exist")
    CHECK(status_of(join_login(d, static_cast<std::uint16_t>(tsih + 7), 2, 10)) == login_status::session_does_not_exist);
  }
  SECTION("another InitiatorName") {
    auto s = join_login(d, tsih, 2, 10, {{"InitiatorName", "iqn.2026-11.org.touchstone:someone-else"}, login_names[1]});
    CHECK(status_of(s) == login_status::session_does_not_exist);
  }
  SECTION("a Leading Only key on the added connection") {
    //= rfc7143#section-13
    //= type=test
    //# Some session-specific parameters MUST only be carried on the leading
    //# connection and cannot be changed after the leading connection login
    auto pairs = login_names;
    pairs.push_back({"MaxBurstLength", "4096"});
    auto s = join_login(d, tsih, 2, 10, pairs);
    CHECK(status_of(s) != login_status::success);
    CHECK(first.core().parameters().max_burst_length != 4096);
  }
}

TEST_CASE("mcs: a connection failing leaves the session to the others, the last ends it",
          "[target][mcs]") {
  auto node = make_node(mcs_config());
  driver first(node, "first");
  const auto tsih = lead(first, "2");
  driver second(node, "second");
  REQUIRE(pdu::login_response_view(join_login(second, tsih, 2, 10).sent.at(0)).status() == login_status::success);
  auto lu = node->devices->find_lu(0);
  // A write waiting for its Data-Out on the second connection.
  auto w = second.feed(pdu::scsi_command_builder()
                           .initiator_task_tag(9)
                           .cmd_sn(10)
                           .cdb(write10(0, 8))
                           .write()
                           .expected_data_transfer_length(4096)
                           .build());
  REQUIRE(w.sent.at(0).op() == pdu::opcode::r2t);
  second.core().on_transport_closed();
  // The session lives on (ERL 0: the connection's task ended with it).
  CHECK(node->sessions.exists(tsih));
  CHECK(first.core().task_count() == 0);
  CHECK(lu->peek_ua(test_it) == scsi::unit_attention::commands_cleared_by_protocol_event);
  clear_uas(*lu);
  auto r = first.feed(read_block0(3, 11));
  REQUIRE_FALSE(r.sent.empty());
  CHECK(r.sent.back().op() == pdu::opcode::data_in);
  // The CID is free again: a new connection may take it.
  driver again(node, "again");
  CHECK(pdu::login_response_view(join_login(again, tsih, 2, 12).sent.at(0)).status() == login_status::success);
  again.core().on_transport_closed();
  first.core().on_transport_closed();
  CHECK_FALSE(node->sessions.exists(tsih));
  CHECK_FALSE(node->directory.find(tsih).has_value());
}
