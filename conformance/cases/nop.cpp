// NOP-Out pings and their NOP-In echoes (RFC 7143 sections 11.18, 11.19).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-11.19 type=test
//# When a target receives the NOP-Out with a valid Initiator Task Tag
//# (not the reserved value 0xffffffff), it MUST respond with a NOP-In
//# with the same Initiator Task Tag that was provided in the NOP-Out
//# request.
//# ...
//# For such a response, the Target Transfer Tag MUST be 0xffffffff.
//= rfc7143#section-11.18.1 type=test
//# When a target receives the NOP-Out with a valid Initiator Task Tag, it MUST
//# respond with a NOP-In Response (see Section 4.6.3.6).
TOUCHSTONE_CASE({.id = "nop.ping.echoes-itt",
                 .title = "a NOP-Out ping is answered by a NOP-In with its ITT and TTT 0xffffffff",
                 .citations = {"rfc7143#section-11.19", "rfc7143#section-11.19.1", "rfc7143#section-11.18.1"},
                 .level = requirement_level::must,
                 .tags = {"nop"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto ping = ping_request(*s);
  const auto itt = ping.header().initiator_task_tag();
  if (s->send(ping)) return ctx.error_after("sending the ping", *s);
  const auto seen = await_itt(*s, itt);
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In with ITT " + hex32(itt));
  const pdu::nop_in_view echo(seen.received);
  if (echo.target_transfer_tag() != pdu::reserved_tag)
    return verdict::fail("the echo's TTT is " + hex32(echo.target_transfer_tag()));
  return verdict::pass();
}

//= rfc7143#section-11.19 type=test
//# It MUST also duplicate up to the first
//# MaxRecvDataSegmentLength bytes of the initiator-provided Ping Data.
TOUCHSTONE_CASE({.id = "nop.ping.echoes-data",
                 .title = "a NOP-Out ping's data comes back unchanged in the NOP-In",
                 .citations = {"rfc7143#section-11.19", "rfc7143#section-11.18.3"},
                 .level = requirement_level::must,
                 .tags = {"nop"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto data = pattern(std::min<std::uint32_t>(509, s->params().max_send_data_segment_length));
  const auto ping = ping_request(*s, data);
  if (s->send(ping)) return ctx.error_after("sending the ping", *s);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In echo");
  if (seen.received.data != data)
    return verdict::fail("the echo carries " + std::to_string(seen.received.data.size()) +
                         " bytes that differ from the " + std::to_string(data.size()) + " sent");
  return verdict::pass();
}

//= rfc7143#section-11.19 type=test
//# It MUST also duplicate up to the first
//# MaxRecvDataSegmentLength bytes of the initiator-provided Ping Data.
TOUCHSTONE_CASE({.id = "nop.ping.echo-within-mrdsl",
                 .title = "ping data longer than our MaxRecvDataSegmentLength is echoed cut to it",
                 .citations = {"rfc7143#section-11.19", "rfc7143#section-13.12"},
                 .level = requirement_level::must,
                 .tags = {"nop", "mrdsl"}}) {
  auto* s = ctx.connect();
  if (!s) return ctx.setup_error();
  auto o = ctx.normal_login();
  o.max_recv_data_segment_length = 512;
  if (const auto out = login(*s, o); !out.ok()) return verdict::error("login: " + out.summary());
  if (s->params().max_send_data_segment_length < 1024)
    return verdict::skip("the target's MaxRecvDataSegmentLength is below 1024");
  const auto data = pattern(1024);
  const auto ping = ping_request(*s, data);
  if (s->send(ping)) return ctx.error_after("sending the ping", *s);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (seen.what == observed::stream_error)
    return verdict::fail("the echo broke our MaxRecvDataSegmentLength of 512: " + seen.detail);
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In echo");
  const pdu::byte_buffer first(data.begin(), data.begin() + 512);
  if (seen.received.data != first)
    return verdict::fail("the echo carries " + std::to_string(seen.received.data.size()) +
                         " bytes, not the first 512 sent");
  return verdict::pass();
}

//= rfc7143#section-11.19 type=test
//# The
//# target SHOULD NOT send a NOP-In in response to any other received
//# NOP-Out in order to avoid lengthy sequences of NOP-In and NOP-Out
//# PDUs sent in response to each other.
TOUCHSTONE_CASE({.id = "nop.no-echo-without-itt",
                 .title = "a NOP-Out with ITT 0xffffffff gets no NOP-In",
                 .citations = {"rfc7143#section-11.19", "rfc7143#section-11.18.1"},
                 .level = requirement_level::should,
                 .tags = {"nop"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  //= rfc7143#section-11.18.1
  //# If the Initiator Task Tag contains 0xffffffff, the I bit MUST be set
  //# to 1, and the CmdSN is not advanced after this PDU is sent.
  const auto nop = pdu::nop_out_builder{}.immediate().cmd_sn(s->cmd_sn()).exp_stat_sn(s->exp_stat_sn()).build();
  if (s->send(nop)) return ctx.error_after("sending the NOP-Out", *s);
  const auto seen = s->expect_silence();
  if (seen.is(opcode::nop_in)) return verdict::fail("the target answered: " + seen.describe());
  if (seen.what != observed::timeout) return unexpected(seen, "silence");
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# The target iSCSI layer sets the
//# ExpCmdSN to the largest non-immediate CmdSN that it can deliver
//# for execution "plus 1" per [RFC1982].
TOUCHSTONE_CASE({.id = "nop.ping.non-immediate-advances-exp-cmd-sn",
                 .title = "a non-immediate NOP-Out ping advances ExpCmdSN",
                 .citations = {"rfc7143#section-4.2.2.1", "rfc7143#section-11.18"},
                 .level = requirement_level::must,
                 .tags = {"nop", "numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto cmd_sn = s->take_cmd_sn();
  const auto ping = pdu::nop_out_builder{}
                        .initiator_task_tag(s->next_itt())
                        .cmd_sn(cmd_sn)
                        .exp_stat_sn(s->exp_stat_sn())
                        .build();
  if (s->send(ping)) return ctx.error_after("sending the ping", *s);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In echo");
  const auto exp = pdu::nop_in_view(seen.received).exp_cmd_sn();
  if (pdu::serial{exp} <= pdu::serial{cmd_sn})
    return verdict::fail("ExpCmdSN " + std::to_string(exp) + " after CmdSN " +
                         std::to_string(cmd_sn) + " was received");
  // An ExpCmdSN that says the ping's CmdSN was taken is only half of it: the
  // next command, numbered CmdSN + 1, must then be delivered and answered
  // (a target that counts the ping but not in its window stalls here).
  //= rfc7143#section-4.2.2.1 type=test
  //# the iSCSI target layer MUST deliver the commands for execution in the
  //# order specified by the CmdSN.
  const auto next = run_scsi(*s, unit_ready_request(ctx));
  if (!next.completed())
    return verdict::fail("the command after the ping (CmdSN " + std::to_string(cmd_sn + 1) +
                         ") was not answered: " + next.summary());
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
