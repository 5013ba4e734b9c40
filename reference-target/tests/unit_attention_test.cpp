// Unit attentions caused by iSCSI events, in process: the end of a Normal
// session (a dropped connection, a logout) is an I_T nexus loss for the SCSI
// layer; a Discovery session has no I_T nexus to lose. (Session and
// connection reinstatement: reinstatement_test.cpp and
// connection_reinstatement_test.cpp.)
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

//= rfc7143#section-6.3.5.1 type=test
//# The iSCSI layer provides the SCSI layer with the "I_T nexus loss"
//# notification when any one of the following events happens:
//#
//#    - successful completion of session reinstatement
//#
//#    - session closure event
//= rfc7143#section-10.2 type=test
//# iSCSI initiators and targets MUST support and use Autosense.
//= rfc7143#section-4.6.1.2 type=test
//# The use of Autosense ([SAM2]) is REQUIRED by iSCSI.
TEST_CASE("ua: a Normal session's end is an I_T nexus loss", "[target][ua]") {
  auto node = make_node();
  auto lu = node->devices->find_lu(0);
  driver d(node);
  login_normal(d);
  clear_uas(*lu);
  SECTION("the connection drops") {
    //= rfc7143#section-7.14 type=test
    //# On connection failure, the initiator and target MUST do one of the following: ... c) Perform
    //# session recovery (Session Recovery).
    //= rfc7143#section-7.14 type=test
    //# Either side may choose to escalate to session recovery (via the initiator dropping all the
    //# connections or via an Async Message that announces the similar intent from a target), and
    //# the other side MUST give it precedence.
    d.core().on_transport_closed();
  }
  SECTION("a Logout closes the session") {
    auto s = d.feed(pdu::logout_request_builder().initiator_task_tag(9).cmd_sn(10).immediate().build());
    REQUIRE(s.closed);
  }
  CHECK(lu->peek_ua(test_it) == scsi::unit_attention::it_nexus_loss);
  // The next session of the same I_T nexus sees it on its first command.
  driver next(node);
  login_normal(next);
  auto r = next.feed(pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(read10(0, 1)).read()
                         .expected_data_transfer_length(512).build());
  REQUIRE_FALSE(r.sent.empty());
  const pdu::scsi_response_view v(r.sent.back());
  REQUIRE(r.sent.back().op() == pdu::opcode::scsi_response);
  CHECK(v.status() == pdu::scsi_status::check_condition);
  // Fixed-format sense after the 2-byte SenseLength: UNIT ATTENTION, 29h/07h.
  REQUIRE(r.sent.back().data.size() >= 16);
  CHECK((r.sent.back().data[4] & 0x0f) == 0x06);
  CHECK(r.sent.back().data[14] == 0x29);
  CHECK(r.sent.back().data[15] == 0x07);
}

TEST_CASE("ua: a Discovery session's end leaves no unit attention", "[target][ua]") {
  auto node = make_node();
  auto lu = node->devices->find_lu(0);
  clear_uas(*lu);
  driver d(node);
  auto s = d.feed(login(pdu::login_stage::operational_negotiation,
                        {{"InitiatorName", std::string(initiator_iqn)}, {"SessionType", "Discovery"}})
                      .transit_to(pdu::login_stage::full_feature_phase).build());
  REQUIRE(pdu::login_response_view(s.sent.at(0)).is_final_response());
  d.core().on_transport_closed();
  CHECK_FALSE(lu->peek_ua(test_it).has_value());
}
