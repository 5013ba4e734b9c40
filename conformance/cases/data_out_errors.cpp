// Data-Out PDUs sent wrongly on purpose, and the target's answers
// (RFC 7143 sections 7.3, 11.4.2, 11.7.7, 11.8, 11.17.1, 11.4.7.2).
#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// The held WRITE's R2T, its TTT and length.
std::uint32_t r2t_length(const held_write& w) { return pdu::r2t_view(w.r2t).desired_data_transfer_length(); }
std::uint32_t r2t_offset(const held_write& w) { return pdu::r2t_view(w.r2t).buffer_offset(); }

// Sends one bad Data-Out for the held WRITE and reads the target's answer.
observation send_bad_data_out(const held_write& w, const pdu::pdu& bad) {
  if (const auto ec = w.s->send(bad)) return {observed::io_error, {}, ec.message()};
  return answer_about(*w.s, w.itt);
}

//= rfc7143#section-11.8 type=test
//# If the last PDU
//# (marked with the F bit) is received before the Desired Data Transfer
//# Length is transferred, a target MAY choose to reject that PDU with
//# the "Protocol Error" reason code.
//= rfc7143#section-11.4.7.2 type=test
//# The target reports the same error when the amount
//# of data sent as a reply to an R2T does not match the amount
//# requested.
TOUCHSTONE_CASE({.id = "data-out.r2t.short-answer",
                 .title = "an R2T answered with half its length and F=1: Reject 0x04 or CHECK CONDITION 0Bh/0Ch/0Dh",
                 .citations = {"rfc7143#section-11.8", "rfc7143#section-11.4.7.2"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "r2t", "sense"},
                 .needs = {need::writable_lun}}) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  const auto half = r2t_length(w) / 2;
  const auto seen = send_bad_data_out(w, data_out_for(ctx, w, r2t_offset(w), half, true).build());
  if (const auto reason = reject_reason(seen)) {
    if (*reason != 0x04) return verdict::fail("Reject reason " + std::to_string(*reason) + ", expected 0x04 (Protocol Error)");
    return verdict::pass("Reject 0x04");
  }
  if (!seen.is(opcode::scsi_response)) return unexpected(seen, "a Reject or a SCSI Response");
  scsi_outcome out;
  const pdu::scsi_response_view v(seen.received);
  out.how = task_ending::status;
  out.status = v.raw_status();
  out.response = v.raw_response();
  if (auto segment = v.sense_and_response_data()) out.sense.assign(segment->sense.begin(), segment->sense.end());
  return expect_iscsi_condition(out, 0x0c, 0x0d, "a short answer to an R2T");
}

//= rfc7143#section-11.17.1 type=test
//# Note 2: A target should use this reason code for all invalid values
//# of PDU fields that are meant to describe a task, a response,
//# or a data transfer.  Some examples are invalid TTT/ITT,
//# buffer offset, LUN qualifying a TTT, and an invalid sequence
//# number in a SNACK.
TOUCHSTONE_CASE({.id = "data-out.ttt.unknown-rejected",
                 .title = "a Data-Out with a Target Transfer Tag the target never sent is rejected 0x09",
                 .citations = {"rfc7143#section-11.17.1"},
                 .level = requirement_level::should,
                 .tags = {"data-out", "reject"},
                 .needs = {need::writable_lun}}) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  const auto wrong = pdu::r2t_view(w.r2t).target_transfer_tag() ^ 0x00a5'5a00u;
  const auto seen = send_bad_data_out(w, data_out_for(ctx, w, r2t_offset(w), r2t_length(w), true, wrong).build());
  const auto reason = reject_reason(seen);
  if (!reason) return unexpected(seen, "a Reject (Invalid PDU field)");
  if (*reason != 0x09) return verdict::fail("Reject reason " + std::to_string(*reason) + ", expected 0x09");
  return verdict::pass();
}

//= rfc7143#section-7.3 type=test
//# Targets MUST NOT implicitly terminate an active task by sending a
//# Reject PDU for any PDU exchanged during the life of the task.  If the
//# target decides to terminate the task, a Response PDU (SCSI, Text,
//# Task, etc.) must be returned by the target to conclude the task.
TOUCHSTONE_CASE({.id = "data-out.rejected-pdu-keeps-task",
                 .title = "after a Data-Out with a wrong TTT is rejected, the right Data-Out still completes the WRITE",
                 .citations = {"rfc7143#section-7.3", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "reject"},
                 .needs = {need::writable_lun}}) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  const auto wrong = pdu::r2t_view(w.r2t).target_transfer_tag() ^ 0x00a5'5a00u;
  const auto seen = send_bad_data_out(w, data_out_for(ctx, w, r2t_offset(w), r2t_length(w), true, wrong).build());
  if (!seen.is(opcode::reject)) return verdict::skip("the bad Data-Out was not rejected: " + seen.describe());
  return completes_after_reject(ctx, w);
}

//= rfc7143#section-11.17.1 type=test
//# Note 2: A target should use this reason code for all invalid values
//# of PDU fields that are meant to describe a task, a response,
//# or a data transfer.  Some examples are invalid TTT/ITT,
//# buffer offset, LUN qualifying a TTT, and an invalid sequence
//# number in a SNACK.
TOUCHSTONE_CASE({.id = "data-out.buffer-offset.outside-r2t",
                 .title = "a Data-Out whose Buffer Offset lies beyond the R2T's range is rejected 0x09",
                 .citations = {"rfc7143#section-11.17.1", "rfc7143#section-11.8"},
                 .level = requirement_level::should,
                 .tags = {"data-out", "reject"},
                 .needs = {need::writable_lun}}) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  const auto beyond = r2t_offset(w) + r2t_length(w) + 4096;
  const auto seen = send_bad_data_out(w, data_out_for(ctx, w, beyond, r2t_length(w), true).build());
  const auto reason = reject_reason(seen);
  if (!reason) return unexpected(seen, "a Reject (Invalid PDU field)");
  if (*reason != 0x09) return verdict::fail("Reject reason " + std::to_string(*reason) + ", expected 0x09");
  return verdict::pass();
}

//= rfc7143#section-11.7.7 type=test
//# The sending of 0-length data segments should be avoided, but
//# initiators and targets MUST be able to properly receive 0-length data
//# segments.
TOUCHSTONE_CASE({.id = "data-out.zero-length-segment",
                 .title = "an empty Data-Out (F=0) before the R2T's data is received properly; the WRITE completes GOOD",
                 .citations = {"rfc7143#section-11.7.7"},
                 .level = requirement_level::must,
                 .tags = {"data-out"},
                 .needs = {need::writable_lun}}) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  if (w.s->send(data_out_for(ctx, w, r2t_offset(w), 0, false).build())) return ctx.error_after("sending", *w.s);
  if (w.s->send(data_out_for(ctx, w, r2t_offset(w), r2t_length(w), true).data_sn(1).build()))
    return ctx.error_after("sending", *w.s);
  const auto out = finish_task(ctx, *w.s, w.itt);
  if (!out.good()) return verdict::fail("the WRITE got " + out.summary());
  return verdict::pass();
}

//= rfc7143#section-11.4.2 type=test
//# If a SCSI device error is detected while data from the initiator is
//# still expected (the command PDU did not contain all the data and the
//# target has not received a data PDU with the Final bit set), the
//# target MUST wait until it receives a data PDU with the F bit set in
//# the last expected sequence before sending the Response PDU.
//= rfc7143#section-11.17.1 type=test
//# If the error is detected while data from the initiator is still expected
//# (i.e., the command PDU did not contain all the data and the target has not
//# received a Data-Out PDU with the Final bit set to 1 for the unsolicited
//# data, if any, and all outstanding R2Ts, if any), the target MUST wait until
//# it receives the last expected Data-Out PDUs with the F bit set to 1 before
//# sending the Response PDU.
TOUCHSTONE_CASE({.id = "data-out.error-status-after-final-bit",
                 .title = "a WRITE beyond the last LBA with unsolicited data pending: no status until the F bit",
                 .citations = {"rfc7143#section-11.4.2", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "unsolicited"},
                 .needs = {need::writable_lun}}) {
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "No"}, {"ImmediateData", "No"}, {"FirstBurstLength", "65536"}});
  if (!t.ok()) return t.problem;
  if (t.s->params().initial_r2t) return verdict::skip("the target keeps InitialR2T=Yes");
  scsi_request capacity_request;
  capacity_request.lun = ctx.target().lun;
  capacity_request.cdb = cdb::read_capacity10();
  capacity_request.read = true;
  capacity_request.expected_length = 8;
  const auto capacity = cdb::parse_capacity10(run_scsi(*t.s, capacity_request).data);
  if (!capacity || capacity->last_lba == 0xffffffff) return verdict::error("READ CAPACITY(10) failed");
  const auto r = write_request(ctx, capacity->last_lba + 1, 1, t.block, t.block);
  const auto command = command_for(*t.s, r).final_bit(false).build();
  const auto itt = command.header().initiator_task_tag();
  if (t.s->send(command)) return ctx.error_after("sending the WRITE", *t.s);
  if (auto v = no_answer_for(*t.s, itt, "the WRITE, before its unsolicited data ended,"); v.kind != verdict_kind::pass)
    return v;
  held_write w;
  w.s = t.s;
  w.itt = itt;
  const auto data = data_out_for(ctx, w, 0, t.block, true, pdu::reserved_tag).build();
  if (t.s->send(data)) return ctx.error_after("sending the Data-Out", *t.s);
  const auto seen = await_itt(*t.s, itt);
  if (!seen.is(opcode::scsi_response)) return unexpected(seen, "the WRITE's status after the F bit");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
