// The CmdSN window: commands outside it or duplicated are ignored, commands
// behind a hole wait for it, a rejected command leaves a gap (RFC 7143
// sections 4.2.2.1, 7.3).
#include "numbering_helpers.hpp"
#include "tmf_helpers.hpp"

#include <algorithm>

namespace touchstone::conformance::cases {
namespace {

// `ignored`, sent, gets no answer, and the next in-window command still
// runs: the ignored one did not wedge the session.
verdict ignored_then_next_runs(case_context& ctx, session& s, const pdu::pdu& ignored, std::string_view what) {
  if (s.send(ignored)) return ctx.error_after("sending the command", s);
  if (auto v = no_answer_for(s, itt_of(ignored), what); v.kind != verdict_kind::pass) return v;
  const auto good = run_scsi(s, unit_ready_request(ctx));
  if (!good.completed()) return verdict::fail("the next in-window command got " + good.summary());
  return verdict::pass();
}

// How a case names the CmdSN it leaves open, and whether the command that
// fills it must be answered too.
struct open_cmd_sn {
  std::string_view name;         // "hole"
  std::string_view filled_name;  // "filled hole"
  bool filler_answered;
};

// A command sent behind the open CmdSN `open_sn` gets no answer; once it is
// filled the command behind it runs (4.2.2.1: delivery in CmdSN order).
verdict waits_until_filled(case_context& ctx, session& s, std::uint32_t open_sn, const open_cmd_sn& how) {
  const auto later = unit_ready_at(ctx, s, s.take_cmd_sn());
  if (s.send(later)) return ctx.error_after("sending", s);
  const auto behind = "the command behind the " + std::string(how.name);
  if (auto v = no_answer_for(s, itt_of(later), behind); v.kind != verdict_kind::pass) return v;
  const auto filler = unit_ready_at(ctx, s, open_sn);
  if (s.send(filler)) return ctx.error_after("sending", s);
  if (how.filler_answered && !await_itt(s, itt_of(filler)).is(opcode::scsi_response))
    return verdict::fail("the command filling the " + std::string(how.name) + " got no SCSI Response");
  if (!await_itt(s, itt_of(later)).is(opcode::scsi_response))
    return verdict::fail("the command behind the " + std::string(how.filled_name) + " got no SCSI Response");
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# The target
//# MUST silently ignore any non-immediate command outside of this range
//# or non-immediate duplicates within the range.
TOUCHSTONE_CASE({.id = "numbering.cmdsn.beyond-window-ignored",
                 .title = "a command with CmdSN beyond MaxCmdSN is silently ignored; the session goes on",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  return ignored_then_next_runs(ctx, *s, unit_ready_at(ctx, *s, s->max_cmd_sn() + 1000), "the out-of-window command");
}

//= rfc7143#section-4.2.2.1 type=test
//# The target
//# MUST silently ignore any non-immediate command outside of this range
//# or non-immediate duplicates within the range.
TOUCHSTONE_CASE({.id = "numbering.cmdsn.below-window-ignored",
                 .title = "a command reusing an acknowledged CmdSN is silently ignored",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto used = s->cmd_sn();
  const auto first = run_scsi(*s, unit_ready_request(ctx));
  if (!first.completed()) return ctx.error_after("a first TEST UNIT READY: " + first.summary(), *s);
  return ignored_then_next_runs(ctx, *s, unit_ready_at(ctx, *s, used), "the stale command");
}

//= rfc7143#section-4.2.2.1 type=test
//# The target
//# MUST silently ignore any non-immediate command outside of this range
//# or non-immediate duplicates within the range.
TOUCHSTONE_CASE({.id = "numbering.cmdsn.duplicate-in-window-ignored",
                 .title = "a second command with the CmdSN of one waiting behind a hole is ignored; the first runs",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  (void)clear_unit_attentions(ctx, *s);
  if (!window_holds(*s, 2)) return verdict::skip("the command window holds fewer than two commands");
  const auto hole = s->take_cmd_sn();
  const auto waiting = unit_ready_at(ctx, *s, s->take_cmd_sn());
  const auto duplicate = unit_ready_at(ctx, *s, pdu::scsi_command_view(waiting).cmd_sn());
  if (s->send(waiting) || s->send(duplicate)) return ctx.error_after("sending", *s);
  if (s->send(unit_ready_at(ctx, *s, hole))) return ctx.error_after("sending the command filling the hole", *s);
  if (!await_itt(*s, itt_of(waiting)).is(opcode::scsi_response))
    return verdict::fail("the first command with the CmdSN got no SCSI Response once the hole was filled");
  return no_answer_for(*s, itt_of(duplicate), "the duplicate CmdSN");
}

//= rfc7143#section-4.2.2.1 type=test
//# With the exception of the
//# commands marked for immediate delivery, the iSCSI target layer MUST
//# deliver the commands for execution in the order specified by the
//# CmdSN.
//= rfc7143#section-4.2.2.1 type=test
//# iSCSI initiators and targets MUST support the command numbering scheme.
TOUCHSTONE_CASE({.id = "numbering.cmdsn.held-until-gap-filled",
                 .title = "a command sent past a CmdSN hole waits; filling the hole releases both",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  (void)clear_unit_attentions(ctx, *s);
  if (!window_holds(*s, 2)) return verdict::skip("the command window holds one command only");
  const auto hole = s->take_cmd_sn();
  return waits_until_filled(ctx, *s, hole, {"hole", "filled hole", true});
}

//= rfc7143#section-4.2.2.1 type=test
//# For non-immediate commands, the CmdSN field can take
//# any value from the ExpCmdSN to the MaxCmdSN inclusive.
TOUCHSTONE_CASE({.id = "numbering.cmdsn.reverse-order-delivered",
                 .title = "four commands sent in reverse CmdSN order are all answered; ExpCmdSN then passes the last",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  (void)clear_unit_attentions(ctx, *s);
  if (!window_holds(*s, 4)) return verdict::skip("the command window holds fewer than four commands");
  const auto base = s->cmd_sn();
  s->set_cmd_sn(base + 4);
  std::vector<std::uint32_t> itts;
  for (std::uint32_t k = 4; k-- > 0;) {
    const auto command = unit_ready_at(ctx, *s, base + k);
    itts.push_back(itt_of(command));
    // A target that resets the connection on the first in-window command it
    // did not expect (istgt does) may do so before the last one is written:
    // session::send lets the case read that reset as the answer.
    if (const auto sent = s->send(command)) return ctx.error_after("sending: " + sent.message(), *s);
  }
  // The answers may come in any order: each one read is crossed off.
  const auto until = s->times().after(s->times().wait);
  while (!itts.empty()) {
    const auto seen = s->next(until);
    if (!seen.is_pdu()) return unexpected(seen, std::to_string(itts.size()) + " more SCSI Response(s)");
    const auto it = std::find(itts.begin(), itts.end(), itt_of(seen.received));
    if (it == itts.end()) continue;
    if (!seen.is(opcode::scsi_response)) return unexpected(seen, "a SCSI Response for ITT " + hex32(*it));
    itts.erase(it);
  }
  if (pdu::serial{s->exp_cmd_sn()} < pdu::serial{base + 4})
    return verdict::fail("ExpCmdSN " + hex32(s->exp_cmd_sn()) + " after CmdSN " + hex32(base + 3) + " was answered");
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
                 .tags = {"numbering", "reject"},
                 .needs = {need::writable_lun}}) {
  // A non-immediate command that reuses the Initiator Task Tag of a WRITE
  // still waiting for its data: a Reject (0x09, Invalid PDU field) that
  // no target can take for a format error (a reserved task attribute, tried
  // before, made targets close the connection instead, so the case could
  // never see a gap acknowledged).
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  auto* s = w.s;
  (void)clear_unit_attentions(ctx, *s);
  const auto gap = s->cmd_sn();
  auto bad = command_for(*s, unit_ready_request(ctx)).initiator_task_tag(w.itt).build();
  if (s->send(bad)) return ctx.error_after("sending", *s);
  const auto answer = await_itt(*s, w.itt);
  if (!answer.is(opcode::reject))
    return verdict::skip("a command reusing an open task's ITT was not rejected: " + answer.describe());
  const auto ack = pdu::reject_view(answer.received).exp_cmd_sn();
  if (pdu::serial{ack} > pdu::serial{gap})
    return verdict::fail("the Reject's ExpCmdSN " + std::to_string(ack) + " acknowledges the rejected CmdSN " + std::to_string(gap));
  return waits_until_filled(ctx, *s, gap, {"gap", "plugged gap", false});
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
  if (!window_holds(*s, 2)) return verdict::skip("the command window holds one command only");
  const auto hole = s->take_cmd_sn();
  const auto later = unit_ready_at(ctx, *s, s->take_cmd_sn());
  if (s->send(later)) return ctx.error_after("sending", *s);
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  const auto seen = await_itt(*s, itt_of(ping));
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  const auto exp = pdu::nop_in_view(seen.received).exp_cmd_sn();
  (void)s->send(unit_ready_at(ctx, *s, hole));
  if (pdu::serial{exp} > pdu::serial{hole})
    return verdict::fail("ExpCmdSN " + std::to_string(exp) + " acknowledges past the hole at " + std::to_string(hole));
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
