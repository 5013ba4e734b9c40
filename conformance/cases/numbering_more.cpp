// More command numbering: immediate commands, the gap a rejected command
// leaves, out-of-order delivery, wrap-around (RFC 7143 sections 4.2.2.1,
// 7.3, RFC 1982).
#include "tmf_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A TEST UNIT READY with the given CmdSN, the session's own CmdSN untouched.
pdu::pdu unit_ready_at(const case_context& ctx, session& s, std::uint32_t cmd_sn, bool immediate = false) {
  return pdu::scsi_command_builder{}
      .immediate(immediate)
      .final_bit()
      .lun(lun_field(ctx.target().lun))
      .initiator_task_tag(s.next_itt())
      .cmd_sn(cmd_sn)
      .exp_stat_sn(s.exp_stat_sn())
      .cdb(cdb::test_unit_ready())
      .build();
}

//= rfc7143#section-4.2.2.1 type=test
//# The number of commands used for immediate delivery is not limited,
//# and their delivery to execution is not acknowledged through the
//# numbering scheme.
TOUCHSTONE_CASE({.id = "numbering.immediate.not-acknowledged",
                 .title = "an immediate NOP-Out ping leaves ExpCmdSN where it was",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering", "immediate"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto before = s->exp_cmd_sn();
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  const auto after = pdu::nop_in_view(seen.received).exp_cmd_sn();
  if (after != before) return verdict::fail("ExpCmdSN " + std::to_string(before) + " became " + std::to_string(after) + " after an immediate ping");
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# An iSCSI target MUST be able to handle at least one immediate task
//# management command and one immediate non-task-management iSCSI
//# command per connection at any time.
TOUCHSTONE_CASE({.id = "numbering.immediate.tmf-and-command-together",
                 .title = "an immediate TMF and an immediate TEST UNIT READY sent back to back are both answered",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering", "immediate", "tmf"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  (void)clear_unit_attentions(ctx, *s);
  const auto tmf = tmf_request(ctx, *s, pdu::tmf_function::abort_task_set).build();
  const auto command = unit_ready_at(ctx, *s, s->cmd_sn(), true);
  if (s->send(tmf) || s->send(command)) return ctx.error_after("sending", *s);
  bool tmf_answered = false, command_answered = false;
  const auto until = s->times().after(s->times().wait);
  while (!(tmf_answered && command_answered)) {
    const auto seen = s->next(until);
    if (!seen.is_pdu()) return verdict::fail(std::string("no answer for the ") + (tmf_answered ? "command" : "TMF") + ": " + seen.describe());
    const auto itt = seen.received.header().initiator_task_tag();
    if (seen.is(opcode::reject)) return verdict::fail("an immediate command was rejected: " + seen.describe());
    tmf_answered |= itt == tmf.header().initiator_task_tag();
    command_answered |= itt == command.header().initiator_task_tag();
  }
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# With the exception of the
//# commands marked for immediate delivery, the iSCSI target layer MUST
//# deliver the commands for execution in the order specified by the
//# CmdSN.
TOUCHSTONE_CASE({.id = "numbering.cmdsn.held-until-gap-filled",
                 .title = "a command sent past a CmdSN hole waits; filling the hole releases both",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  (void)clear_unit_attentions(ctx, *s);
  if (pdu::serial{s->max_cmd_sn()} <= pdu::serial{s->cmd_sn()}) return verdict::skip("the command window holds one command only");
  const auto hole = s->take_cmd_sn();
  const auto later = unit_ready_at(ctx, *s, s->take_cmd_sn());
  if (s->send(later)) return ctx.error_after("sending", *s);
  if (auto v = no_answer_for(*s, later.header().initiator_task_tag(), "the command behind the hole"); v.kind != verdict_kind::pass)
    return v;
  const auto filler = unit_ready_at(ctx, *s, hole);
  if (s->send(filler)) return ctx.error_after("sending", *s);
  if (!await_itt(*s, filler.header().initiator_task_tag()).is(opcode::scsi_response))
    return verdict::fail("the command filling the hole got no SCSI Response");
  if (!await_itt(*s, later.header().initiator_task_tag()).is(opcode::scsi_response))
    return verdict::fail("the command behind the filled hole got no SCSI Response");
  return verdict::pass();
}

//= rfc7143#section-7.3 type=test
//# The CmdSN of the rejected command PDU (if it is a non-immediate
//# command) MUST NOT be considered received by the target (i.e., a
//# command sequence gap must be assumed for the CmdSN), even though the
//# CmdSN of the rejected command PDU may be reliably ascertained.  Upon
//# receiving the Reject, the initiator MUST plug the CmdSN gap in order
//# to continue to use the session.
TOUCHSTONE_CASE({.id = "numbering.cmdsn.rejected-command-leaves-gap",
                 .title = "a rejected non-immediate command leaves a CmdSN gap that a resend of that CmdSN plugs",
                 .citations = {"rfc7143#section-7.3"},
                 .level = requirement_level::must,
                 .tags = {"numbering", "reject"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  (void)clear_unit_attentions(ctx, *s);
  const auto gap = s->cmd_sn();
  auto bad = command_for(*s, unit_ready_request(ctx)).raw_task_attribute(5).build();
  if (s->send(bad)) return ctx.error_after("sending", *s);
  const auto answer = await_itt(*s, bad.header().initiator_task_tag());
  if (!answer.is(opcode::reject)) return verdict::skip("the command with task attribute 5 was not rejected: " + answer.describe());
  const auto ack = pdu::reject_view(answer.received).exp_cmd_sn();
  if (pdu::serial{ack} > pdu::serial{gap})
    return verdict::fail("the Reject's ExpCmdSN " + std::to_string(ack) + " acknowledges the rejected CmdSN " + std::to_string(gap));
  const auto later = unit_ready_at(ctx, *s, s->take_cmd_sn());
  if (s->send(later)) return ctx.error_after("sending", *s);
  if (auto v = no_answer_for(*s, later.header().initiator_task_tag(), "the command behind the gap"); v.kind != verdict_kind::pass)
    return v;
  const auto plug = unit_ready_at(ctx, *s, gap);
  if (s->send(plug)) return ctx.error_after("sending", *s);
  if (!await_itt(*s, later.header().initiator_task_tag()).is(opcode::scsi_response))
    return verdict::fail("the command behind the plugged gap got no SCSI Response");
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# Comparisons and arithmetic
//# on CmdSNs use Serial Number Arithmetic as defined in [RFC1982] where
//# SERIAL_BITS = 32.
TOUCHSTONE_CASE({.id = "numbering.cmdsn.wraps-around",
                 .title = "a session starting at CmdSN 0xfffffffe runs commands across the wrap to 0",
                 .citations = {"rfc7143#section-4.2.2.1", "rfc1982#section-3"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto o = ctx.normal_login();
  o.cmd_sn = 0xffff'fffe;
  auto* s = ctx.logged_in(o);
  if (!s) return ctx.setup_error();
  if (s->cmd_sn() != 0xffff'fffe) return verdict::error("the session does not start at CmdSN 0xfffffffe");
  for (int i = 0; i < 4; ++i) {
    const auto r = run_scsi(*s, unit_ready_request(ctx));
    if (!r.completed()) return verdict::fail("command " + std::to_string(i) + " (CmdSN " + hex32(r.cmd_sn) + ") got " + r.summary());
    if (!r.final_pdu) continue;
    const auto exp = r.final_pdu->header().u32(28);
    if (pdu::serial{exp} <= pdu::serial{r.cmd_sn})
      return verdict::fail("ExpCmdSN " + hex32(exp) + " after CmdSN " + hex32(r.cmd_sn));
  }
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# The target iSCSI layer sets the
//# ExpCmdSN to the largest non-immediate CmdSN that it can deliver
//# for execution "plus 1" per [RFC1982].  There MUST NOT be any
//# holes in the acknowledged CmdSN sequence.
TOUCHSTONE_CASE({.id = "numbering.exp-cmd-sn.no-hole-acknowledged",
                 .title = "while a CmdSN hole is open, no PDU acknowledges past it",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  if (pdu::serial{s->max_cmd_sn()} <= pdu::serial{s->cmd_sn()}) return verdict::skip("the command window holds one command only");
  const auto hole = s->take_cmd_sn();
  const auto later = unit_ready_at(ctx, *s, s->take_cmd_sn());
  if (s->send(later)) return ctx.error_after("sending", *s);
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  const auto exp = pdu::nop_in_view(seen.received).exp_cmd_sn();
  (void)s->send(unit_ready_at(ctx, *s, hole));
  if (pdu::serial{exp} > pdu::serial{hole})
    return verdict::fail("ExpCmdSN " + std::to_string(exp) + " acknowledges past the hole at " + std::to_string(hole));
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
