// Immediate delivery, the leading login's CmdSN and wrap-around (RFC 7143
// sections 4.2.2.1, 11.12.8; RFC 1982).
#include "numbering_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

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
  const auto seen = await_itt(*s, itt_of(ping));
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  const auto after = pdu::nop_in_view(seen.received).exp_cmd_sn();
  if (after != before) return verdict::fail("ExpCmdSN " + std::to_string(before) + " became " + std::to_string(after) + " after an immediate ping");
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# The number of commands used for immediate delivery is not limited,
//# and their delivery to execution is not acknowledged through the
//# numbering scheme.
TOUCHSTONE_CASE({.id = "numbering.immediate.scsi-not-acknowledged",
                 .title = "an immediate TEST UNIT READY is answered with ExpCmdSN unchanged",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering", "immediate"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto before = s->exp_cmd_sn();
  const auto command = unit_ready_at(ctx, *s, s->cmd_sn(), true);
  if (s->send(command)) return ctx.error_after("sending", *s);
  const auto seen = await_itt(*s, itt_of(command));
  if (seen.is(opcode::reject)) return verdict::skip("the target rejects immediate SCSI commands (allowed): " + seen.describe());
  if (!seen.is(opcode::scsi_response)) return unexpected(seen, "a SCSI Response");
  const auto after = exp_cmd_sn_of(seen.received);
  if (after != before) return verdict::fail("ExpCmdSN " + hex32(before) + " became " + hex32(after) + " after an immediate command");
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# - CmdSN: the current command sequence number, advanced by 1 on
//#   each command shipped except for commands marked for immediate
//#   delivery as discussed above.
TOUCHSTONE_CASE({.id = "numbering.immediate.cmdsn-reused-by-next",
                 .title = "after an immediate command, the next non-immediate one carries the same CmdSN and runs",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering", "immediate"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  (void)clear_unit_attentions(ctx, *s);
  const auto immediate = unit_ready_at(ctx, *s, s->cmd_sn(), true);
  if (s->send(immediate)) return ctx.error_after("sending", *s);
  const auto seen = await_itt(*s, itt_of(immediate));
  if (!seen.is_pdu()) return unexpected(seen, "an answer to the immediate command");
  const auto next = run_scsi(*s, unit_ready_request(ctx));
  if (!next.completed())
    return verdict::fail("the non-immediate command with CmdSN " + hex32(next.cmd_sn) + " got " + next.summary());
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
    if (seen.is(opcode::reject)) return verdict::fail("an immediate command was rejected: " + seen.describe());
    tmf_answered |= itt_of(seen.received) == itt_of(tmf);
    command_answered |= itt_of(seen.received) == itt_of(command);
  }
  return verdict::pass();
}

//= rfc7143#section-11.12.8 type=test
//# If the Login Request is a leading Login Request, the target MUST use
//# the value presented in the CmdSN as the target value for the
//# ExpCmdSN.
TOUCHSTONE_CASE({.id = "numbering.login.exp-cmd-sn-from-leading-login",
                 .title = "a leading login with CmdSN 0x76543210: the final Login Response carries ExpCmdSN 0x76543210",
                 .citations = {"rfc7143#section-11.12.8", "rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering", "login"}}) {
  auto o = ctx.normal_login();
  o.cmd_sn = 0x7654'3210;
  auto* s = ctx.logged_in(o);
  if (!s) return ctx.setup_error();
  const pdu::pdu* last = nullptr;
  for (const auto& p : s->received())
    if (p.op() == opcode::login_response) last = &p;
  if (!last) return verdict::error("no Login Response was kept");
  const auto exp = exp_cmd_sn_of(*last);
  if (exp != 0x7654'3210) return verdict::fail("the final Login Response carries ExpCmdSN " + hex32(exp));
  //= rfc7143#section-4.2.2.1 type=test
  //# The target MUST NOT transmit a MaxCmdSN that is less than
  //# ExpCmdSN - 1.
  if (!pdu::window_legal(pdu::serial{exp}, pdu::serial{max_cmd_sn_of(*last)}))
    return verdict::fail("the final Login Response carries MaxCmdSN " + hex32(max_cmd_sn_of(*last)) + " below ExpCmdSN - 1");
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
    const auto exp = exp_cmd_sn_of(*r.final_pdu);
    if (pdu::serial{exp} <= pdu::serial{r.cmd_sn})
      return verdict::fail("ExpCmdSN " + hex32(exp) + " after CmdSN " + hex32(r.cmd_sn));
  }
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# With the exception of the
//# commands marked for immediate delivery, the iSCSI target layer MUST
//# deliver the commands for execution in the order specified by the
//# CmdSN.
//= rfc1982#section-3.1 type=test
//# Serial numbers may be incremented by the addition of a positive
//# integer n, where n is taken from the range of integers
//# [0 .. (2^(SERIAL_BITS - 1) - 1)].  For a sequence number s, the
//# result of such an addition, s', is defined as
//#
//#                 s' = (s + n) modulo (2 ^ SERIAL_BITS)
TOUCHSTONE_CASE({.id = "numbering.cmdsn.gap-across-wrap",
                 .title = "a hole at CmdSN 0xffffffff holds back CmdSN 0 until it is filled",
                 .citations = {"rfc7143#section-4.2.2.1", "rfc1982#section-3.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto o = ctx.normal_login();
  o.cmd_sn = 0xffff'ffff;
  auto* s = ctx.logged_in(o);
  if (!s) return ctx.setup_error();
  if (!window_holds(*s, 2)) return verdict::skip("the command window holds one command only");
  const auto hole = s->take_cmd_sn();
  const auto later = unit_ready_at(ctx, *s, s->take_cmd_sn());
  if (s->send(later)) return ctx.error_after("sending", *s);
  if (auto v = no_answer_for(*s, itt_of(later), "CmdSN 0 behind the hole at 0xffffffff"); v.kind != verdict_kind::pass)
    return v;
  const auto filler = unit_ready_at(ctx, *s, hole);
  if (s->send(filler)) return ctx.error_after("sending", *s);
  for (const auto* p : {&filler, &later})
    if (const auto seen = await_itt(*s, itt_of(*p)); !seen.is(opcode::scsi_response))
      return unexpected(seen, "a SCSI Response for CmdSN " + hex32(pdu::scsi_command_view(*p).cmd_sn()));
  if (s->exp_cmd_sn() != 1) return verdict::fail("ExpCmdSN " + hex32(s->exp_cmd_sn()) + " after CmdSN 0, expected 1");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
