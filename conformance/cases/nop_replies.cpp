// NOP-In replies: the StatSN they carry and the empty ping (RFC 7143
// sections 11.18.3, 11.19.2).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-11.19.2 type=test
//# The StatSN field will always contain the next StatSN.  However, when
//# the Initiator Task Tag is set to 0xffffffff, the StatSN for the
//# connection is not advanced after this PDU is sent.
TOUCHSTONE_CASE({.id = "nop.reply.statsn-is-next",
                 .title = "two pings in a row: each NOP-In carries the StatSN we expect next",
                 .citations = {"rfc7143#section-11.19.2"},
                 .level = requirement_level::must,
                 .tags = {"nop", "numbering"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  for (int i = 0; i < 2; ++i) {
    const auto expected = s->exp_stat_sn();
    const auto ping = ping_request(*s);
    (void)s->send(ping);
    const auto seen = await_itt(*s, ping.header().initiator_task_tag());
    if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
    const auto sn = pdu::nop_in_view(seen.received).stat_sn();
    if (sn != expected) return verdict::fail("ping " + std::to_string(i + 1) + ": StatSN " + hex32(sn) + ", expected " + hex32(expected));
  }
  return verdict::pass();
}

//= rfc7143#section-11.18.3 type=test
//# 0 is a valid value
//# for the DataSegmentLength and indicates the absence of ping data.
TOUCHSTONE_CASE({.id = "nop.ping.empty-echo",
                 .title = "a ping without data is answered by a NOP-In without data",
                 .citations = {"rfc7143#section-11.18.3", "rfc7143#section-11.19"},
                 .level = requirement_level::must,
                 .tags = {"nop"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  if (!seen.received.data.empty())
    return verdict::fail("the echo of an empty ping carries " + std::to_string(seen.received.data.size()) + " bytes");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
