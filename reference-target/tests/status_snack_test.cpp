// ErrorRecoveryLevel 1 in process: the level negotiated up to limits.max_erl,
// numbered responses kept until acknowledged and resent by Status SNACK, and
// the SNACKs that cannot be answered (acknowledged, never sent, hostile
// RunLength, at ERL 0) refused with a Reject.
#include "support.hpp"
#include "touchstone/pdu/nop_in.hpp"
#include "touchstone/pdu/nop_out.hpp"
#include "touchstone/pdu/reject.hpp"
#include "touchstone/pdu/snack.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

// Logs in asking ErrorRecoveryLevel `erl`; the level the target answered.
std::string login_at_erl(driver& d, const char* erl) {
  auto s = login_normal(d, {{"ErrorRecoveryLevel", erl}});
  REQUIRE(!s.sent.empty());
  REQUIRE(pdu::login_response_view(s.sent.at(0)).is_final_response());
  const auto keys = parse(s.sent.at(0));  // find_key points into it
  const auto* answer = find_key(keys, "ErrorRecoveryLevel");
  REQUIRE(answer != nullptr);
  return *answer;
}

// A NOP-Out ping's answer: a numbered response (it takes a StatSN).
pdu::pdu ping(driver& d, std::uint32_t itt) {
  auto s = d.feed(pdu::nop_out_builder().initiator_task_tag(itt).cmd_sn(10).immediate().build());
  REQUIRE(s.sent.size() == 1);
  return s.sent[0];
}

pdu::pdu status_snack(std::uint32_t exp_stat_sn, std::uint32_t beg, std::uint32_t length) {
  return pdu::snack_builder(pdu::snack_type::status)
      .initiator_task_tag(pdu::reserved_tag)
      .exp_stat_sn(exp_stat_sn)
      .beg_run(beg)
      .run_length(length)
      .build();
}

pdu::reject_reason rejected(const step& s) {
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::reject);
  return pdu::reject_view(s.sent[0]).reason();
}

}  // namespace

TEST_CASE("erl1: ErrorRecoveryLevel is the minimum of the offer and limits.max_erl", "[target][erl1]") {
  //= rfc7143#section-13.20
  //= type=test
  //# Result function is Minimum.
  driver one(make_node(erl1_config()));
  CHECK(login_at_erl(one, "2") == "1");
  driver zero_asked(make_node(erl1_config()));
  CHECK(login_at_erl(zero_asked, "0") == "0");
  target_config config;
  config.limits.max_erl = 0;
  driver capped(make_node(config));
  CHECK(login_at_erl(capped, "2") == "0");
}

TEST_CASE("erl1: a Status SNACK resends an unacknowledged response with the current numbers", "[target][erl1]") {
  //= rfc7143#section-11.16
  //= type=test
  //# The numbered response(s) or R2T(s) requested by a SNACK MUST be
  //# delivered as exact replicas of the ones that the target transmitted
  //# originally, except for the fields ExpCmdSN, MaxCmdSN, and ExpDataSN,
  //# which MUST carry the current values.
  driver d(make_node(erl1_config()));
  login_at_erl(d, "1");
  const auto first = ping(d, 41);
  const auto second = ping(d, 42);
  const auto sn = first.header().u32(24);
  auto s = d.feed(status_snack(sn, sn, 2));
  REQUIRE(s.sent.size() == 2);
  CHECK(s.sent[0].bhs == first.bhs);
  CHECK(s.sent[1].bhs == second.bhs);
  SECTION("RunLength 0 is all from BegRun") {
    auto all = d.feed(status_snack(sn, sn + 1, 0));
    REQUIRE(all.sent.size() == 1);
    CHECK(all.sent[0].bhs == second.bhs);
  }
  SECTION("BegRun 0 and RunLength 0 is all unacknowledged") {
    auto all = d.feed(status_snack(sn + 1, 0, 0));
    REQUIRE(all.sent.size() == 1);
    CHECK(pdu::nop_in_view(all.sent[0]).initiator_task_tag() == 42);
  }
}

TEST_CASE("erl1: a Status SNACK for an acknowledged or unsent StatSN is a Protocol Error", "[target][erl1]") {
  //= rfc7143#section-11.16
  //= type=test
  //# Any SNACK that requests a numbered response, data, or R2T that was
  //# not sent by the target or was already acknowledged by the initiator
  //# MUST be rejected with a reason code of "Protocol Error".
  driver d(make_node(erl1_config()));
  login_at_erl(d, "1");
  const auto sn = ping(d, 41).header().u32(24);
  CHECK(rejected(d.feed(status_snack(sn + 1, sn, 1))) == pdu::reject_reason::protocol_error);
  const auto next = d.core().next_stat_sn();
  CHECK(rejected(d.feed(status_snack(next, next, 1))) == pdu::reject_reason::protocol_error);
  // Hostile runs: far beyond what was sent; the work is bounded by what is kept.
  CHECK(rejected(d.feed(status_snack(next + 1, next + 1, 0xffffffff))) == pdu::reject_reason::protocol_error);
  CHECK(rejected(d.feed(status_snack(next + 2, next + 0x7fff0000, 0))) == pdu::reject_reason::protocol_error);
}

TEST_CASE("erl1: responses acknowledged by ExpStatSN are freed and the kept ones are bounded", "[target][erl1]") {
  status_retention kept(4, 1 << 20);
  pdu::pdu p;
  for (std::uint32_t sn = 10; sn < 20; ++sn) kept.retain(sn, p);
  CHECK(kept.size() == 4);
  CHECK(kept.run(15, 1).empty());  // dropped past the bound
  CHECK(kept.run(16, 4).size() == 4);
  CHECK(kept.run(16, 0xffffffff).empty());
  kept.acknowledge(18);
  CHECK(kept.size() == 2);
  CHECK(kept.run(17, 1).empty());
  kept.retain(19, p);  // a resend is not kept twice
  CHECK(kept.size() == 2);
}

TEST_CASE("erl1: a Status SNACK for a response no longer kept is a SNACK Reject", "[target][erl1]") {
  driver d(make_node(erl1_config()));
  login_at_erl(d, "1");
  const auto sn = ping(d, 1).header().u32(24);
  for (std::uint32_t i = 0; i < status_retention::default_max_count; ++i) ping(d, 2 + i);
  //= rfc7143#section-7.8
  //= type=test
  //# In response to the SNACK, the target MUST either resend the data PDU or
  //# reject the SNACK with a Reject PDU with a reason code of "SNACK reject"
  CHECK(rejected(d.feed(status_snack(sn, sn, 1))) == pdu::reject_reason::snack_reject);
}

TEST_CASE("erl1: at ErrorRecoveryLevel 0 a Status SNACK is rejected and nothing is kept", "[target][erl1]") {
  driver d(make_node(erl1_config()));
  login_at_erl(d, "0");
  const auto sn = ping(d, 41).header().u32(24);
  CHECK(rejected(d.feed(status_snack(sn, sn, 1))) == pdu::reject_reason::snack_reject);
}
