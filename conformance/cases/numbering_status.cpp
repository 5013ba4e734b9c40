// Status and data numbering: StatSN, ExpCmdSN and MaxCmdSN in responses,
// ExpStatSN acknowledgement, DataSN on Data-In (RFC 7143 sections 4.2.2.1,
// 4.2.2.2, 11.3.3, 11.7.5, 11.13.4).
#include "numbering_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-4.2.2.2 type=test
//# Responses in transit from the target to the initiator are numbered.
//# The StatSN (status sequence number) is used for this purpose.  The
//# StatSN is a counter maintained per connection.
//= rfc7143#section-4.2.2.2 type=test
//# Initiators and targets MUST support the response-numbering scheme.
TOUCHSTONE_CASE({.id = "numbering.statsn.continuous",
                 .title = "StatSN rises by one with each status, from the login on",
                 .citations = {"rfc7143#section-4.2.2.2", "rfc7143#section-11.4.9"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  for (int i = 0; i < 4; ++i) {
    const auto r = run_scsi(*s, unit_ready_request(ctx));
    if (!r.completed()) return ctx.error_after("TEST UNIT READY: " + r.summary(), *s);
    const auto ping = ping_request(*s);
    (void)s->send(ping);
    if (!await_itt(*s, itt_of(ping)).is(opcode::nop_in)) return ctx.error_after("a ping", *s);
  }
  const auto& sns = s->stat_sns();
  for (std::size_t i = 1; i < sns.size(); ++i)
    if (sns[i] != sns[i - 1] + 1)
      return verdict::fail("StatSN " + std::to_string(sns[i - 1]) + " is followed by " + std::to_string(sns[i]));
  return verdict::pass();
}

//= rfc7143#section-11.13.4 type=test
//# For the first Login Response (the response to the first Login
//# Request), this is the starting status sequence number for the
//# connection.  The next response of any kind -- including the next
//# Login Response, if any, in the same Login Phase -- will carry this
//# number + 1.
TOUCHSTONE_CASE({.id = "numbering.statsn.first-after-login",
                 .title = "the first response after the login carries the final Login Response's StatSN + 1",
                 .citations = {"rfc7143#section-11.13.4", "rfc7143#section-4.2.2.2"},
                 .level = requirement_level::must,
                 .tags = {"numbering", "login"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const pdu::pdu* last = nullptr;
  for (const auto& p : s->received())
    if (p.op() == opcode::login_response) last = &p;
  if (!last) return verdict::error("no Login Response was kept");
  const auto login_sn = pdu::login_response_view(*last).stat_sn();
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  const auto seen = await_itt(*s, itt_of(ping));
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  const auto sn = pdu::nop_in_view(seen.received).stat_sn();
  if (sn != login_sn + 1)
    return verdict::fail("StatSN " + hex32(sn) + " after the final Login Response's " + hex32(login_sn));
  return verdict::pass();
}

//= rfc7143#section-11.3.3 type=test
//# Command responses up to ExpStatSN - 1 (modulo 2**32) have been
//# received (acknowledges status) on the connection.
//= rfc7143#section-4.2.2.2 type=test
//# A large absolute difference between the StatSN and the ExpStatSN may
//# indicate a failed connection.  Initiators MUST undertake recovery
//# actions if the difference is greater than an implementation-defined
//# constant that MUST NOT exceed 2**31 - 1.
TOUCHSTONE_CASE({.id = "numbering.exp-stat-sn.lagging-still-answered",
                 .title = "commands whose ExpStatSN leaves the last statuses unacknowledged are still answered",
                 .citations = {"rfc7143#section-11.3.3", "rfc7143#section-4.2.2.2"},
                 .level = requirement_level::should,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto acknowledged = s->exp_stat_sn();
  for (int i = 0; i < 4; ++i) {
    const auto command = unit_ready_at(ctx, *s, s->take_cmd_sn(), false, acknowledged);
    if (s->send(command)) return ctx.error_after("sending", *s);
    const auto seen = await_itt(*s, itt_of(command));
    if (!seen.is(opcode::scsi_response))
      return unexpected(seen, "a SCSI Response to command " + std::to_string(i + 1) + " (ExpStatSN held at " + hex32(acknowledged) + ")");
  }
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
  for (int i = 0; i < 4; ++i) (void)run_scsi(*s, unit_ready_request(ctx));
  for (const auto& p : s->received()) {
    if (p.op() == opcode::data_in && !pdu::data_in_view(p).has_status()) continue;
    if (!pdu::is_target_code(p.header().raw_opcode()) || p.op() == opcode::async_message) continue;
    if (!pdu::window_legal(pdu::serial{exp_cmd_sn_of(p)}, pdu::serial{max_cmd_sn_of(p)}))
      return verdict::fail("ExpCmdSN " + std::to_string(exp_cmd_sn_of(p)) + " with MaxCmdSN " +
                           std::to_string(max_cmd_sn_of(p)) + " in " + describe(p));
  }
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# A target command response or Data-In PDU with status MUST NOT precede
//# the command acknowledgment.  However, the acknowledgment MAY be
//# included in the response or the Data-In PDU.
TOUCHSTONE_CASE({.id = "numbering.exp-cmd-sn.acknowledges-command",
                 .title = "the status of a command carries ExpCmdSN past its CmdSN",
                 .citations = {"rfc7143#section-4.2.2.1", "rfc7143#section-11.4.10"},
                 .level = requirement_level::must,
                 .tags = {"numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto r = run_scsi(*s, unit_ready_request(ctx));
  if (!r.completed() || !r.final_pdu) return ctx.error_after("TEST UNIT READY: " + r.summary(), *s);
  const auto exp = exp_cmd_sn_of(*r.final_pdu);
  if (pdu::serial{exp} <= pdu::serial{r.cmd_sn})
    return verdict::fail("ExpCmdSN " + std::to_string(exp) + " in the status of CmdSN " + std::to_string(r.cmd_sn));
  return verdict::pass();
}

// The DataSNs of one READ's Data-In PDUs, checked to run 0, 1, 2, ...
verdict data_sns_from_zero(const scsi_outcome& out, std::string_view which) {
  if (out.data_ins.empty()) return verdict::fail(std::string(which) + " READ got no Data-In");
  for (std::size_t i = 0; i < out.data_ins.size(); ++i) {
    const auto sn = pdu::data_in_view(out.data_ins[i]).data_sn();
    if (sn != i)
      return verdict::fail(std::string(which) + " READ's Data-In #" + std::to_string(i) + " carries DataSN " + std::to_string(sn));
  }
  return verdict::pass();
}

//= rfc7143#section-11.7.5 type=test
//# For input (read) or bidirectional Data-In PDUs, the DataSN is the
//# input PDU number within the data transfer for the command identified
//# by the Initiator Task Tag.
TOUCHSTONE_CASE({.id = "numbering.datasn.restarts-per-task",
                 .title = "with MaxRecvDataSegmentLength 512, two READs of 4 blocks each number their Data-In from DataSN 0",
                 .citations = {"rfc7143#section-11.7.5", "rfc7143#section-4.2.2.4"},
                 .level = requirement_level::must,
                 .tags = {"numbering", "data-in"}}) {
  auto o = ctx.normal_login();
  o.max_recv_data_segment_length = 512;
  auto* s = ctx.logged_in(o);
  if (!s) return ctx.setup_error();
  const auto block = block_length(ctx, *s);
  if (block == 0) return ctx.error_after("READ CAPACITY(10) failed", *s);
  const auto first = run_scsi(*s, read_request(ctx, 4, 4 * block));
  if (!first.good()) return ctx.error_after("the first READ: " + first.summary(), *s);
  if (auto v = data_sns_from_zero(first, "the first"); v.kind != verdict_kind::pass) return v;
  const auto second = run_scsi(*s, read_request(ctx, 4, 4 * block));
  if (!second.good()) return ctx.error_after("the second READ: " + second.summary(), *s);
  return data_sns_from_zero(second, "the second");
}

}  // namespace
}  // namespace touchstone::conformance::cases
