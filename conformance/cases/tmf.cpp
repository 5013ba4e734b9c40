// Task management (RFC 7143 sections 4.2.3, 7.2.2, 11.5, 11.6).
#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

using pdu::tmf_function;

constexpr std::uint8_t function_complete = 0;
constexpr std::uint8_t task_does_not_exist = 1;
constexpr std::uint8_t lun_does_not_exist = 2;
constexpr std::uint8_t reassignment_not_supported = 4;
constexpr std::uint8_t function_not_supported = 5;
constexpr std::uint8_t function_rejected = 255;

// ABORT TASK of the held WRITE (immediate, RefCmdSN = the WRITE's CmdSN).
observation abort_held(case_context& ctx, const held_write& w) {
  const auto tmf = tmf_request(ctx, *w.s, tmf_function::abort_task)
                       .referenced_task_tag(w.itt)
                       .ref_cmd_sn(w.cmd_sn)
                       .build();
  return send_tmf(*w.s, tmf);
}

//= rfc7143#section-11.6.1 type=test
//# a) if the Referenced Task Tag identifies a valid task leading to a
//# successful termination, then targets must return the "Function
//# complete" response.
//= rfc7143#section-11.5.1 type=test
//# For all these functions, the Task Management Function Response MUST be
//# returned as detailed in Section 11.6.
TOUCHSTONE_CASE({.id = "tmf.abort-task.existing",
                 .title = "ABORT TASK of a WRITE waiting for its data is answered Function complete",
                 .citations = {"rfc7143#section-11.6.1", "rfc7143#section-11.5.1"},
                 .level = requirement_level::must,
                 .tags = {"tmf"}}) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  return expect_tmf_response(abort_held(ctx, w), "ABORT TASK of an open WRITE", {function_complete});
}

//= rfc7143#section-11.5.1 type=test
//# The iSCSI target MUST ensure that no responses for the
//# tasks covered by a task management function are delivered to the
//# iSCSI initiator after the task management response, except for a task
//# covered by a TASK REASSIGN.
TOUCHSTONE_CASE({.id = "tmf.abort-task.no-status-after",
                 .title = "after ABORT TASK's response no status comes for the aborted WRITE",
                 .citations = {"rfc7143#section-11.5.1"},
                 .level = requirement_level::must,
                 .tags = {"tmf"}}) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  const auto seen = abort_held(ctx, w);
  if (auto v = expect_tmf_response(seen, "ABORT TASK", {function_complete}); v.kind != verdict_kind::pass)
    return verdict::error("ABORT TASK: " + v.message);
  return no_answer_for(*w.s, w.itt, "the aborted WRITE");
}

//= rfc7143#section-11.6.1 type=test
//# c) if the Referenced Task Tag does not identify an existing task
//# and the CmdSN indicated by the RefCmdSN field in the Task
//# Management Function Request is outside the valid CmdSN window,
//# then targets must return the "Task does not exist" response.
TOUCHSTONE_CASE({.id = "tmf.abort-task.unknown-outside-window",
                 .title = "ABORT TASK of an unknown tag with RefCmdSN beyond MaxCmdSN: Task does not exist",
                 .citations = {"rfc7143#section-11.6.1", "rfc7143#section-11.5.5"},
                 .level = requirement_level::must,
                 .tags = {"tmf"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto tmf = tmf_request(ctx, *s, tmf_function::abort_task)
                       .referenced_task_tag(0x7777'0001)
                       .ref_cmd_sn(s->max_cmd_sn() + 1000)
                       .build();
  return expect_tmf_response(send_tmf(*s, tmf), "ABORT TASK of an unknown task", {task_does_not_exist});
}

//= rfc7143#section-11.6.1 type=test
//# c) if the Referenced Task Tag does not identify an existing task
//# and the CmdSN indicated by the RefCmdSN field in the Task
//# Management Function Request is outside the valid CmdSN window,
//# then targets must return the "Task does not exist" response.
//= rfc7143#section-7.11 type=test
//# If the abort request is received and the target can determine (based on the Referenced Task Tag)
//# that the command was received and executed, and also that the response was sent prior to the
//# abort, then the target MUST respond with the response code "Task Does Not Exist".
TOUCHSTONE_CASE({.id = "tmf.abort-task.already-completed",
                 .title = "ABORT TASK of a command already completed and acknowledged: Task does not exist",
                 .citations = {"rfc7143#section-11.6.1", "rfc7143#section-11.5.5", "rfc7143#section-7.11"},
                 .level = requirement_level::must,
                 .tags = {"tmf"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto done = run_scsi(*s, unit_ready_request(ctx));
  if (!done.completed()) return ctx.error_after("TEST UNIT READY: " + done.summary(), *s);
  const auto tmf = tmf_request(ctx, *s, tmf_function::abort_task)
                       .referenced_task_tag(done.itt)
                       .ref_cmd_sn(done.cmd_sn)
                       .build();
  return expect_tmf_response(send_tmf(*s, tmf), "ABORT TASK of a completed task", {task_does_not_exist});
}

//= rfc7143#section-11.6.1 type=test
//# b) if the Referenced Task Tag does not identify an existing task
//# but the CmdSN indicated by the RefCmdSN field in the Task
//# Management Function Request is within the valid CmdSN window
//# and less than the CmdSN of the Task Management Function Request
//# itself, then targets must consider the CmdSN as received and
//# return the "Function complete" response.
//= rfc7143#section-7.11 type=test
//# If the abort request is received and the original command is missing, targets MUST consider the
//# original command with that RefCmdSN as received and issue a task management response with the
//# response code "Function complete".
TOUCHSTONE_CASE({.id = "tmf.abort-task.plugs-cmdsn-hole",
                 .title = "ABORT TASK of a never-received CmdSN in the window: Function complete, the hole plugged",
                 .citations = {"rfc7143#section-11.6.1", "rfc7143#section-11.5.5", "rfc7143#section-7.11"},
                 .level = requirement_level::must,
                 .tags = {"tmf", "numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  if (pdu::serial{s->max_cmd_sn()} <= pdu::serial{s->cmd_sn()})
    return verdict::skip("the command window holds one command only");
  // The command at `hole` was "lost"; the immediate ABORT TASK carries the
  // current CmdSN (hole + 1), so RefCmdSN is in the window and below it.
  const auto hole = s->take_cmd_sn();
  const auto tmf = tmf_request(ctx, *s, tmf_function::abort_task)
                       .referenced_task_tag(0x7777'0002)
                       .ref_cmd_sn(hole)
                       .build();
  if (auto v = expect_tmf_response(send_tmf(*s, tmf), "ABORT TASK of a lost CmdSN", {function_complete});
      v.kind != verdict_kind::pass)
    return v;
  const auto next = run_scsi(*s, unit_ready_request(ctx));
  if (!next.completed()) return verdict::fail("the command after the plugged hole got " + next.summary());
  return verdict::pass();
}

//= rfc7143#section-11.5.1 type=test
//# At the target, an ABORT TASK function MUST NOT be executed on a task
//# management request; such a request MUST result in a task management
//# response of "Function rejected".
TOUCHSTONE_CASE({.id = "tmf.abort-task.aimed-at-tmf",
                 .title = "ABORT TASK naming a pending ABORT TASK SET (held by an open R2T) is answered Function rejected",
                 .citations = {"rfc7143#section-11.5.1", "rfc7143#section-4.2.3.3"},
                 .level = requirement_level::must,
                 .tags = {"tmf"},
                 .needs = {need::writable_lun}}) {
  // The ABORT TASK SET cannot complete before the R2T is answered
  // (section 4.2.3.3 a): it is a TMF the target holds.
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  const auto pending = tmf_request(ctx, *w.s, tmf_function::abort_task_set).build();
  if (w.s->send(pending)) return ctx.error_after("sending the ABORT TASK SET", *w.s);
  const auto pending_sn = pdu::task_mgmt_request_view(pending).cmd_sn();
  const auto tmf = tmf_request(ctx, *w.s, tmf_function::abort_task, false)
                       .referenced_task_tag(pending.header().initiator_task_tag())
                       .ref_cmd_sn(pending_sn)
                       .build();
  if (w.s->send(tmf)) return ctx.error_after("sending the ABORT TASK", *w.s);
  const auto seen = answer_about(*w.s, tmf.header().initiator_task_tag());
  (void)answer_r2t(ctx, w);  // let the ABORT TASK SET finish
  if (seen.what == observed::timeout)
    return verdict::skip("the target held the ABORT TASK until the ABORT TASK SET ended: it never saw a live TMF referenced");
  return expect_tmf_response(seen, "ABORT TASK aimed at a pending TMF", {function_rejected});
}

//= rfc7143#section-11.5.1 type=test
//# 2  ABORT TASK SET - aborts all tasks issued via this session on
//# the LU.
//= rfc7143#section-11.5.1 type=test
//# For all these functions, the Task Management Function Response MUST be
//# returned as detailed in Section 11.6.
TOUCHSTONE_CASE({.id = "tmf.abort-task-set.no-tasks",
                 .title = "ABORT TASK SET with nothing outstanding is answered Function complete",
                 .citations = {"rfc7143#section-11.5.1", "rfc7143#section-11.6.1"},
                 .level = requirement_level::must,
                 .tags = {"tmf"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  return expect_tmf_response(send_tmf(*s, tmf_request(ctx, *s, tmf_function::abort_task_set).build()),
                             "ABORT TASK SET", {function_complete});
}

//= rfc7143#section-4.2.3.3 type=test
//# The target iSCSI layer:
//#
//# a) MUST wait for responses on currently valid Target Transfer Tags
//# of the affected tasks from the issuing initiator.
//= rfc7143#section-11.5.1 type=test
//# The iSCSI target MUST ensure that no responses for the
//# tasks covered by a task management function are delivered to the
//# iSCSI initiator after the task management response
//= rfc7143#section-13.23 type=test
//# When TaskReporting is not negotiated to FastAbort, the standard multi-task
//# abort semantics in Section 4.2.3.3 MUST be used.
TOUCHSTONE_CASE({.id = "tmf.abort-task-set.open-write",
                 .title = "ABORT TASK SET over a WRITE with an open R2T: Function complete, no WRITE status after it",
                 .citations = {"rfc7143#section-4.2.3.3", "rfc7143#section-11.5.1", "rfc7143#section-11.6.1",
                               "rfc7143#section-13.23"},
                 .level = requirement_level::must,
                 .tags = {"tmf"},
                 .needs = {need::writable_lun}}) {
  return multi_task_abort(ctx, tmf_function::abort_task_set, {function_complete});
}

//= rfc7143#section-4.2.3.3 type=test
//# The execution of ABORT TASK
//# SET, CLEAR TASK SET, LOGICAL UNIT RESET, TARGET WARM RESET, and
//# TARGET COLD RESET TMF Requests consists of the following sequence of
//# actions in the specified order on the specified party.
//= rfc7143#section-4.2.3.3 type=test
//# All iSCSI implementations MUST support the protocol behavior defined in this section as the
//# default behavior.
TOUCHSTONE_CASE({.id = "tmf.clear-task-set.open-write",
                 .title = "CLEAR TASK SET over a WRITE with an open R2T: complete (or not supported), no WRITE status after",
                 .citations = {"rfc7143#section-4.2.3.3", "rfc7143#section-11.5.1", "rfc7143#section-11.6.1"},
                 .level = requirement_level::must,
                 .tags = {"tmf"},
                 .needs = {need::writable_lun}}) {
  return multi_task_abort(ctx, tmf_function::clear_task_set, {function_complete, function_not_supported});
}

//= rfc7143#section-4.2.3.3 type=test
//# The TMF Response MUST NOT be sent by the target iSCSI layer before
//# the end of Step d)
TOUCHSTONE_CASE({.id = "tmf.lun-reset.open-write",
                 .title = "LOGICAL UNIT RESET over a WRITE with an open R2T: complete, no WRITE status after it",
                 .citations = {"rfc7143#section-4.2.3.3", "rfc7143#section-11.5.1"},
                 .level = requirement_level::must,
                 .tags = {"tmf"},
                 .needs = {need::writable_lun}}) {
  return multi_task_abort(ctx, tmf_function::logical_unit_reset, {function_complete});
}

//= rfc7143#section-11.5.1 type=test
//# For the LOGICAL UNIT RESET function, the target MUST behave as
//# dictated by the Logical Unit Reset function in [SAM2].
//= rfc7143#section-4.2.3.3 type=test
//# c) MUST propagate the TMF Request to, and receive the response from, the target SCSI layer.
//= rfc7143#section-4.2.2.1 type=test
//# The initiator and target MUST ensure that the SCSI task management functions specified in [SAM2]
//# act in accordance with the [SAM2] specification.
TOUCHSTONE_CASE({.id = "tmf.lun-reset.unit-attention",
                 .title = "after a LOGICAL UNIT RESET another session's next command gets a reset unit attention (29h)",
                 .citations = {"rfc7143#section-11.5.1", "rfc7143#section-11.6.1",
                               "rfc7143#section-4.2.3.3", "rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"tmf", "scsi"}}) {
  auto* other = ctx.logged_in();
  if (!other) return ctx.setup_error();
  if (!clear_unit_attentions(ctx, *other)) return ctx.error_after("TEST UNIT READY never GOOD", *other);
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto reset = send_tmf(*s, tmf_request(ctx, *s, tmf_function::logical_unit_reset).build());
  if (auto v = expect_tmf_response(reset, "LOGICAL UNIT RESET", {function_complete}); v.kind != verdict_kind::pass)
    return verdict::error(v.message);
  const auto next = run_scsi(*other, unit_ready_request(ctx));
  if (!next.completed()) return ctx.error_after("TEST UNIT READY: " + next.summary(), *other);
  const auto sense = parse_sense(next.sense);
  if (next.status != 0x02 || !sense) return verdict::fail("the other session's TEST UNIT READY got status " + std::to_string(next.status) + " without a unit attention");
  if (sense->key != 0x6 || sense->asc != 0x29)
    return verdict::fail("expected UNIT ATTENTION with ASC 29h, got " + describe_sense(*sense));
  return verdict::pass(describe_sense(*sense));
}

//= rfc7143#section-11.6.1 type=test
//# 2 - LUN does not exist
TOUCHSTONE_CASE({.id = "tmf.lun-reset.unknown-lun",
                 .title = "LOGICAL UNIT RESET of a LUN the target lacks is answered LUN does not exist (2)",
                 .citations = {"rfc7143#section-11.6.1", "rfc7143#section-11.5.3"},
                 .level = requirement_level::must,
                 .tags = {"tmf"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const std::uint16_t absent = 200;
  if (absent == ctx.target().lun || (ctx.target().second_lun && *ctx.target().second_lun == absent))
    return verdict::skip("LUN 200 is in use");
  const auto tmf = tmf_request(ctx, *s, tmf_function::logical_unit_reset).lun(lun_field(absent)).build();
  return expect_tmf_response(send_tmf(*s, tmf), "LOGICAL UNIT RESET of LUN 200", {lun_does_not_exist});
}

//= rfc7143#section-7.2.2 type=test
//# It is OPTIONAL for targets to support the allegiance reassignment.
//# This capability is negotiated via the ErrorRecoveryLevel text key
//# during the login time.  When a target does not support allegiance
//# reassignment, it MUST respond with a task management response code of
//# "Task allegiance reassignment not supported".
TOUCHSTONE_CASE({.id = "tmf.task-reassign.erl0",
                 .title = "TASK REASSIGN in an ErrorRecoveryLevel=0 session: reassignment not supported (4)",
                 .citations = {"rfc7143#section-7.2.2", "rfc7143#section-11.5.1", "rfc7143#section-11.6.1"},
                 .level = requirement_level::must,
                 .tags = {"tmf", "erl"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  if (s->params().error_recovery_level != 0) return verdict::skip("the session did not negotiate ErrorRecoveryLevel=0");
  const auto tmf = tmf_request(ctx, *s, tmf_function::task_reassign)
                       .referenced_task_tag(0x7777'0003)
                       .exp_data_sn(0)
                       .build();
  return expect_tmf_response(send_tmf(*s, tmf), "TASK REASSIGN at ERL 0", {reassignment_not_supported});
}

}  // namespace
}  // namespace touchstone::conformance::cases
