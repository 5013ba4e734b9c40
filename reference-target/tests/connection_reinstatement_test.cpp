// Connection reinstatement in process (RFC 7143 section 6.3.4): a login with
// the ISID, TSIH and CID of a live session replaces its connection at ERL 0;
// the old connection's tasks end without a word, the session goes on. And the
// session directory belongs to its node: two nodes never share sessions.
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;
using pdu::login_status;

TEST_CASE("connection reinstatement: same ISID, TSIH and CID replace the connection",
          "[target][reinstatement][login]") {
  //= rfc7143#section-6.3.1
  //= type=test
  //# |existing| non-zero    |existing|   do connection reinstatement  |
  //# |        | existing    |        |   (see Section 7.1.4.3)        |
  auto node = make_node();
  driver old_conn(node);
  REQUIRE(pdu::login_response_view(login_normal(old_conn, {{"MaxBurstLength", "65536"}}).sent.at(0))
              .is_final_response());
  const auto tsih = old_conn.core().tsih();
  auto lu = node->devices->find_lu(0);
  clear_uas(*lu);
  // A write waiting for its Data-Out: a task active on the old connection.
  auto w = old_conn.feed(pdu::scsi_command_builder()
                             .initiator_task_tag(1)
                             .cmd_sn(10)
                             .cdb(write10(0, 8))
                             .write()
                             .expected_data_transfer_length(4096)
                             .build());
  REQUIRE(w.sent.at(0).op() == pdu::opcode::r2t);

  driver fresh(node);
  auto s = join_login(fresh, tsih, 1, 11);
  REQUIRE(s.sent.size() == 1);
  const pdu::login_response_view r(s.sent[0]);
  CHECK(r.status() == login_status::success);
  CHECK(r.is_final_response());
  //= rfc7143#section-4.4.3 type=test
  //# After being selected, the same TSIH value MUST be used whenever the initiator or target refers
  //# to the session and a TSIH is required.
  CHECK(r.tsih() == tsih);
  //= rfc7143#section-11.12.8
  //= type=test
  //# the command sequence number in the command stream if the login is for a
  //# new connection in an existing session.
  CHECK(r.exp_cmd_sn() == 11);
  CHECK(fresh.core().current_phase() == phase::ffp_normal);
  // Session-wide values stay those of the leading login.
  CHECK(fresh.core().parameters().max_burst_length == 65536);

  //= rfc7143#section-6.3.4
  //= type=test
  //# In this case, all the tasks that were active on the old CID must be
  //# immediately terminated without further notice to the initiator.
  old_conn.core().on_tick(clock::now());
  const auto ended = old_conn.drain();
  CHECK(ended.closed);
  CHECK(ended.sent.empty());
  // The session is not closed: no I_T nexus loss, the TSIH stays in use;
  // the write ended by the protocol event leaves its unit attention.
  //= rfc7143#section-11.14.5 type=test
  //# After the tasks are terminated, the target MUST report a Unit Attention
  //# condition on the next command processed on any connection for each
  //# affected I_T_L nexus with the status of CHECK CONDITION, the ASC/ASCQ
  //# value of 47h/7Fh ("SOME COMMANDS CLEARED BY ISCSI PROTOCOL EVENT")
  CHECK(lu->peek_ua(test_it) == scsi::unit_attention::commands_cleared_by_protocol_event);
  CHECK(node->sessions.exists(tsih));
  CHECK(node->directory.find(tsih).has_value());

  // The new connection carries the session: a ping, then a READ.
  auto ping = fresh.feed(pdu::nop_out_builder().initiator_task_tag(5).cmd_sn(11).immediate().build());
  REQUIRE(ping.sent.size() == 1);
  CHECK(ping.sent[0].op() == pdu::opcode::nop_in);
  CHECK(pdu::nop_in_view(ping.sent[0]).stat_sn() == 101);
  auto read = fresh.feed(pdu::scsi_command_builder()
                             .initiator_task_tag(6)
                             .cmd_sn(11)
                             .cdb(read10(0, 1))
                             .read()
                             .expected_data_transfer_length(512)
                             .build());
  REQUIRE_FALSE(read.sent.empty());
  CHECK(read.sent.back().op() != pdu::opcode::reject);

  // Its end ends the session.
  fresh.core().on_transport_closed();
  CHECK_FALSE(node->sessions.exists(tsih));
  CHECK_FALSE(node->directory.find(tsih).has_value());
}

TEST_CASE("connection reinstatement: the table of section 6.3.1 otherwise",
          "[target][reinstatement][login]") {
  auto node = make_node();
  driver live(node);
  login_normal(live);
  const auto tsih = live.core().tsih();
  driver d(node);
  SECTION("a new CID would be a second connection: MaxConnections=1") {
    //= rfc7143#section-11.13.5
    //= type=test
    //# Too many      | 0206 | Too many connections on this SSID.
    CHECK(status_of(join_login(d, tsih, 2, 11)) == login_status::too_many_connections);
  }
  SECTION("another ISID with the TSIH") {
    //= rfc7143#section-6.3.1
    //= type=test
    //# new | non-zero | any | fail the login ("session does not exist")
    auto s = d.feed(login(login_stage::operational_negotiation, login_names)
                        .tsih(tsih)
                        .isid(0x80123456789bULL)
                        .transit_to(login_stage::full_feature_phase)
                        .build());
    CHECK(status_of(s) == login_status::session_does_not_exist);
  }
  SECTION("another InitiatorName with the ISID and TSIH") {
    auto s = join_login(d, tsih, 1, 11,
                  {{"InitiatorName", "iqn.2026-11.org.touchstone:someone-else"}, login_names[1]});
    CHECK(status_of(s) == login_status::session_does_not_exist);
  }
  SECTION("a leading-only key on the joining connection") {
    //= rfc7143#section-13
    //= type=test
    //# Some session-specific parameters MUST only be carried on the leading
    //# connection and cannot be changed after the leading connection login
    auto s = join_login(d, tsih, 1, 11, {login_names[0], login_names[1], {"MaxBurstLength", "4096"}});
    CHECK(status_of(s) == login_status::initiator_error);
  }
  SECTION("another SessionType") {
    auto s = join_login(d, tsih, 1, 11, {login_names[0], login_names[1], {"SessionType", "Discovery"}});
    CHECK(status_of(s) == login_status::initiator_error);
  }
  CHECK(d.core().current_phase() == phase::closing);
  live.core().on_tick(clock::now());
  CHECK_FALSE(live.drain().closed);
}

TEST_CASE("connection reinstatement: a session reinstatement still ends the session",
          "[target][reinstatement]") {
  auto node = make_node();
  driver old_conn(node);
  login_normal(old_conn);
  driver fresh(node);
  REQUIRE(status_of(join_login(fresh, old_conn.core().tsih(), 1, 10)) == login_status::success);
  // A leading login with the same key (TSIH 0) now ends the joined connection.
  driver newer(node);
  REQUIRE(status_of(login_normal(newer)) == login_status::success);
  fresh.core().on_tick(clock::now());
  CHECK(fresh.drain().closed);
  CHECK(node->directory.size() == 1);
}

TEST_CASE("session directory: each node has its own", "[target][reinstatement]") {
  //= rfc7143#section-6.3.5
  //= type=test
  //# Session reinstatement is the process of an initiator logging in with an
  //# ISID that is possibly active from the target's perspective for that initiator
  auto a = make_node();
  auto b = make_node();  // the same name and portal group, another instance
  driver on_a(a);
  login_normal(on_a);
  driver on_b(b);
  login_normal(on_b);
  CHECK(a->directory.size() == 1);
  CHECK(b->directory.size() == 1);
  // The same InitiatorName + ISID + TargetName + TPGT on another instance
  // reinstates nothing there.
  on_a.core().on_tick(clock::now());
  CHECK_FALSE(on_a.drain().closed);
  // A TSIH of one instance means nothing to the other.
  on_b.core().on_transport_closed();
  driver join_b(b);
  CHECK(b->directory.size() == 0);
  CHECK(status_of(join_login(join_b, on_a.core().tsih(), 1, 11)) == login_status::session_does_not_exist);
  CHECK(a->directory.size() == 1);
}

TEST_CASE("connection reinstatement: SessionType=Normal on the joining connection",
          "[target][reinstatement][login]") {
  // Initiators declare it on every connection; it changes nothing (an LO key
  // "cannot be changed after the leading connection login"): noted, accepted.
  auto node = make_node();
  driver live(node);
  login_normal(live);
  driver d(node);
  auto s = join_login(d, live.core().tsih(), 1, 10, {login_names[0], login_names[1], {"SessionType", "Normal"}});
  CHECK(status_of(s) == login_status::success);
  CHECK(d.core().current_phase() == phase::ffp_normal);
}
