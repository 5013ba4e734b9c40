// The Login Phase state machine, in process: every reject path with its
// status class and detail, the stage table, TPGT/TSIH placement, CHAP.
#include "support.hpp"
#include "touchstone/pdu/chap.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;
using pdu::login_status;

TEST_CASE("login: a Normal session straight to the Full Feature Phase", "[target][login]") {
  driver d;
  auto s = login_normal(d);
  REQUIRE(s.sent.size() == 1);
  const pdu::login_response_view r(s.sent[0]);
  CHECK(r.status() == login_status::success);
  CHECK(r.is_final_response());
  CHECK(r.tsih() != 0);
  CHECK(r.stat_sn() == 100);
  CHECK(r.exp_cmd_sn() == 10);
  CHECK(r.initiator_task_tag() == 7);
  CHECK(find_key(parse(s.sent[0]), "TargetPortalGroupTag") != nullptr);
  CHECK(d.core().current_phase() == phase::ffp_normal);
  CHECK_FALSE(s.closed);
}

TEST_CASE("login: TPGT in the first response, TSIH only in the final one", "[target][login]") {
  driver d;
  auto first = d.feed(login(login_stage::security_negotiation,
                            {login_names[0], login_names[1], {"AuthMethod", "None"}})
                          .transit_to(login_stage::operational_negotiation)
                          .build());
  REQUIRE(first.sent.size() == 1);
  const pdu::login_response_view r1(first.sent[0]);
  CHECK(r1.status() == login_status::success);
  CHECK(r1.transit());
  CHECK(r1.nsg() == login_stage::operational_negotiation);
  CHECK(r1.tsih() == 0);
  CHECK(find_key(parse(first.sent[0]), "TargetPortalGroupTag") != nullptr);
  CHECK(*find_key(parse(first.sent[0]), "AuthMethod") == "None");

  auto second = d.feed(login(login_stage::operational_negotiation, {{"MaxBurstLength", "65536"}})
                           .transit_to(login_stage::full_feature_phase)
                           .build());
  const pdu::login_response_view r2(second.sent[0]);
  CHECK(r2.status() == login_status::success);
  CHECK(r2.is_final_response());
  CHECK(r2.tsih() != 0);
  CHECK(r2.stat_sn() == 101);
  const auto pairs = parse(second.sent[0]);
  CHECK(find_key(pairs, "TargetPortalGroupTag") == nullptr);
  CHECK(*find_key(pairs, "MaxBurstLength") == "65536");
  CHECK(find_key(pairs, "MaxRecvDataSegmentLength") != nullptr);
  CHECK(d.core().parameters().max_burst_length == 65536);
}

TEST_CASE("login: T=1 only in answer to T=1", "[target][login]") {
  driver d;
  auto s = d.feed(login(login_stage::operational_negotiation, login_names).build());
  const pdu::login_response_view r(s.sent[0]);
  CHECK(r.status() == login_status::success);
  CHECK_FALSE(r.transit());
  CHECK(d.core().current_phase() == phase::login);
}

TEST_CASE("login: a request with C=1 gets an empty answer", "[target][login]") {
  driver d;
  const auto all = text(login_names);
  const pdu::byte_buffer head(all.begin(), all.begin() + 10), tail(all.begin() + 10, all.end());
  auto s1 = d.feed(login(login_stage::operational_negotiation, {}).continue_bit().data(head).build());
  REQUIRE(s1.sent.size() == 1);
  CHECK(s1.sent[0].data.empty());
  CHECK(pdu::login_response_view(s1.sent[0]).status() == login_status::success);
  auto s2 = d.feed(login(login_stage::operational_negotiation, {})
                       .data(tail)
                       .transit_to(login_stage::full_feature_phase)
                       .build());
  CHECK(pdu::login_response_view(s2.sent[0]).is_final_response());
  CHECK(find_key(parse(s2.sent[0]), "TargetPortalGroupTag") != nullptr);
}

TEST_CASE("login: reject paths name their status class and detail", "[target][login]") {
  struct row {
    const char* what;
    pdu::login_request_builder request;
    login_status expected;
  };
  const auto op = login_stage::operational_negotiation;
  std::vector<row> rows{
      {"missing InitiatorName", login(op, {login_names[1]}), login_status::missing_parameter},
      {"missing TargetName in a Normal session", login(op, {login_names[0]}),
       login_status::missing_parameter},
      {"unknown TargetName", login(op, {login_names[0], {"TargetName", "iqn.2026-11.org.other:x"}}),
       login_status::not_found},
      //= rfc7143#section-11.13.5 type=test
      //# Unsupported   | 0205 | The requested iSCSI version range is
      //# ...
      //# not supported by the target.
      {"unsupported version range", login(op, login_names).version_min(1).version_max(2),
       login_status::unsupported_version},
      //= rfc7143#section-11.12.4 type=test
      //# both Version-min and Version-max MUST be set to 0x00.
      {"version range 0..2 holds version 0: the initiator's error, not 0205",
       login(op, login_names).version_min(0).version_max(2), login_status::initiator_error},
      {"TSIH of no session", login(op, login_names).tsih(0x4242), login_status::session_does_not_exist},
      {"unknown SessionType", login(op, {login_names[0], login_names[1], {"SessionType", "Bogus"}}),
       login_status::session_type_not_supported},
      {"reserved CSG", login(op, login_names).raw_csg(2), login_status::initiator_error},
      {"operational key in the security stage",
       login(login_stage::security_negotiation, {login_names[0], login_names[1], {"MaxBurstLength", "512"}}),
       login_status::initiator_error},
      {"key offered twice", login(op, {login_names[0], login_names[1], {"MaxBurstLength", "512"},
                                       {"MaxBurstLength", "512"}}),
       login_status::initiator_error},
  };
  for (auto& r : rows) {
    INFO(r.what);
    driver d;
    auto s = d.feed(r.request.build());
    CHECK(status_of(s) == r.expected);
    CHECK(s.closed);
    const pdu::login_response_view v(s.sent.back());
    CHECK_FALSE(v.transit());
    CHECK(v.raw_csg() == 0);
    CHECK(v.raw_nsg() == 0);
  }
}

//= rfc7143#section-6.3 type=test
//# If both stages are used, the SecurityNegotiation MUST precede the LoginOperationalNegotiation.
TEST_CASE("login: stage table refuses going back to SecurityNegotiation", "[target][login]") {
  driver d;
  REQUIRE(status_of(d.feed(login(login_stage::operational_negotiation, login_names).build())) ==
          login_status::success);
  auto s = d.feed(login(login_stage::security_negotiation, {{"AuthMethod", "None"}}).build());
  CHECK(status_of(s) == login_status::initiator_error);
  CHECK(s.closed);
}

TEST_CASE("login: a PDU other than Login Request during login", "[target][login]") {
  driver d;
  REQUIRE(status_of(d.feed(login(login_stage::operational_negotiation, login_names).build())) ==
          login_status::success);
  auto s = d.feed(pdu::nop_out_builder().initiator_task_tag(1).immediate().build());
  CHECK(status_of(s) == login_status::invalid_during_login);
  CHECK(s.closed);
}

TEST_CASE("login: a PDU before the Login Phase closes the connection", "[target][login]") {
  driver d;
  auto s = d.feed(pdu::nop_out_builder().initiator_task_tag(1).immediate().build());
  CHECK(s.sent.empty());
  CHECK(s.closed);
}

TEST_CASE("login: Login Requests must keep ITT, CID and ISID", "[target][login]") {
  driver d;
  REQUIRE(status_of(d.feed(login(login_stage::operational_negotiation, login_names).build())) ==
          login_status::success);
  auto s = d.feed(login(login_stage::operational_negotiation, {}).cid(9).build());
  CHECK(status_of(s) == login_status::initiator_error);
}

namespace {

target_config chap_config(bool mutual = false) {
  target_config c;
  c.chap = chap_account{"alice", "alice-secret-1234"};
  if (mutual) c.mutual_chap = chap_account{"target", "target-secret-5678"};
  return c;
}

}  // namespace

//= rfc7143#section-9.2.1 type=test
//# Compliant iSCSI initiators and targets MUST implement the CHAP authentication method [RFC1994]
//# (according to Section 12.1.3, including the target authentication option).
TEST_CASE("login: CHAP one-way and mutual", "[target][login][chap]") {
  const bool mutual = GENERATE(false, true);
  driver d(make_node(chap_config(mutual)));
  const auto sec = login_stage::security_negotiation;
  auto s1 = d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "CHAP,None"}})
                       .transit_to(login_stage::operational_negotiation)
                       .build());
  CHECK(*find_key(parse(s1.sent[0]), "AuthMethod") == "CHAP");
  CHECK_FALSE(pdu::login_response_view(s1.sent[0]).transit());
  auto s2 = d.feed(login(sec, {{"CHAP_A", "7,5"}}).build());
  const auto challenge = parse(s2.sent[0]);
  CHECK(*find_key(challenge, "CHAP_A") == "5");
  pdu::text_pairs answer{{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(challenge, "alice-secret-1234")}};
  if (mutual) {
    answer.push_back({"CHAP_I", "3"});
    answer.push_back({"CHAP_C", "0x0102030405060708090a0b0c0d0e0f10"});
  }
  auto s3 = d.feed(login(sec, answer).transit_to(login_stage::operational_negotiation).build());
  const pdu::login_response_view r3(s3.sent[0]);
  CHECK(r3.status() == login_status::success);
  CHECK(r3.transit());
  if (mutual) {
    const auto reply = parse(s3.sent[0]);
    CHECK(*find_key(reply, "CHAP_N") == "target");
    pdu::text_pairs ours{{"CHAP_I", "3"}, {"CHAP_C", "0x0102030405060708090a0b0c0d0e0f10"}};
    CHECK(*find_key(reply, "CHAP_R") == chap_response_to(ours, "target-secret-5678"));
  }
  auto s4 = d.feed(login(login_stage::operational_negotiation, {})
                       .transit_to(login_stage::full_feature_phase)
                       .build());
  CHECK(pdu::login_response_view(s4.sent[0]).is_final_response());
}

//= rfc7143#section-6.3.2 type=test
//# If the security negotiation fails at the target, then the target MUST send the appropriate Login
//# Response PDU.
TEST_CASE("login: CHAP failures are authentication failures (0201)", "[target][login][chap]") {
  const auto sec = login_stage::security_negotiation;
  SECTION("wrong response") {
    driver d(make_node(chap_config()));
    d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "CHAP"}}).build());
    auto s2 = d.feed(login(sec, {{"CHAP_A", "5"}}).build());
    auto s3 = d.feed(login(sec, {{"CHAP_N", "alice"},
                                 {"CHAP_R", chap_response_to(parse(s2.sent[0]), "wrong-secret-0000")}})
                         .build());
    CHECK(status_of(s3) == login_status::authentication_failure);
    CHECK(s3.closed);
  }
  SECTION("no supported algorithm") {
    driver d(make_node(chap_config()));
    d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "CHAP"}}).build());
    CHECK(status_of(d.feed(login(sec, {{"CHAP_A", "7"}}).build())) ==
          login_status::authentication_failure);
  }
  SECTION("security stage skipped") {
    driver d(make_node(chap_config()));
    auto s = d.feed(login(login_stage::operational_negotiation, login_names)
                        .transit_to(login_stage::full_feature_phase)
                        .build());
    CHECK(status_of(s) == login_status::authentication_failure);
  }
  SECTION("AuthMethod=None when CHAP is required") {
    driver d(make_node(chap_config()));
    auto s = d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "None"}})
                        .transit_to(login_stage::operational_negotiation)
                        .build());
    CHECK(status_of(s) == login_status::authentication_failure);
  }
  SECTION("mutual CHAP requested but not configured") {
    driver d(make_node(chap_config(false)));
    d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "CHAP"}}).build());
    auto s2 = d.feed(login(sec, {{"CHAP_A", "5"}}).build());
    auto s3 = d.feed(login(sec, {{"CHAP_N", "alice"},
                                 {"CHAP_R", chap_response_to(parse(s2.sent[0]), "alice-secret-1234")},
                                 {"CHAP_I", "1"}, {"CHAP_C", "0x01020304"}})
                         .build());
    CHECK(status_of(s3) == login_status::authentication_failure);
  }
}

TEST_CASE("discovery: SendTargets=All and nothing else", "[target][discovery]") {
  driver d;
  auto s = d.feed(login(login_stage::operational_negotiation,
                        {login_names[0], {"SessionType", "Discovery"}})
                      .transit_to(login_stage::full_feature_phase)
                      .build());
  REQUIRE(pdu::login_response_view(s.sent[0]).is_final_response());
  REQUIRE(d.core().current_phase() == phase::ffp_discovery);
  auto t = d.feed(pdu::text_request_builder()
                      .initiator_task_tag(2)
                      .cmd_sn(10)
                      .immediate()
                      .data(text({{"SendTargets", "All"}}))
                      .build());
  REQUIRE(t.sent.size() == 1);
  REQUIRE(t.sent[0].op() == pdu::opcode::text_response);
  const auto pairs = parse(t.sent[0]);
  REQUIRE(pairs.size() == 2);
  CHECK(pairs[0] == pdu::key_value{"TargetName", std::string(default_iqn)});
  CHECK(pairs[1] == pdu::key_value{"TargetAddress", "127.0.0.1:3260,1"});

  auto cmd = d.feed(pdu::scsi_command_builder().initiator_task_tag(3).cmd_sn(10).cdb(read10(0, 1))
                        .read().expected_data_transfer_length(512).build());
  REQUIRE(cmd.sent.size() == 1);
  REQUIRE(cmd.sent[0].op() == pdu::opcode::reject);
  CHECK(pdu::reject_view(cmd.sent[0]).reason() == pdu::reject_reason::command_not_supported);

  auto out = d.feed(pdu::logout_request_builder().initiator_task_tag(4).cmd_sn(10).immediate().build());
  REQUIRE(out.sent.size() == 1);
  CHECK(pdu::logout_response_view(out.sent[0]).response() ==
        pdu::logout_response_code::closed_successfully);
  CHECK(out.closed);
}

//= rfc7143#section-13.23 type=test
//# The following table describes the semantics that an iSCSI target MUST
//# support for respective negotiated key values.
TEST_CASE("login: TaskReporting is answered RFC3720, the only semantics implemented",
          "[target][login]") {
  driver d;
  auto s = login_normal(d, {{"TaskReporting", "FastAbort,ResponseFence,RFC3720"}});
  REQUIRE(s.sent.size() == 1);
  const auto pairs = parse(s.sent[0]);
  REQUIRE(find_key(pairs, "TaskReporting") != nullptr);
  CHECK(*find_key(pairs, "TaskReporting") == "RFC3720");
}
