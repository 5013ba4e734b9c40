// Command and status numbering (RFC 7143 sections 4.2.2.1, 4.2.2.2).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

scsi_request test_unit_ready(const case_context& ctx) {
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::test_unit_ready();
  return r;
}

// A TEST UNIT READY carrying the given CmdSN (the session's CmdSN unchanged).
pdu::pdu tur_with_cmd_sn(case_context& ctx, session& s, std::uint32_t cmd_sn) {
  return pdu::scsi_command_builder{}
      .lun(lun_field(ctx.target().lun))
      .initiator_task_tag(s.next_itt())
      .cmd_sn(cmd_sn)
      .exp_stat_sn(s.exp_stat_sn())
      .cdb(cdb::test_unit_ready())
      .build();
}

// Nothing answers `itt` within the silence window.
verdict silent_about(session& s, std::uint32_t itt, std::string_view what) {
  const auto until = s.times().after(s.times().silence);
  for (;;) {
    const auto seen = s.next(until);
    if (seen.what == observed::timeout) return verdict::pass();
    if (!seen.is_pdu()) return verdict::fail(std::string(what) + " ended the connection: " + seen.describe());
    if (seen.received.header().initiator_task_tag() == itt)
      return verdict::fail(std::string(what) + " was answered: " + seen.describe());
  }
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
  const auto bad = tur_with_cmd_sn(ctx, *s, s->max_cmd_sn() + 1000);
  if (s->send(bad)) return ctx.error_after("sending the command", *s);
  if (auto v = silent_about(*s, bad.header().initiator_task_tag(), "the out-of-window command");
      v.kind != verdict_kind::pass)
    return v;
  const auto good = run_scsi(*s, test_unit_ready(ctx));
  if (!good.completed()) return verdict::fail("the next in-window command got " + good.summary());
  return verdict::pass();
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
  const auto first = run_scsi(*s, test_unit_ready(ctx));
  if (!first.completed()) return ctx.error_after("a first TEST UNIT READY: " + first.summary(), *s);
  const auto stale = tur_with_cmd_sn(ctx, *s, used);
  if (s->send(stale)) return ctx.error_after("sending the command", *s);
  if (auto v = silent_about(*s, stale.header().initiator_task_tag(), "the stale command");
      v.kind != verdict_kind::pass)
    return v;
  const auto good = run_scsi(*s, test_unit_ready(ctx));
  if (!good.completed()) return verdict::fail("the next in-window command got " + good.summary());
  return verdict::pass();
}

//= rfc7143#section-4.2.2.2 type=test
//# Responses in transit from the target to the initiator are numbered.
//# The StatSN (status sequence number) is used for this purpose.  The
//# StatSN is a counter maintained per connection.
TOUCHSTONE_CASE({.id = "numbering.statsn.continuous",
                 .title = "StatSN rises by one with each status, from the login on",
                 .citations = {"rfc7143#section-4.2.2.2", "rfc7143#section-11.4.9"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  for (int i = 0; i < 4; ++i) {
    const auto r = run_scsi(*s, test_unit_ready(ctx));
    if (!r.completed()) return ctx.error_after("TEST UNIT READY: " + r.summary(), *s);
    const auto ping = ping_request(*s);
    (void)s->send(ping);
    if (!await_itt(*s, ping.header().initiator_task_tag()).is(opcode::nop_in))
      return ctx.error_after("a ping", *s);
  }
  const auto& sns = s->stat_sns();
  for (std::size_t i = 1; i < sns.size(); ++i)
    if (sns[i] != sns[i - 1] + 1)
      return verdict::fail("StatSN " + std::to_string(sns[i - 1]) + " is followed by " + std::to_string(sns[i]));
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# The target MUST NOT transmit a MaxCmdSN that is less than
//# ExpCmdSN - 1.
TOUCHSTONE_CASE({.id = "numbering.window.max-cmd-sn-legal",
                 .title = "no PDU carries MaxCmdSN below ExpCmdSN - 1",
                 .citations = {"rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  for (int i = 0; i < 4; ++i) (void)run_scsi(*s, test_unit_ready(ctx));
  for (const auto& p : s->received()) {
    const auto h = p.header();
    if (p.op() == opcode::data_in && !pdu::data_in_view(p).has_status()) continue;
    if (!pdu::is_target_code(h.raw_opcode()) || p.op() == opcode::async_message) continue;
    if (!pdu::window_legal(pdu::serial{h.u32(28)}, pdu::serial{h.u32(32)}))
      return verdict::fail("ExpCmdSN " + std::to_string(h.u32(28)) + " with MaxCmdSN " +
                           std::to_string(h.u32(32)) + " in " + describe(p));
  }
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# The target iSCSI layer sets the
//# ExpCmdSN to the largest non-immediate CmdSN that it can deliver
//# for execution "plus 1" per [RFC1982].
TOUCHSTONE_CASE({.id = "numbering.exp-cmd-sn.acknowledges-command",
                 .title = "the status of a command carries ExpCmdSN past its CmdSN",
                 .citations = {"rfc7143#section-4.2.2.1", "rfc7143#section-11.4.10"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto r = run_scsi(*s, test_unit_ready(ctx));
  if (!r.completed() || !r.final_pdu) return ctx.error_after("TEST UNIT READY: " + r.summary(), *s);
  const auto exp = r.final_pdu->header().u32(28);
  if (pdu::serial{exp} <= pdu::serial{r.cmd_sn})
    return verdict::fail("ExpCmdSN " + std::to_string(exp) + " in the status of CmdSN " + std::to_string(r.cmd_sn));
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
