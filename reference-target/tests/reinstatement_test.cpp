// Session reinstatement in process: a second leading login with the same
// InitiatorName, ISID, TargetName and portal group tag ends the old session,
// and the I_T nexus loss reaches the SCSI layer once (section 6.3.5).
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

//= rfc7143#section-7.15 type=test
//# A target MUST also be prepared to handle a session reinstatement request from the initiator that
//# may be addressing session errors.
TEST_CASE("reinstatement: a login with the same ISID ends the old session", "[target][reinstatement]") {
  //= rfc7143#section-6.3.5
  //= type=test
  //# Session reinstatement is the process of an initiator logging in with an
  //# ISID that is possibly active from the target's perspective for that
  //# initiator, thus implicitly logging out the session that corresponds to
  //# the ISID and reinstating a new iSCSI session in its place
  auto node = make_node();
  driver old_session(node);
  REQUIRE(pdu::login_response_view(login_normal(old_session).sent.at(0)).is_final_response());
  auto lu = node->devices->find_lu(0);
  clear_uas(*lu);
  driver fresh(node);
  auto s = login_normal(fresh);
  REQUIRE(pdu::login_response_view(s.sent.at(0)).is_final_response());
  CHECK(pdu::login_response_view(s.sent.at(0)).tsih() != old_session.core().tsih());
  //= rfc7143#section-6.3.5.1
  //= type=test
  //# The iSCSI layer provides the SCSI layer with the "I_T nexus loss"
  //# notification when any one of the following events happens: -
  //# successful completion of session reinstatement
  REQUIRE(lu->pop_ua(test_it) == scsi::unit_attention::it_nexus_loss);
  old_session.core().on_tick(clock::now());
  CHECK(old_session.drain().closed);
  // The old session's end does not tell the SCSI layer a second time.
  CHECK_FALSE(lu->peek_ua(test_it).has_value());
  CHECK(fresh.core().current_phase() == phase::ffp_normal);
}

TEST_CASE("reinstatement: another ISID is another session", "[target][reinstatement]") {
  auto node = make_node();
  driver first(node);
  login_normal(first);
  driver second(node);
  auto s = second.feed(login(pdu::login_stage::operational_negotiation,
                             {{"InitiatorName", std::string(initiator_iqn)},
                              {"TargetName", std::string(default_iqn)}})
                           .isid(0x80123456789bULL)
                           .transit_to(pdu::login_stage::full_feature_phase)
                           .build());
  REQUIRE(pdu::login_response_view(s.sent.at(0)).is_final_response());
  first.core().on_tick(clock::now());
  CHECK_FALSE(first.drain().closed);
}

//= rfc7143#section-7.1.5 type=test
//# When a defined value of ErrorRecoveryLevel
//# is returned by a responder in a text negotiation, the responder MUST
//# support the functionality corresponding to the ErrorRecoveryLevel it
//# is accepting.
TEST_CASE("reinstatement: offered ErrorRecoveryLevel=2, the target returns 0 and recovers sessions",
          "[target][reinstatement]") {
  // Level 0 is session recovery: a new login with the same ISID ends the
  // old session and the new one carries on.
  auto node = make_node();
  driver old_session(node);
  auto s = login_normal(old_session, {{"ErrorRecoveryLevel", "2"}});
  REQUIRE(pdu::login_response_view(s.sent.at(0)).is_final_response());
  const auto keys = parse(s.sent.at(0));  // find_key points into it
  const auto answer = find_key(keys, "ErrorRecoveryLevel");
  REQUIRE(answer != nullptr);
  CHECK(*answer == "0");
  driver fresh(node);
  REQUIRE(pdu::login_response_view(login_normal(fresh, {{"ErrorRecoveryLevel", "2"}}).sent.at(0)).is_final_response());
  old_session.core().on_tick(clock::now());
  CHECK(old_session.drain().closed);
  CHECK(fresh.core().current_phase() == phase::ffp_normal);
}
