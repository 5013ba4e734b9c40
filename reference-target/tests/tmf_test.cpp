// Task Management Functions in process: ABORT TASK (found, RefCmdSN in and
// outside the window, aimed at a TMF), the multi-task functions waiting for
// the affected tasks' Data-Out (section 4.2.3.3), LU reset's unit attention,
// ABORT TASK SET waiting for ExpStatSN (11.6.1), TARGET COLD RESET, TASK REASSIGN at ERL 0, CLEAR ACA, and RFC 7144's
// functions with and without iSCSIProtocolLevel=2.
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::tmf_function;
using pdu::tmf_response;

namespace {

// A write of `blocks` blocks that waits for R2T-solicited data (no immediate data).
step start_write(driver& d, std::uint32_t itt, std::uint32_t cmd_sn, std::uint16_t blocks = 1) {
  return d.feed(pdu::scsi_command_builder()
                    .initiator_task_tag(itt)
                    .cmd_sn(cmd_sn)
                    .cdb(write10(0, blocks))
                    .write()
                    .expected_data_transfer_length(blocks * 512u)
                    .build());
}

// `exp_stat_sn`: an ABORT TASK SET's response waits for it to acknowledge
// every status sent (section 11.6.1): tests pass driver::exp_stat_sn().
pdu::pdu tmf(tmf_function f, std::uint32_t itt, std::uint32_t cmd_sn, std::uint32_t exp_stat_sn = 0) {
  return pdu::task_mgmt_request_builder(f).initiator_task_tag(itt).cmd_sn(cmd_sn).exp_stat_sn(exp_stat_sn).build();
}

tmf_response response_of(const pdu::pdu& p) {
  REQUIRE(p.op() == pdu::opcode::task_mgmt_response);
  return pdu::task_mgmt_response_view(p).response();
}

pdu::pdu data_for(const pdu::pdu& r2t, std::uint32_t itt) {
  const pdu::r2t_view v(r2t);
  return pdu::data_out_builder()
      .initiator_task_tag(itt)
      .target_transfer_tag(v.target_transfer_tag())
      .buffer_offset(v.buffer_offset())
      .data(pdu::byte_buffer(v.desired_data_transfer_length(), 0x5a))
      .build();
}

}  // namespace

TEST_CASE("tmf: ABORT TASK of a task waiting for data", "[target][tmf]") {
  //= rfc7143#section-11.6.1
  //= type=test
  //# a) if the Referenced Task Tag identifies a valid task leading to a
  //# successful termination, then targets must return the "Function complete" response.
  driver d;
  logged_in(d, {{"ImmediateData", "No"}});
  auto w = start_write(d, 1, 10);
  REQUIRE(w.sent.size() == 1);
  REQUIRE(w.sent[0].op() == pdu::opcode::r2t);
  auto s = d.feed(pdu::task_mgmt_request_builder(tmf_function::abort_task)
                      .initiator_task_tag(2).cmd_sn(11).referenced_task_tag(1).ref_cmd_sn(10).build());
  REQUIRE(s.sent.size() == 1);
  CHECK(response_of(s.sent[0]) == tmf_response::function_complete);
  // The Data-Out still due on the R2T is absorbed: no Reject, no response;
  // the task's end frees its command slot, which a NOP-In announces (11.4.11).
  //= rfc7143#section-10.7 type=test
  //# However, the data transfers logically MUST be silently discarded by the target iSCSI layer in
  //# all cases.
  auto late = d.feed(data_for(w.sent[0], 1));
  REQUIRE(late.sent.size() == 1);
  CHECK(late.sent[0].op() == pdu::opcode::nop_in);
  CHECK(late.sent[0].header().initiator_task_tag() == pdu::reserved_tag);
}

TEST_CASE("tmf: ABORT TASK of a finished task is answered Task does not exist", "[target][tmf]") {
  //= rfc7143#section-11.6.1
  //= type=test
  //# c) if the Referenced Task Tag does not identify an existing task and the
  //# CmdSN indicated by the RefCmdSN field ... is outside the valid CmdSN window,
  //# then targets must return the "Task does not exist" response.
  driver d;
  logged_in(d);
  auto w = d.feed(pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(write10(0, 1))
                      .write().expected_data_transfer_length(512).data(pdu::byte_buffer(512, 1)).build());
  REQUIRE(w.sent.size() == 1);
  auto s = d.feed(pdu::task_mgmt_request_builder(tmf_function::abort_task)
                      .initiator_task_tag(2).cmd_sn(11).referenced_task_tag(1).ref_cmd_sn(10).build());
  REQUIRE(s.sent.size() == 1);
  CHECK(response_of(s.sent[0]) == tmf_response::task_does_not_exist);
}

TEST_CASE("tmf: ABORT TASK of a command not yet received plugs its CmdSN", "[target][tmf]") {
  //= rfc7143#section-11.6.1
  //= type=test
  //# b) ... targets must consider the CmdSN as received and return the "Function complete" response.
  driver d;
  logged_in(d);
  // CmdSN 10 never arrives; 11 waits behind it.
  auto queued = d.feed(pdu::scsi_command_builder().initiator_task_tag(5).cmd_sn(11).cdb(read10(0, 1))
                           .read().expected_data_transfer_length(512).build());
  CHECK(queued.sent.empty());
  auto s = d.feed(pdu::task_mgmt_request_builder(tmf_function::abort_task)
                      .initiator_task_tag(2).cmd_sn(12).referenced_task_tag(4).ref_cmd_sn(10).build());
  // The immediate TMF answers at once; the plugged 10 releases 11.
  REQUIRE(s.sent.size() == 2);
  CHECK(response_of(s.sent[0]) == tmf_response::function_complete);
  CHECK(s.sent[1].header().initiator_task_tag() == 5);
  CHECK(d.core().exp_cmd_sn() == 12);
  // A late command with the plugged CmdSN is a duplicate: ignored.
  auto late = d.feed(pdu::scsi_command_builder().initiator_task_tag(4).cmd_sn(10).cdb(read10(0, 1))
                         .read().expected_data_transfer_length(512).build());
  CHECK(late.sent.empty());
}

TEST_CASE("tmf: ABORT TASK aimed at a task management request is rejected", "[target][tmf]") {
  //= rfc7143#section-11.5.1
  //= type=test
  //# At the target, an ABORT TASK function MUST NOT be executed on a task
  //# management request; such a request MUST result in a task management
  //# response of "Function rejected".
  driver d;
  logged_in(d, {{"ImmediateData", "No"}});
  auto w = start_write(d, 1, 10);
  // ABORT TASK SET waits for the write's Data-Out.
  auto set = d.feed(tmf(tmf_function::abort_task_set, 2, 11, d.exp_stat_sn()));
  CHECK(set.sent.empty());
  auto s = d.feed(pdu::task_mgmt_request_builder(tmf_function::abort_task)
                      .initiator_task_tag(3).cmd_sn(11).referenced_task_tag(2).ref_cmd_sn(11).build());
  REQUIRE(s.sent.size() == 1);
  CHECK(response_of(s.sent[0]) == tmf_response::function_rejected);
}

//= rfc7143#section-11.5.1 type=test
//# The target for its part MUST wait for responses on all affected Target
//# Transfer Tags before acting on either of these two task management requests.
//= rfc7143#section-13.23 type=test
//# When TaskReporting is not negotiated to FastAbort, the standard multi-task
//# abort semantics in Section 4.2.3.3 MUST be used.
TEST_CASE("tmf: ABORT TASK SET waits for the affected task's Data-Out", "[target][tmf]") {
  //= rfc7143#section-4.2.3.3
  //= type=test
  //# a) MUST wait for responses on currently valid Target Transfer Tags of the
  //# affected tasks from the issuing initiator.
  driver d;
  logged_in(d, {{"ImmediateData", "No"}});
  auto w = start_write(d, 1, 10);
  REQUIRE(w.sent.size() == 1);
  auto s = d.feed(tmf(tmf_function::abort_task_set, 2, 11, d.exp_stat_sn()));
  CHECK(s.sent.empty());
  auto data = d.feed(data_for(w.sent[0], 1));
  // No SCSI Response for the aborted write: only the TMF Response.
  REQUIRE(data.sent.size() == 1);
  CHECK(response_of(data.sent[0]) == tmf_response::function_complete);
}

TEST_CASE("tmf: an immediate ABORT TASK SET waits for the commands before it", "[target][tmf]") {
  //= rfc7143#section-4.2.3.3
  //= type=test
  //# b) MUST wait (concurrent with the wait in Step a) for all commands of the
  //# affected tasks to be received based on the CmdSN ordering.
  driver d;
  logged_in(d);
  auto s = d.feed(tmf(tmf_function::abort_task_set, 2, 11, d.exp_stat_sn()));  // CmdSN 10 is still missing
  CHECK(s.sent.empty());
  auto cmd = d.feed(pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(read10(0, 1))
                        .read().expected_data_transfer_length(512).build());
  // The command arrived before the TMF in CmdSN order: it is affected, never answered.
  REQUIRE(cmd.sent.size() == 1);
  CHECK(response_of(cmd.sent[0]) == tmf_response::function_complete);
}

//= rfc7143#section-11.6.1 type=test
//# The response to ABORT TASK SET and CLEAR TASK SET MUST only be issued
//# by the target after all of the commands affected have been received
//# by the target, the corresponding task management functions have been
//# executed by the SCSI target, and the delivery of all responses
//# delivered until the task management function completion has been
//# confirmed (acknowledged through the ExpStatSN) by the initiator on
//# all connections of this session.
TEST_CASE("tmf: ABORT TASK SET and CLEAR TASK SET answer once ExpStatSN acknowledges the statuses before",
          "[target][tmf]") {
  const auto function = GENERATE(tmf_function::abort_task_set, tmf_function::clear_task_set);
  driver d;
  logged_in(d);
  const auto before = d.exp_stat_sn();
  auto read = d.feed(pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(read10(0, 1))
                         .read().expected_data_transfer_length(512).exp_stat_sn(before).build());
  REQUIRE_FALSE(read.sent.empty());
  REQUIRE(d.exp_stat_sn() != before);  // the read's status
  // Sent before the read's status arrived: its ExpStatSN acknowledges the login only.
  auto set = d.feed(tmf(function, 2, 11, before));
  // No response yet; a NOP-In ping asks for an ExpStatSN.
  REQUIRE(set.sent.size() == 1);
  REQUIRE(set.sent[0].op() == pdu::opcode::nop_in);
  const pdu::nop_in_view ping(set.sent[0]);
  REQUIRE(ping.target_transfer_tag() != pdu::reserved_tag);
  // A command that acknowledges nothing new does not release it.
  auto stale = d.feed(pdu::nop_out_builder().initiator_task_tag(5).cmd_sn(12).immediate().exp_stat_sn(before).build());
  REQUIRE(stale.sent.size() == 1);
  CHECK(stale.sent[0].op() == pdu::opcode::nop_in);  // the echo, not the TMF Response
  // The ping's answer acknowledges the read's status: the TMF Response follows.
  auto ack = d.feed(pdu::nop_out_builder()
                        .initiator_task_tag(pdu::reserved_tag)
                        .target_transfer_tag(ping.target_transfer_tag())
                        .lun(ping.lun())
                        .cmd_sn(12)
                        .immediate()
                        .exp_stat_sn(d.exp_stat_sn())
                        .build());
  REQUIRE(ack.sent.size() == 1);
  CHECK(response_of(ack.sent[0]) == tmf_response::function_complete);
}

TEST_CASE("tmf: LOGICAL UNIT RESET establishes a unit attention", "[target][tmf]") {
  driver d;
  logged_in(d);
  auto s = d.feed(tmf(tmf_function::logical_unit_reset, 2, 10));
  REQUIRE(s.sent.size() == 1);
  CHECK(response_of(s.sent[0]) == tmf_response::function_complete);
  const auto ua = d.node().devices->find_lu(0)->peek_ua(test_it);
  REQUIRE(ua);
  CHECK(*ua == scsi::unit_attention::bus_device_reset);
}

TEST_CASE("tmf: a LUN without a logical unit is answered LUN does not exist", "[target][tmf]") {
  //= rfc7143#section-11.6.1
  //= type=test
  //# 2 - LUN does not exist
  driver d;
  logged_in(d);
  auto s = d.feed(pdu::task_mgmt_request_builder(tmf_function::logical_unit_reset)
                      .initiator_task_tag(2).cmd_sn(10).lun(scsi::encode_lun(7)).build());
  REQUIRE(s.sent.size() == 1);
  CHECK(response_of(s.sent[0]) == tmf_response::lun_does_not_exist);
}

TEST_CASE("tmf: TARGET COLD RESET answers, then closes the session and the others", "[target][tmf]") {
  //= rfc7143#section-11.6.1
  //= type=test
  //# For the TARGET COLD RESET function, the target MUST then close all of its
  //# TCP connections to all initiators (terminates all sessions).
  auto node = make_node();
  driver other(node);
  logged_in(other);
  driver d(node);
  auto hello = d.feed(login(pdu::login_stage::operational_negotiation,
                            {{"InitiatorName", "iqn.2026-11.org.touchstone:other"},
                             {"TargetName", std::string(default_iqn)}})
                          .isid(0x80aaaaaaaaaaULL)
                          .transit_to(pdu::login_stage::full_feature_phase)
                          .build());
  REQUIRE(pdu::login_response_view(hello.sent.at(0)).is_final_response());
  auto s = d.feed(tmf(tmf_function::target_cold_reset, 2, 10));
  REQUIRE(s.sent.size() == 1);
  CHECK(response_of(s.sent[0]) == tmf_response::function_complete);
  CHECK(s.closed);
  other.core().on_tick(clock::now());
  CHECK(other.drain().closed);
}

TEST_CASE("tmf: TASK REASSIGN at ERL 0 and CLEAR ACA", "[target][tmf]") {
  driver d;
  logged_in(d);
  SECTION("TASK REASSIGN") {
    //= rfc7143#section-7.2.2
    //= type=test
    //# When a target does not support allegiance reassignment, it MUST respond
    //# with a task management response code of "Task allegiance reassignment not supported".
    auto s = d.feed(pdu::task_mgmt_request_builder(tmf_function::task_reassign)
                        .initiator_task_tag(2).cmd_sn(10).referenced_task_tag(1).build());
    REQUIRE(s.sent.size() == 1);
    CHECK(response_of(s.sent[0]) == tmf_response::task_allegiance_reassignment_not_supported);
  }
  SECTION("CLEAR ACA") {
    auto s = d.feed(tmf(tmf_function::clear_aca, 2, 10));
    REQUIRE(s.sent.size() == 1);
    CHECK(response_of(s.sent[0]) == tmf_response::function_not_supported);
  }
}

TEST_CASE("tmf: RFC 7144 functions need iSCSIProtocolLevel=2", "[target][tmf]") {
  //= rfc7144#section-6.3
  //= type=test
  //# These task management function requests MUST NOT be sent unless the
  //# iSCSIProtocolLevel text key with a value of "2" ... was negotiated on the session.
  SECTION("level 1: function not supported") {
    driver d;
    logged_in(d);
    auto s = d.feed(tmf(tmf_function::query_task_set, 2, 10));
    REQUIRE(s.sent.size() == 1);
    CHECK(response_of(s.sent[0]) == tmf_response::function_not_supported);
  }
  SECTION("level 2: QUERY TASK SET and QUERY ASYNCHRONOUS EVENT") {
    driver d;
    logged_in(d, {{"iSCSIProtocolLevel", "2"}, {"ImmediateData", "No"}});
    REQUIRE(d.core().parameters().protocol_level == 2);
    auto none = d.feed(tmf(tmf_function::query_task_set, 2, 10));
    REQUIRE(none.sent.size() == 1);
    CHECK(response_of(none.sent[0]) == tmf_response::function_complete);
    start_write(d, 1, 10);
    auto some = d.feed(tmf(tmf_function::query_task_set, 3, 11));
    REQUIRE(some.sent.size() == 1);
    CHECK(response_of(some.sent[0]) == tmf_response::function_succeeded);
    auto q = d.feed(pdu::task_mgmt_request_builder(tmf_function::query_task)
                        .initiator_task_tag(4).cmd_sn(11).referenced_task_tag(1).ref_cmd_sn(10).build());
    REQUIRE(q.sent.size() == 1);
    CHECK(response_of(q.sent[0]) == tmf_response::function_succeeded);
    d.node().devices->find_lu(0)->establish_ua(test_it, scsi::unit_attention::capacity_data_changed);
    auto ae = d.feed(tmf(tmf_function::query_asynchronous_event, 5, 11));
    REQUIRE(ae.sent.size() == 1);
    CHECK(response_of(ae.sent[0]) == tmf_response::function_succeeded);
  }
}

TEST_CASE("tmf: I_T NEXUS RESET drops the session after its response", "[target][tmf]") {
  //= rfc7144#section-6.3
  //= type=test
  //# The target device MUST drop all connections in the session over which this function is received.
  driver d;
  logged_in(d, {{"iSCSIProtocolLevel", "2"}});
  auto s = d.feed(tmf(tmf_function::i_t_nexus_reset, 2, 10));
  REQUIRE(s.sent.size() == 1);
  CHECK(response_of(s.sent[0]) == tmf_response::function_complete);
  CHECK(s.closed);
}
