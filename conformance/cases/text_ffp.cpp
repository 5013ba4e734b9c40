// NOP-In replies and Text Requests in the Full Feature Phase (RFC 7143
// sections 6.2, 11.11.4, 11.11.5, 11.19.1).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-11.19.1 type=test
//# If the target is responding to a NOP-Out, this field is set to the
//# reserved value 0xffffffff.
TOUCHSTONE_CASE({.id = "nop.reply.ttt-reserved",
                 .title = "the NOP-In answering a ping carries Target Transfer Tag 0xffffffff",
                 .citations = {"rfc7143#section-11.19.1"},
                 .level = requirement_level::must,
                 .tags = {"nop"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  const auto ttt = pdu::nop_in_view(seen.received).target_transfer_tag();
  if (ttt != pdu::reserved_tag) return verdict::fail("the reply carries TTT " + hex32(ttt));
  return verdict::pass();
}

// One Text Request with a private key, answered in full.
// (SendTargets=<this target>, section C, for the cases that judge the
// Text Response itself rather than the answer to an unknown key.)
text_outcome own_target_exchange(case_context& ctx, session*& s) {
  s = ctx.logged_in();
  if (!s) return {};
  return text_exchange(*s, {{"SendTargets", ctx.target().target_name}});
}

text_outcome private_key_exchange(case_context& ctx, session*& s) {
  s = ctx.logged_in();
  if (!s) return {};
  return text_exchange(*s, {{"X-org.touchstone.probe", "1"}});
}

//= rfc7143#section-6.2 type=test
//# However, the answer for a key
//# that is not understood MUST be key=NotUnderstood.
TOUCHSTONE_CASE({.id = "text.unknown-key-not-understood",
                 .title = "a private key in a Full Feature Phase Text Request is answered NotUnderstood",
                 .citations = {"rfc7143#section-6.2", "rfc7143#section-13.22"},
                 .level = requirement_level::must,
                 .tags = {"text", "keys"}}) {
  session* s = nullptr;
  const auto out = private_key_exchange(ctx, s);
  if (!s) return ctx.setup_error();
  if (!out.complete) return unexpected(out.last, "a final Text Response");
  const auto answer = find_value(out.pairs, "X-org.touchstone.probe");
  if (answer != "NotUnderstood") return verdict::fail("X-org.touchstone.probe=" + answer.value_or("(no answer)"));
  return verdict::pass();
}

//= rfc7143#section-11.11.4 type=test
//# Otherwise, the Target Transfer Tag MUST be set to
//# 0xffffffff.
TOUCHSTONE_CASE({.id = "text.final-response-ttt-reserved",
                 .title = "a final Text Response (F=1) carries Target Transfer Tag 0xffffffff",
                 .citations = {"rfc7143#section-11.11.4", "rfc7143#section-11.11.1"},
                 .level = requirement_level::must,
                 .tags = {"text"}}) {
  session* s = nullptr;
  const auto out = own_target_exchange(ctx, s);
  if (!s) return ctx.setup_error();
  if (!out.complete || out.responses.empty()) return unexpected(out.last, "a final Text Response");
  const auto ttt = pdu::text_response_view(out.responses.back()).target_transfer_tag();
  if (ttt != pdu::reserved_tag) return verdict::fail("the final Text Response carries TTT " + hex32(ttt));
  return verdict::pass();
}

//= rfc7143#section-11.11.5 type=test
//# The target StatSN variable is advanced by each Text Response sent.
TOUCHSTONE_CASE({.id = "text.statsn-advances",
                 .title = "a Text Response takes the next StatSN, and the next status the one after",
                 .citations = {"rfc7143#section-11.11.5"},
                 .level = requirement_level::must,
                 .tags = {"text", "numbering"}}) {
  session* s = nullptr;
  const auto out = own_target_exchange(ctx, s);
  if (!s) return ctx.setup_error();
  if (!out.complete || out.responses.empty()) return unexpected(out.last, "a final Text Response");
  const auto text_sn = pdu::text_response_view(out.responses.back()).stat_sn();
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  const auto next = pdu::nop_in_view(seen.received).stat_sn();
  if (next != text_sn + 1) return verdict::fail("StatSN " + std::to_string(next) + " after the Text Response's " + std::to_string(text_sn));
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
