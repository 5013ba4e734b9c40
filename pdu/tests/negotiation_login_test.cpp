// Login-shaped negotiations: the security stage with CHAP keys, Discovery
// sessions, and a whole login between an initiator and a target negotiator.
#include <catch2/catch.hpp>

#include "negotiation_test_util.hpp"

using namespace touchstone::pdu;
using namespace touchstone::pdu::test;

//= rfc7143#section-7.4.1 type=test
//# When such a negotiation attempt is made by the remote side, a compliant iSCSI
//# implementation MUST propose a value of 0 (zero) in response. The operational
//# ErrorRecoveryLevel for Discovery sessions thus MUST be 0.
TEST_CASE("ErrorRecoveryLevel is 0 in Discovery sessions", "[pdu][negotiation]") {
  auto target = make_target(settings_with("ErrorRecoveryLevel", "2"));
  REQUIRE(target.receive({{"SessionType", "Discovery"}}));
  CHECK(answer_to(target, "ErrorRecoveryLevel", "2") == "0");
  CHECK(target.finish()->error_recovery_level == 0);

  auto initiator = make_initiator(settings_with("ErrorRecoveryLevel", "1"));
  REQUIRE(initiator.offer_pairs({{"SessionType", "Discovery"}}));
  REQUIRE(initiator.offer({"ErrorRecoveryLevel"}));
  REQUIRE(initiator.receive({{"ErrorRecoveryLevel", "1"}}));
  CHECK(initiator.finish().error() == negotiation_error::discovery_needs_erl_zero);
}

//= rfc7143#section-12.1.3 type=test
//# CHAP_A=<A1,A2...> ... CHAP_N=<N> CHAP_R=<R>
TEST_CASE("CHAP keys pass to the caller during SecurityNegotiation", "[pdu][negotiation]") {
  local_settings s;
  s.set("AuthMethod", "CHAP");
  auto target = make_target(s, negotiation_phase::security);
  CHECK(answer_to(target, "AuthMethod", "CHAP,None") == "CHAP");
  auto step = target.receive({{"CHAP_A", "7,5"}});
  REQUIRE(step);
  CHECK(step->empty());
  CHECK(*target.outcome("CHAP_A") == key_outcome::exchanged);
  CHECK(target.declared_by_peer().at("CHAP_A") == "7,5");
  REQUIRE(target.offer_pairs(text_pairs{{"CHAP_A", "5"}, {"CHAP_I", "1"}, {"CHAP_C", "0x0102"}}));
  REQUIRE(target.receive({{"CHAP_N", "iqn.2001-04.com.example:h"}, {"CHAP_R", "0x" + std::string(32, 'a')}}));
  CHECK(error_of(target, {{"CHAP_R", "0x00"}}) == negotiation_error::key_renegotiated);
  auto bad = make_target(s, negotiation_phase::security);
  CHECK(error_of(bad, {{"CHAP_I", "256"}}) == negotiation_error::invalid_value);
}

TEST_CASE("a whole login: the initiator's offers, the target's answers, equal results",
          "[pdu][negotiation]") {
  local_settings mine;
  mine.set("HeaderDigest", "CRC32C,None");
  mine.set("InitialR2T", "No");
  mine.set("MaxBurstLength", "1048576");
  mine.set("FirstBurstLength", "262144");
  mine.set("MaxRecvDataSegmentLength", "65536");
  mine.set("InitiatorName", "iqn.2001-04.com.example:host");
  mine.set("TargetName", "iqn.2001-04.com.example:disk");
  mine.set("AuthMethod", "None");
  local_settings theirs;
  theirs.set("HeaderDigest", "CRC32C,None");
  theirs.set("InitialR2T", "No");
  theirs.set("MaxBurstLength", "524288");
  theirs.set("FirstBurstLength", "1048576");
  theirs.set("MaxRecvDataSegmentLength", "262144");
  theirs.set("TargetPortalGroupTag", "1");
  theirs.set("AuthMethod", "CHAP,None");

  auto initiator = make_side(role::initiator, negotiation_phase::security, session_kind::normal, mine);
  auto target = make_side(role::target, negotiation_phase::security, session_kind::normal, theirs);

  // Security stage.
  auto request = initiator.offer({"InitiatorName", "TargetName", "AuthMethod"});
  REQUIRE(request);
  auto response = target.receive(*request);
  REQUIRE(response);
  auto tpgt = target.offer({"TargetPortalGroupTag"});
  REQUIRE(tpgt);
  response->insert(response->end(), tpgt->begin(), tpgt->end());
  REQUIRE(initiator.receive(*response));
  CHECK(initiator.agreed().at("AuthMethod") == "None");

  // Operational stage, carried over a byte round trip through the codec.
  initiator.set_phase(negotiation_phase::operational);
  target.set_phase(negotiation_phase::operational);
  auto offers = initiator.offer({"HeaderDigest", "InitialR2T", "MaxBurstLength",
                                 "FirstBurstLength", "MaxRecvDataSegmentLength"});
  REQUIRE(offers);
  auto wire = parse_text(bytes_view{encode_text(*offers)});
  REQUIRE(wire);
  auto answers = target.receive(*wire);
  REQUIRE(answers);
  auto declared = target.offer({"MaxRecvDataSegmentLength"});
  REQUIRE(declared);
  answers->insert(answers->end(), declared->begin(), declared->end());
  REQUIRE(initiator.receive(*answers));
  CHECK(initiator.pending().empty());

  auto at_initiator = initiator.finish();
  auto at_target = target.finish();
  REQUIRE(at_initiator);
  REQUIRE(at_target);
  CHECK(at_initiator->header_digest == digest_type::crc32c);
  CHECK_FALSE(at_initiator->initial_r2t);
  CHECK(at_initiator->max_burst_length == 524288);
  CHECK(at_initiator->first_burst_length == 262144);
  CHECK(at_initiator->target_portal_group_tag == 1);
  CHECK(at_initiator->max_recv_data_segment_length == 65536);
  CHECK(at_initiator->max_send_data_segment_length == 262144);
  CHECK(at_target->max_recv_data_segment_length == 262144);
  CHECK(at_target->max_send_data_segment_length == 65536);
  // The session-wide results agree on both sides.
  auto swapped = *at_target;
  std::swap(swapped.max_recv_data_segment_length, swapped.max_send_data_segment_length);
  CHECK(swapped == *at_initiator);
  for (auto e : {negotiation_error::key_offered_twice, negotiation_error::unknown_local_key}) {
    CHECK(name(e) != "unknown");
  }
  CHECK(name(key_outcome::not_understood) == "not_understood");
}
