// Multi-task TMFs seen from a third-party session (RFC 7143 sections
// 4.2.3.2, 4.2.3.3 e), 4.2.3.6, 11.5.1): a LOGICAL UNIT RESET, CLEAR TASK SET
// or TARGET WARM RESET from one session aborts another session's WRITE that
// waits for its Data-Out: the WRITE never answers (TAS=0), and that
// session's next command gets the unit attention. ABORT TASK SET leaves it
// alone. And the issuing session's fence (4.2.3.3 d): a command after an
// immediate ABORT TASK SET with its CmdSN is no affected task.
#include <algorithm>

#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::tmf_function;

namespace {

// A Normal session with its own ISID (login_normal's would reinstate), its
// power-on unit attentions consumed, writes solicited by R2T.
void log_in_third_party(driver& d) {
  auto s = d.feed(login(pdu::login_stage::operational_negotiation,
                        {login_names[0], login_names[1], {"SessionType", "Normal"}, {"ImmediateData", "No"}})
                      .isid(0x80123456789bULL)
                      .transit_to(pdu::login_stage::full_feature_phase)
                      .build());
  REQUIRE(pdu::login_response_view(s.sent.at(0)).is_final_response());
}

pdu::pdu unit_ready(std::uint32_t itt, std::uint32_t cmd_sn) {
  return pdu::scsi_command_builder().initiator_task_tag(itt).cmd_sn(cmd_sn).cdb(pdu::byte_buffer(6, 0)).build();
}

pdu::pdu write_one_block(std::uint32_t itt, std::uint32_t cmd_sn) {
  return pdu::scsi_command_builder().initiator_task_tag(itt).cmd_sn(cmd_sn).cdb(write10(0, 1)).write()
      .expected_data_transfer_length(512).build();
}

pdu::pdu data_for(const pdu::pdu& r2t, std::uint32_t itt) {
  return pdu::data_out_builder().initiator_task_tag(itt).target_transfer_tag(pdu::r2t_view(r2t).target_transfer_tag())
      .buffer_offset(0).data(pdu::byte_buffer(512, 0x5a)).build();
}

// The third party: logged in, its unit attentions consumed (at most 4
// commands), a one-block WRITE waiting for the Data-Out its R2T asks for.
struct third_party {
  explicit third_party(std::shared_ptr<target_node> node) : d(std::move(node)) {
    log_in_third_party(d);
    bool ready = false;
    for (int i = 0; i < 4 && !ready; ++i) {
      auto s = d.feed(unit_ready(0x100 + static_cast<std::uint32_t>(i), cmd_sn++));
      REQUIRE(s.sent.size() == 1);
      ready = pdu::scsi_response_view(s.sent[0]).status() == pdu::scsi_status::good;
    }
    REQUIRE(ready);
    auto w = d.feed(write_one_block(1, cmd_sn++));
    REQUIRE(w.sent.size() == 1);
    REQUIRE(w.sent[0].op() == pdu::opcode::r2t);
    r2t = w.sent[0];
  }
  // Its next command's response (one PDU).
  pdu::pdu next_command() {
    auto s = d.feed(unit_ready(0x200, cmd_sn++));
    REQUIRE(s.sent.size() == 1);
    REQUIRE(s.sent[0].header().initiator_task_tag() == 0x200u);
    return s.sent[0];
  }
  driver d;
  std::uint32_t cmd_sn = 10;
  pdu::pdu r2t;
};

// The issuing session's TMF, answered at once (nothing of its own waits).
void issue(std::shared_ptr<target_node> node, tmf_function f) {
  driver issuing(std::move(node));
  logged_in(issuing);
  auto s = issuing.feed(pdu::task_mgmt_request_builder(f).initiator_task_tag(2).cmd_sn(10)
                            .exp_stat_sn(issuing.exp_stat_sn()).build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::task_mgmt_response);
  REQUIRE(pdu::task_mgmt_response_view(s.sent[0]).response() == pdu::tmf_response::function_complete);
}

// CHECK CONDITION, UNIT ATTENTION with `asc` (fixed format sense after the
// two-byte SenseLength).
void check_unit_attention(const pdu::pdu& p, std::uint8_t asc) {
  const pdu::scsi_response_view r(p);
  REQUIRE(r.status() == pdu::scsi_status::check_condition);
  REQUIRE(p.data.size() > 14);
  CHECK((p.data[4] & 0x0f) == 0x06);
  CHECK(p.data[14] == asc);
}

void set_tas(scsi::logical_unit& lu) {
  auto* control = lu.pages().find(scsi::mode_page_code::control);
  REQUIRE(control);
  control->current[5] |= 0x40;
  control->saved[5] |= 0x40;
}

}  // namespace

//= rfc7143#section-4.2.3.6 type=test
//# The UA notification contained in
//# the first SCSI Response PDU on each affected third-party
//# I_T_L nexus after the TMF action thus MUST NOT pass the
//# affected task responses on any of the iSCSI sessions
//# accessing the LU.
//= rfc7143#section-4.2.3.3 type=test
//# e) MUST provide the Response Fence behavior on the first post-TMF
//# Response on third-party sessions as specified in
//# Section 4.2.2.3.3.
//= rfc7143#section-4.2.3.2 type=test
//# LOGICAL UNIT RESET: All outstanding tasks from all initiators for the
//# LU identified by the LUN field in the LOGICAL UNIT RESET
//# Request PDU.
TEST_CASE("tmf third party: after a LU reset the other session's write never answers, its next command sees the UA",
          "[target][tmf]") {
  auto node = make_node();
  third_party third(node);
  issue(node, tmf_function::logical_unit_reset);
  // The write's data still comes (4.2.3.3 a); the task answers nothing.
  auto data = third.d.feed(data_for(third.r2t, 1));
  for (const auto& p : data.sent) CHECK(p.header().initiator_task_tag() != 1u);
  check_unit_attention(third.next_command(), 0x29);
}

//= rfc7143#section-4.2.3.2 type=test
//# TARGET WARM RESET/TARGET COLD RESET: All outstanding tasks from all
//# initiators across all LUs to which the TMF-issuing session has
//# access on the SCSI target device hosting the iSCSI session.
TEST_CASE("tmf third party: a TARGET WARM RESET aborts the other session's write too", "[target][tmf]") {
  auto node = make_node();
  third_party third(node);
  issue(node, tmf_function::target_warm_reset);
  auto data = third.d.feed(data_for(third.r2t, 1));
  for (const auto& p : data.sent) CHECK(p.header().initiator_task_tag() != 1u);
  check_unit_attention(third.next_command(), 0x29);
}

//= rfc7143#section-4.2.3.2 type=test
//# CLEAR TASK SET: All outstanding tasks in the task set for the LU
//# identified by the LUN field in the CLEAR TASK SET TMF Request PDU.
//= spc4#7.5.8 table 429 type=test
//# TAS=0: COMMANDS CLEARED BY ANOTHER INITIATOR for each other I_T nexus that lost tasks
TEST_CASE("tmf third party: a CLEAR TASK SET aborts the other session's write, COMMANDS CLEARED BY ANOTHER INITIATOR",
          "[target][tmf]") {
  auto node = make_node();
  third_party third(node);
  issue(node, tmf_function::clear_task_set);
  auto data = third.d.feed(data_for(third.r2t, 1));
  for (const auto& p : data.sent) CHECK(p.header().initiator_task_tag() != 1u);
  check_unit_attention(third.next_command(), 0x2f);
}

TEST_CASE("tmf third party: with TAS=1 the aborted write answers TASK ABORTED once its data is in", "[target][tmf]") {
  auto node = make_node();
  set_tas(*node->devices->find_lu(0));
  third_party third(node);
  issue(node, tmf_function::clear_task_set);
  auto data = third.d.feed(data_for(third.r2t, 1));
  REQUIRE(data.sent.size() == 1);
  CHECK(data.sent[0].header().initiator_task_tag() == 1u);
  CHECK(pdu::scsi_response_view(data.sent[0]).status() == pdu::scsi_status::task_aborted);
  // TAS=1: no unit attention for the cleared task.
  const auto next = third.next_command();
  CHECK(pdu::scsi_response_view(next).status() == pdu::scsi_status::good);
}

//= rfc7143#section-11.5.1 type=test
//# 2  ABORT TASK SET - aborts all tasks issued via this session on
//# the LU.
TEST_CASE("tmf third party: another session's ABORT TASK SET leaves the write to complete GOOD", "[target][tmf]") {
  auto node = make_node();
  third_party third(node);
  issue(node, tmf_function::abort_task_set);
  auto data = third.d.feed(data_for(third.r2t, 1));
  REQUIRE(data.sent.size() == 1);
  CHECK(data.sent[0].header().initiator_task_tag() == 1u);
  CHECK(pdu::scsi_response_view(data.sent[0]).status() == pdu::scsi_status::good);
}

// The transport runs a job without the instance lock: a reset of another
// session may come between the core handing the write over and the device
// server starting it. The write is in the task set from the hand-over, so
// the reset aborts it there, and it never takes the reset's unit attention.
TEST_CASE("tmf third party: a write handed to the device server but not started when the LU resets never answers",
          "[target][tmf]") {
  auto node = make_node();
  third_party third(node);
  auto data = third.d.feed(data_for(third.r2t, 1), false);
  REQUIRE(data.jobs.size() == 1);
  issue(node, tmf_function::logical_unit_reset);
  const auto& job = data.jobs[0];
  third.d.core().on_scsi_done(job.job, node->devices->execute(job.nexus, job.request()));
  for (const auto& p : third.d.drain().sent) CHECK(p.header().initiator_task_tag() != 1u);
  check_unit_attention(third.next_command(), 0x29);
}

//= rfc7143#section-4.2.3.3 type=test
//# d) MUST provide the Response Fence behavior for the TMF Response
//# on the issuing session as specified in Section 4.2.2.3.2.
//= rfc7143#section-4.2.2.3.2 type=test
//# The notions of "preceding" and "following" refer to the order of
//# handoff of a response message from the target SCSI protocol layer to
//# the target iSCSI layer.
// A command sent after an immediate ABORT TASK SET with the same CmdSN is
// no affected task (11.5.1: a CmdSN lower than the TMF's, or an immediate
// command's equal one): the SCSI layer hands its response over while the TMF
// waits for the affected write's Data-Out, so it precedes the fenced TMF
// Response and goes out first; the affected write answers nothing.
TEST_CASE("tmf: a command after an immediate ABORT TASK SET with its CmdSN precedes the TMF Response",
          "[target][tmf]") {
  driver d;
  logged_in(d, {{"ImmediateData", "No"}});
  auto w = d.feed(write_one_block(1, 10));
  REQUIRE(w.sent.size() == 1);
  auto set = d.feed(pdu::task_mgmt_request_builder(tmf_function::abort_task_set).immediate(true)
                        .initiator_task_tag(2).cmd_sn(11).exp_stat_sn(d.exp_stat_sn()).build());
  CHECK(set.sent.empty());
  auto later = d.feed(unit_ready(3, 11));
  REQUIRE(later.sent.size() == 1);
  CHECK(later.sent[0].header().initiator_task_tag() == 3u);
  CHECK(pdu::scsi_response_view(later.sent[0]).status() == pdu::scsi_status::good);
  // The TMF Response waits for the ExpStatSN of that status too (11.6.1).
  auto data = d.feed(data_for(w.sent[0], 1));
  std::vector<pdu::pdu> sent = data.sent;
  const auto answered = [&] {
    return std::any_of(sent.begin(), sent.end(), [](const pdu::pdu& p) { return p.op() == pdu::opcode::task_mgmt_response; });
  };
  for (int i = 0; i < 2 && !answered(); ++i) {
    auto more = d.feed(pdu::nop_out_builder().initiator_task_tag(0x300 + static_cast<std::uint32_t>(i)).cmd_sn(12)
                           .immediate().exp_stat_sn(d.exp_stat_sn()).build());
    sent.insert(sent.end(), more.sent.begin(), more.sent.end());
  }
  CHECK(answered());
  for (const auto& p : sent) CHECK(p.header().initiator_task_tag() != 1u);
}
