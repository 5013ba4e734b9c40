// The engine's general rules: repetition, NotUnderstood, obsolete and
// extension keys, Irrelevant, phases, senders, integrity, a whole login.
#include <catch2/catch.hpp>

#include "negotiation_test_util.hpp"

using namespace touchstone::pdu;
using namespace touchstone::pdu::test;

//= rfc7143#section-6.3 type=test
//# An attempt to renegotiate/redeclare parameters not specifically allowed MUST
//# be detected by the initiator and target.
TEST_CASE("a key offered twice in one PDU is an error", "[pdu][negotiation]") {
  auto target = make_target();
  CHECK(error_of(target, {{"MaxBurstLength", "4096"}, {"MaxBurstLength", "8192"}}) ==
        negotiation_error::key_offered_twice);
  auto declarations = make_target();
  CHECK(error_of(declarations, {{"InitiatorAlias", "a"}, {"InitiatorAlias", "b"}}) ==
        negotiation_error::key_offered_twice);
  auto own = make_initiator();
  auto offered = own.offer({"MaxBurstLength", "MaxBurstLength"});
  REQUIRE_FALSE(offered);
  CHECK(offered.error() == negotiation_error::key_offered_twice);
}

//= rfc7143#section-6.2 type=test
//# Sending the key again would be a renegotiation and is forbidden for many keys.
TEST_CASE("a key renegotiated after its negotiation is an error", "[pdu][negotiation]") {
  SECTION("the peer offers again after our answer") {
    auto target = make_target();
    CHECK(answer_to(target, "ErrorRecoveryLevel", "0") == "0");
    CHECK(error_of(target, {{"ErrorRecoveryLevel", "0"}}) == negotiation_error::key_renegotiated);
  }
  SECTION("the peer offers a key it already answered") {
    auto initiator = make_initiator();
    REQUIRE(initiator.offer({"MaxConnections"}));
    REQUIRE(initiator.receive({{"MaxConnections", "1"}}));
    CHECK(error_of(initiator, {{"MaxConnections", "1"}}) == negotiation_error::key_renegotiated);
  }
  SECTION("a declaration is redeclared in a later PDU of the login") {
    auto target = make_target({}, negotiation_phase::security);
    REQUIRE(target.receive({{"InitiatorName", "iqn.2001-04.com.example:h"}}));
    target.set_phase(negotiation_phase::operational);
    CHECK(error_of(target, {{"InitiatorName", "iqn.2001-04.com.example:h"}}) ==
          negotiation_error::key_renegotiated);
  }
  SECTION("X#NodeArchitecture is redeclared in a later PDU of the login") {
    //= rfc7143#section-13.26.1 type=test
    //# X#NodeArchitecture MUST NOT be redeclared during the Login Phase.
    auto target = make_target();
    REQUIRE(target.receive({{"X#NodeArchitecture", "ExampleOS/v1234,ExampleInc_SW_Initiator/1.05a"}}));
    CHECK(error_of(target, {{"X#NodeArchitecture", "ExampleOS/v1234"}}) ==
          negotiation_error::key_renegotiated);
  }
  SECTION("we offer a key we already answered or offered") {
    auto target = make_target();
    CHECK(answer_to(target, "MaxBurstLength", "4096") == "4096");
    auto again = target.offer({"MaxBurstLength"});
    REQUIRE_FALSE(again);
    CHECK(again.error() == negotiation_error::key_renegotiated);
    REQUIRE(target.offer({"MaxRecvDataSegmentLength"}));
    CHECK(target.offer({"MaxRecvDataSegmentLength"}).error() == negotiation_error::key_renegotiated);
  }
  SECTION("the target may repeat TargetAddress and, for SendTargets, TargetName") {
    auto initiator = make_initiator({}, negotiation_phase::full_feature);
    auto answers = initiator.receive({{"TargetName", "iqn.2001-04.com.example:t1"},
                                      {"TargetAddress", "10.0.0.1:3260,1"},
                                      {"TargetAddress", "10.0.0.2:3260,2"},
                                      {"TargetName", "iqn.2001-04.com.example:t2"}});
    REQUIRE(answers);
    CHECK(answers->empty());
  }
}

//= rfc7143#section-6.2 type=test
//# However, the answer for a key that is not understood MUST be key=NotUnderstood.
TEST_CASE("unknown keys are answered NotUnderstood", "[pdu][negotiation]") {
  auto target = make_target();
  auto answers = target.receive({{"FooBar", "1"}, {"X-com.example.opt", "Yes"}});
  REQUIRE(answers);
  CHECK(*answers == text_pairs{{"FooBar", "NotUnderstood"}, {"X-com.example.opt", "NotUnderstood"}});
  CHECK(*target.outcome("FooBar") == key_outcome::not_understood);
  //= rfc7143#section-6.1 type=test
  //# All the text keys ... are case sensitive
  CHECK(answer_to(target, "maxburstlength", "512") == "NotUnderstood");
  CHECK(error_of(target, {{"FooBar", "2"}}) == negotiation_error::key_renegotiated);
  CHECK(error_of(target, {{"Baz", "Reject"}}) == negotiation_error::answer_constant_as_offer);
}

//= rfc7143#section-6.2 type=test
//# Returning a NotUnderstood response on any of these text keys therefore MUST
//# be considered a protocol error
//= rfc7143#section-6.2 type=test
//# A proposer of an iSCSI key, negotiated or declarative, in a text key exchange MUST thus be able
//# to properly handle a NotUnderstood response.
TEST_CASE("NotUnderstood received for a standard key is a protocol error", "[pdu][negotiation]") {
  for (const std::string_view key : {"HeaderDigest", "MaxBurstLength", "InitialR2T",
                                     "TaskReporting", "MaxRecvDataSegmentLength"}) {
    INFO(key);
    auto initiator = make_initiator();
    REQUIRE(initiator.offer({key}));
    CHECK(error_of(initiator, {{std::string(key), "NotUnderstood"}}) ==
          negotiation_error::not_understood_standard_key);
  }
  //= rfc7144#section-7.1.1 type=test
  //# If the negotiation answer is ignored by the acceptor, or the answer from the
  //# remote iSCSI end point is key=NotUnderstood, then the features defined in
  //# this RFC ... MUST NOT be used.
  auto initiator = make_initiator(settings_with("iSCSIProtocolLevel", "2"));
  REQUIRE(initiator.offer({"iSCSIProtocolLevel"}));
  REQUIRE(initiator.receive({{"iSCSIProtocolLevel", "NotUnderstood"}}));
  CHECK(*initiator.outcome("iSCSIProtocolLevel") == key_outcome::not_understood);
  CHECK(initiator.finish()->protocol_level == 1);
}

//= rfc7143#section-6.2 type=test
//# the use of "Reject", "Irrelevant", and "NotUnderstood" as proposed values
TEST_CASE("answer constants are never proposals", "[pdu][negotiation]") {
  for (const std::string value : {"Reject", "Irrelevant", "NotUnderstood", "None,Reject"}) {
    INFO(value);
    auto target = make_target();
    CHECK(error_of(target, {{"HeaderDigest", value}}) == negotiation_error::answer_constant_as_offer);
  }
  auto initiator = make_initiator();
  CHECK(initiator.offer_pairs(text_pairs{{"HeaderDigest", "Reject"}}).error() ==
        negotiation_error::answer_constant_as_offer);
}

//= rfc7143#section-6.2 type=test
//# If the acceptor sends "Reject" as an answer, the negotiated key is left at
//# its current value (or default if no value was set).
TEST_CASE("Reject and Irrelevant answers keep the current value", "[pdu][negotiation]") {
  auto initiator = make_initiator(settings_with("MaxBurstLength", "4096"));
  REQUIRE(initiator.offer({"MaxBurstLength", "FirstBurstLength"}));
  REQUIRE(initiator.receive({{"MaxBurstLength", "Reject"}, {"FirstBurstLength", "Irrelevant"}}));
  CHECK(*initiator.outcome("MaxBurstLength") == key_outcome::rejected);
  CHECK(*initiator.outcome("FirstBurstLength") == key_outcome::irrelevant);
  CHECK(initiator.pending().empty());
  CHECK(initiator.finish()->max_burst_length == 262144);
}

//= rfc7143#section-13.25 type=test
//# When an IFMarker or OFMarker key is received, a compliant iSCSI
//# implementation SHOULD respond with the constant "Reject" value. The
//# implementation MAY alternatively respond with a "No" value. ... MUST NOT
//# respond with a "NotUnderstood" value
TEST_CASE("the obsolete marker keys are answered Reject (or No), never NotUnderstood",
          "[pdu][negotiation]") {
  const text_pairs obsolete = {{"OFMarker", "Yes"},
                               {"IFMarker", "No"},
                               {"OFMarkInt", "2048~8192"},
                               {"IFMarkInt", "2048~8192"}};
  auto target = make_target();
  CHECK(*target.receive(obsolete) == text_pairs{{"OFMarker", "Reject"},
                                                {"IFMarker", "Reject"},
                                                {"OFMarkInt", "Reject"},
                                                {"IFMarkInt", "Reject"}});
  local_settings lenient;
  lenient.answer_markers_with_no = true;
  auto initiator = make_initiator(lenient);
  CHECK(*initiator.receive(obsolete) == text_pairs{{"OFMarker", "No"},
                                                   {"IFMarker", "No"},
                                                   {"OFMarkInt", "Reject"},
                                                   {"IFMarkInt", "Reject"}});
  CHECK(error_of(target, {{"OFMarker", "No"}}) == negotiation_error::key_renegotiated);
}

//= rfc7143#section-13.22 type=test
//# Vendor-specific keys MUST ONLY be used in Normal sessions.
TEST_CASE("X- keys: NotUnderstood in Normal sessions, an error in Discovery sessions",
          "[pdu][negotiation]") {
  auto normal = make_target();
  CHECK(answer_to(normal, "X-com.example.bar.foo.do_something", "3") == "NotUnderstood");
  auto discovery = make_target({}, negotiation_phase::operational, session_kind::discovery);
  CHECK(error_of(discovery, {{"X-com.example.k", "3"}}) ==
        negotiation_error::extension_key_in_discovery);
  // SessionType is processed first, whatever its place in the PDU.
  auto declared = make_target({}, negotiation_phase::security);
  CHECK(error_of(declared, {{"X-com.example.k", "3"}, {"SessionType", "Discovery"}}) ==
        negotiation_error::extension_key_in_discovery);
}

//= rfc7143#section-13.2 type=test
//# Irrelevant when: SessionType=Discovery
TEST_CASE("keys irrelevant in Discovery sessions are answered Irrelevant", "[pdu][negotiation]") {
  const text_pairs offers = {{"MaxConnections", "4"},     {"InitialR2T", "No"},
                             {"ImmediateData", "Yes"},    {"MaxBurstLength", "4096"},
                             {"FirstBurstLength", "4096"}, {"MaxOutstandingR2T", "2"},
                             {"DataPDUInOrder", "No"},    {"DataSequenceInOrder", "No"},
                             {"TaskReporting", "RFC3720"}, {"iSCSIProtocolLevel", "1"}};
  auto target = make_target({}, negotiation_phase::operational, session_kind::discovery);
  auto answers = target.receive(offers);
  REQUIRE(answers);
  REQUIRE(answers->size() == offers.size());
  for (std::size_t i = 0; i < offers.size(); ++i) {
    CHECK((*answers)[i] == key_value{offers[i].key, "Irrelevant"});
  }
  // Keys that stay relevant in Discovery sessions are negotiated normally.
  CHECK(answer_to(target, "DefaultTime2Wait", "5") == "5");
  CHECK(answer_to(target, "HeaderDigest", "None") == "None");
}

//= rfc7143#section-6.2 type=test
//# I->T InitialR2T=No,ImmediateData=Yes,FirstBurstLength=4192
//# T->I InitialR2T=Yes,ImmediateData=No,FirstBurstLength=Irrelevant
TEST_CASE("the RFC's Irrelevant example: FirstBurstLength after InitialR2T and ImmediateData",
          "[pdu][negotiation]") {
  local_settings s;
  s.set("InitialR2T", "Yes");
  s.set("ImmediateData", "No");
  auto target = make_target(s);
  auto answers = target.receive(
      {{"FirstBurstLength", "4192"}, {"InitialR2T", "No"}, {"ImmediateData", "Yes"}});
  REQUIRE(answers);
  CHECK(*answers == text_pairs{{"FirstBurstLength", "Irrelevant"},
                               {"InitialR2T", "Yes"},
                               {"ImmediateData", "No"}});
  CHECK(*target.outcome("FirstBurstLength") == key_outcome::irrelevant);
}

//= rfc7143#section-13.14 type=test
//# FirstBurstLength MUST NOT exceed MaxBurstLength.
TEST_CASE("FirstBurstLength never exceeds MaxBurstLength", "[pdu][negotiation]") {
  SECTION("the acceptor selects within MaxBurstLength") {
    auto target = make_target(settings_with("FirstBurstLength", "1048576"));
    auto answers = target.receive({{"FirstBurstLength", "65536"}, {"MaxBurstLength", "16384"}});
    REQUIRE(answers);
    CHECK(*answers == text_pairs{{"FirstBurstLength", "16384"}, {"MaxBurstLength", "16384"}});
    auto params = target.finish();
    REQUIRE(params);
    CHECK(params->first_burst_length == 16384);
  }
  SECTION("the proposer detects an answer set that breaks the rule") {
    //= rfc7143#section-6.2 type=test
    //# Negotiations MUST be handled as atomic operations. For example, all negotiated values go
    //# into effect after the negotiation concludes in agreement or are ignored if the negotiation
    //# fails.
    local_settings s;
    s.set("MaxBurstLength", "16384");
    s.set("FirstBurstLength", "65536");
    auto initiator = make_initiator(s);
    REQUIRE(initiator.offer({"MaxBurstLength", "FirstBurstLength"}));
    REQUIRE(initiator.receive({{"MaxBurstLength", "16384"}, {"FirstBurstLength", "65536"}}));
    auto params = initiator.finish();
    REQUIRE_FALSE(params);
    CHECK(params.error() == negotiation_error::first_burst_exceeds_max_burst);
  }
  SECTION("an irrelevant FirstBurstLength is not held to MaxBurstLength") {
    auto target = make_target(settings_with("MaxBurstLength", "16384"));
    REQUIRE(target.receive({{"InitialR2T", "Yes"},
                            {"ImmediateData", "No"},
                            {"MaxBurstLength", "16384"},
                            {"FirstBurstLength", "65536"}}));
    CHECK(*target.outcome("FirstBurstLength") == key_outcome::irrelevant);
    auto params = target.finish();
    REQUIRE(params);
    CHECK(params->max_burst_length == 16384);
  }
}

//= rfc7143#section-13.19 type=test
//# if ErrorRecoveryLevel is not 0 and DataSequenceInOrder is set to Yes, then
//# MaxOutstandingR2T MUST be set to 1.
//= rfc7143#section-6.2 type=test
//# An iSCSI target MUST perform integrity checking before the new parameters take effect.
TEST_CASE("ERL>0 with DataSequenceInOrder=Yes needs MaxOutstandingR2T=1", "[pdu][negotiation]") {
  local_settings s;
  s.set("ErrorRecoveryLevel", "2");
  s.set("MaxOutstandingR2T", "8");
  auto target = make_target(s);
  REQUIRE(target.receive({{"ErrorRecoveryLevel", "1"}, {"MaxOutstandingR2T", "4"}}));
  CHECK(target.finish().error() == negotiation_error::outstanding_r2t_must_be_one);
  s.set("DataSequenceInOrder", "No");  // OR: both sides must say No
  auto out_of_order = make_target(s);
  REQUIRE(out_of_order.receive(
      {{"ErrorRecoveryLevel", "1"}, {"MaxOutstandingR2T", "4"}, {"DataSequenceInOrder", "No"}}));
  CHECK(out_of_order.finish());
}

//= rfc7143#section-12 type=test
//# Only the following keys are used during the SecurityNegotiation stage ...
//# Other keys MUST NOT be used.
TEST_CASE("keys outside their phase are protocol errors", "[pdu][negotiation]") {
  struct row {
    negotiation_phase phase;
    std::string key;
    std::string value;
  };
  using enum negotiation_phase;
  const row rows[] = {
      {security, "MaxBurstLength", "4096"},    // operational key in SecurityNegotiation
      {security, "HeaderDigest", "None"},
      {security, "MaxRecvDataSegmentLength", "8192"},
      //= rfc7143#section-6.3 type=test
      //# Authentication-related security keys (Section 12) MUST be completely
      //# negotiated within the Login Phase.
      {operational, "AuthMethod", "None"},
      {operational, "CHAP_A", "5"},
      {full_feature, "AuthMethod", "None"},
      //= rfc7143#section-13 type=test
      //# Keys that can only be used during login have the "use: IO"
      {full_feature, "InitialR2T", "No"},      // LO in FFP
      {full_feature, "HeaderDigest", "None"},  // IO in FFP
      {full_feature, "InitiatorName", "iqn.2001-04.com.example:h"},
      {operational, "SendTargets", "All"},     // FFPO in login
  };
  for (const auto& [phase, key, value] : rows) {
    INFO(key << " in " << name(phase));
    auto target = make_target({}, phase);
    CHECK(error_of(target, {{key, value}}) == negotiation_error::wrong_phase);
  }
  // Any-Stage keys are fine in SecurityNegotiation; ALL keys in FFP.
  auto security_stage = make_target({}, security);
  REQUIRE(security_stage.receive({{"InitiatorName", "iqn.2001-04.com.example:h"},
                                  {"SessionType", "Normal"},
                                  {"InitiatorAlias", "host"}}));
  auto ffp = make_target({}, full_feature);
  REQUIRE(ffp.receive({{"MaxRecvDataSegmentLength", "4096"}, {"InitiatorAlias", "h"}}));
}

//= rfc7143#section-13.6 type=test
//# Senders: Target
TEST_CASE("keys from the wrong sender are protocol errors", "[pdu][negotiation]") {
  struct row {
    role receiver;
    std::string key;
    std::string value;
  };
  const row rows[] = {
      {role::target, "TargetAlias", "disk"},
      {role::target, "TargetAddress", "10.0.0.1"},
      {role::target, "TargetPortalGroupTag", "1"},
      {role::initiator, "InitiatorName", "iqn.2001-04.com.example:h"},
      {role::initiator, "InitiatorAlias", "h"},
      {role::initiator, "SessionType", "Normal"},
  };
  for (const auto& [receiver, key, value] : rows) {
    INFO(key);
    auto side = make_side(receiver, negotiation_phase::operational);
    CHECK(error_of(side, {{key, value}}) == negotiation_error::wrong_sender);
  }
  auto initiator = make_initiator();
  CHECK(initiator.offer({"TargetAlias"}).error() == negotiation_error::wrong_sender);
  CHECK(initiator.offer({"NoSuchKey"}).error() == negotiation_error::unknown_local_key);
  CHECK(initiator.offer_pairs(text_pairs{{"NoSuchKey", "1"}}).error() ==
        negotiation_error::unknown_local_key);
  CHECK(initiator.offer_pairs(text_pairs{{"MaxBurstLength", "1"}}).error() ==
        negotiation_error::invalid_value);
}

//= rfc7143#section-13 type=test
//# Some session-specific parameters MUST only be carried on the leading connection
TEST_CASE("LO keys on a connection that is not leading are protocol errors",
          "[pdu][negotiation]") {
  auto second = make_side(role::target, negotiation_phase::operational, session_kind::normal, {},
                          false);
  CHECK(error_of(second, {{"MaxConnections", "2"}}) == negotiation_error::leading_only_key);
  auto connection_keys = make_side(role::target, negotiation_phase::operational,
                                   session_kind::normal, {}, false);
  REQUIRE(connection_keys.receive({{"HeaderDigest", "None"}, {"MaxRecvDataSegmentLength", "8192"}}));
}
