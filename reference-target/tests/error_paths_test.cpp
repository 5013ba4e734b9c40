// Error paths of the Full Feature Phase, in process: sequence errors on
// Data-Out at ERL 0, data digest errors on immediate data and on Data-Out,
// header digest errors, and what a Reject leaves behind (sections 7.3, 7.8, 7.9).
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

// A two-block write answered by one R2T; returns the R2T.
pdu::pdu write_waiting_for_r2t(driver& d) {
  auto s = d.feed(pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(write10(0, 2))
                      .write().expected_data_transfer_length(1024).build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::r2t);
  return s.sent[0];
}

pdu::data_out_builder data_out(const pdu::pdu& r2t, std::uint32_t offset, std::uint32_t data_sn) {
  pdu::data_out_builder b;
  b.initiator_task_tag(1)
      .target_transfer_tag(pdu::r2t_view(r2t).target_transfer_tag())
      .buffer_offset(offset)
      .data_sn(data_sn)
      .final_bit(false)
      .data(pdu::byte_buffer(512, 0x33));
  return b;
}

void require_crc_error_status(const pdu::pdu& p) {
  REQUIRE(p.op() == pdu::opcode::scsi_response);
  const pdu::scsi_response_view v(p);
  CHECK(v.status() == pdu::scsi_status::check_condition);
  const auto seg = v.sense_and_response_data();
  REQUIRE(seg);
  REQUIRE(seg->sense.size() >= 14);
  CHECK((seg->sense[2] & 0x0f) == 0x0b);  // ABORTED COMMAND
  CHECK(seg->sense[12] == 0x47);          // PROTOCOL SERVICE CRC ERROR
  CHECK(seg->sense[13] == 0x05);
}

}  // namespace

TEST_CASE("errors: an out-of-order DataSN at ERL 0 ends the task after the F bit", "[target][errors]") {
  //= rfc7143#section-7.9
  //= type=test
  //# When a target receives a data PDU with an out-of-
  //# order DataSN, it means that the target must have hit a header or
  //# payload digest error on at least one of the earlier data PDUs.  The
  //# target MUST address these implied digest errors as described in
  //# Section 7.8.
  driver d;
  logged_in(d, {{"ImmediateData", "No"}});
  const auto r2t = write_waiting_for_r2t(d);
  SECTION("two Data-Out with DataSN 0") {
    CHECK(d.feed(data_out(r2t, 0, 0).build()).sent.empty());
    auto s = d.feed(data_out(r2t, 512, 0).final_bit().build());
    REQUIRE(s.sent.size() == 1);
    require_crc_error_status(s.sent[0]);
  }
  SECTION("DataSN 27 with the F bit") {
    auto s = d.feed(data_out(r2t, 0, 27).data(pdu::byte_buffer(1024, 1)).final_bit().build());
    REQUIRE(s.sent.size() == 1);
    require_crc_error_status(s.sent[0]);
  }
  SECTION("DataSN 1 then 0") {
    CHECK(d.feed(data_out(r2t, 0, 1).build()).sent.empty());
    auto s = d.feed(data_out(r2t, 512, 0).final_bit().build());
    REQUIRE(s.sent.size() == 1);
    require_crc_error_status(s.sent[0]);
  }
  // The session goes on: the next command is answered.
  auto next = d.feed(pdu::scsi_command_builder().initiator_task_tag(2).cmd_sn(11).cdb(read10(0, 1))
                         .read().expected_data_transfer_length(512).build());
  CHECK_FALSE(next.sent.empty());
}

//= rfc7143#section-11.17.1 type=test
//# In all the cases in which a pre-instantiated SCSI task is terminated because
//# of the reject, the target MUST issue a proper SCSI command response with
//# CHECK CONDITION as described in Section 11.4.3.
TEST_CASE("errors: a wrong Buffer Offset is rejected but never ends the task", "[target][errors]") {
  //= rfc7143#section-7.3
  //= type=test
  //# Targets MUST NOT implicitly terminate an active task by sending a Reject
  //# PDU for any PDU exchanged during the life of the task.
  driver d;
  logged_in(d, {{"ImmediateData", "No"}});
  const auto r2t = write_waiting_for_r2t(d);
  auto s = d.feed(data_out(r2t, 512, 0).build());
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::invalid_pdu_field);
  auto end = d.feed(data_out(r2t, 512, 1).final_bit().build());
  REQUIRE(end.sent.size() == 1);
  require_crc_error_status(end.sent[0]);
}

TEST_CASE("errors: a data digest error on immediate data discards the command", "[target][errors]") {
  //= rfc7143#section-7.8
  //= type=test
  //# When a target receives any iSCSI PDU with a payload digest error, it MUST
  //# answer with a Reject PDU with a reason code of Data-Digest-Error and discard the PDU.
  //= rfc7143#section-7.3
  //= type=test
  //# The CmdSN of the rejected command PDU (if it is a non-immediate command)
  //# MUST NOT be considered received by the target
  driver d;
  logged_in(d);
  const auto command = pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(write10(0, 1))
                           .write().expected_data_transfer_length(512).data(pdu::byte_buffer(512, 7)).build();
  d.core().on_frame_error(pdu::frame_error::data_digest, command);
  auto s = d.drain();
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::data_digest_error);
  CHECK_FALSE(s.closed);
  CHECK(d.core().exp_cmd_sn() == 10);  // a gap the initiator plugs by retrying
  auto retry = d.feed(command);
  REQUIRE(retry.sent.size() == 1);
  CHECK(pdu::scsi_response_view(retry.sent[0]).status() == pdu::scsi_status::good);
  CHECK(d.core().exp_cmd_sn() == 11);
}

TEST_CASE("errors: a data digest error on Data-Out at ERL 0", "[target][errors]") {
  //= rfc7143#section-7.8
  //= type=test
  //# b) Terminate the task with a SCSI Response PDU with a CHECK CONDITION
  //# Status and an iSCSI Condition of "Protocol Service CRC error"
  //# (Section 11.4.7.2).  If the target chooses to implement this option, it
  //# MUST wait to receive all the data
  driver d;
  logged_in(d, {{"ImmediateData", "No"}});
  const auto r2t = write_waiting_for_r2t(d);
  d.core().on_frame_error(pdu::frame_error::data_digest, data_out(r2t, 0, 0).build());
  auto s = d.drain();
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::data_digest_error);
  auto end = d.feed(data_out(r2t, 512, 1).final_bit().build());
  REQUIRE(end.sent.size() == 1);
  require_crc_error_status(end.sent[0]);
}

TEST_CASE("errors: a header digest error closes the connection", "[target][errors]") {
  //= rfc7143#section-7.8
  //= type=test
  //# When a target or an initiator receives any iSCSI PDU with a header digest
  //# error, it MUST either discard the header and all data up to the beginning
  //# of a later PDU or close the connection.
  driver d;
  logged_in(d);
  d.core().on_frame_error(pdu::frame_error::header_digest, pdu::nop_out_builder().build());
  CHECK(d.drain().closed);
}

TEST_CASE("errors: a format error closes the session's connection", "[target][errors]") {
  //= rfc7143#section-7.7
  //= type=test
  //# When a target or an initiator receives an iSCSI PDU with a format error,
  //# it MUST immediately terminate all transport connections in the session
  driver d;
  logged_in(d);
  // TASK REASSIGN must be immediate (11.5.1): an inconsistent header.
  auto s = d.feed(pdu::task_mgmt_request_builder(pdu::tmf_function::task_reassign)
                      .immediate(false).initiator_task_tag(2).cmd_sn(10).referenced_task_tag(1).build());
  CHECK(s.sent.empty());
  CHECK(s.closed);
  CHECK(d.core().current_phase() == phase::closing);
}

TEST_CASE("errors: a SNACK at ERL 0 is rejected", "[target][errors]") {
  //= rfc7143#section-7.8
  //= type=test
  //# In response to the SNACK, the target MUST either resend the data PDU or
  //# reject the SNACK with a Reject PDU with a reason code of "SNACK reject"
  driver d;
  logged_in(d);
  auto s = d.feed(pdu::snack_builder().initiator_task_tag(1).build());
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::snack_reject);
  CHECK_FALSE(s.closed);
}
