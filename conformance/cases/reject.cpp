// Reject: unassigned opcodes, the header it returns, StatSN after it
// (RFC 7143 sections 11.2.1.2, 11.17, 7.7).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

// An unassigned initiator opcode (0x0f), immediate, with a valid ITT.
pdu::pdu unassigned_opcode_pdu(session& s) { return opcode_request(s, 0x0f); }

struct rejected {
  session* s = nullptr;
  pdu::pdu sent;
  observation answer;
  std::uint32_t stat_sn_before = 0;
};

rejected send_unassigned(case_context& ctx) {
  rejected r;
  r.s = ctx.logged_in();
  if (!r.s) return r;
  const auto ping = ping_request(*r.s);
  (void)r.s->send(ping);
  (void)await_itt(*r.s, ping.header().initiator_task_tag());
  r.stat_sn_before = r.s->exp_stat_sn() - 1;
  r.sent = unassigned_opcode_pdu(*r.s);
  if (const auto ec = r.s->send(r.sent)) r.answer = {observed::io_error, {}, ec.message()};
  else r.answer = r.s->expect_pdu();
  return r;
}

//= rfc7143#section-11.17.1 type=test
//# | 0x04 | Protocol Error (e.g., SNACK Request for| no             |
//# |      | a status that was already acknowledged)|                |
//# |      |                                        |                |
//# | 0x05 | Command not supported                  | no             |
//= rfc7143#section-7.7 type=test
//# a) Illegal contents of any PDU header field except the Opcode
TOUCHSTONE_CASE({.id = "reject.unassigned-opcode",
                 .title = "an unassigned initiator opcode (0x0f) is answered by Reject 0x04 or 0x05",
                 .citations = {"rfc7143#section-11.17.1", "rfc7143#section-11.2.1.2", "rfc7143#section-7.7"},
                 .level = requirement_level::must,
                 .tags = {"reject", "malformed"}}) {
  const auto r = send_unassigned(ctx);
  if (!r.s) return ctx.setup_error();
  if (!r.answer.is(opcode::reject)) return unexpected(r.answer, "a Reject");
  const auto reason = pdu::reject_view(r.answer.received).raw_reason();
  if (reason != 0x04 && reason != 0x05)
    return verdict::fail("Reject reason " + std::to_string(reason) + ", expected 0x04 or 0x05");
  return verdict::pass();
}

//= rfc7143#section-11.17.4 type=test
//# The target returns the header (not including the digest) of the PDU
//# in error as the data of the response.
TOUCHSTONE_CASE({.id = "reject.returns-rejected-header",
                 .title = "a Reject carries the complete header of the rejected PDU",
                 .citations = {"rfc7143#section-11.17.4"},
                 .level = requirement_level::must,
                 .tags = {"reject"}}) {
  const auto r = send_unassigned(ctx);
  if (!r.s) return ctx.setup_error();
  if (!r.answer.is(opcode::reject)) return verdict::skip("the target does not answer with a Reject: " + r.answer.describe());
  const pdu::reject_view v(r.answer.received);
  if (!v.holds_complete_header()) return verdict::fail("the Reject holds " + std::to_string(r.answer.received.data.size()) + " bytes, not a header");
  const auto header = v.rejected_header();
  if (!std::equal(r.sent.bhs.begin(), r.sent.bhs.end(), header->bytes().begin()))
    return verdict::fail("the returned header differs from the PDU sent");
  return verdict::pass();
}

//= rfc7143#section-11.17.3 type=test
//# These fields carry their usual values and are not related to the
//# rejected command.  The StatSN is advanced after a Reject.
TOUCHSTONE_CASE({.id = "reject.statsn-advances",
                 .title = "a Reject takes the next StatSN, and the next status the one after",
                 .citations = {"rfc7143#section-11.17.3"},
                 .level = requirement_level::must,
                 .tags = {"reject", "numbering"}}) {
  const auto r = send_unassigned(ctx);
  if (!r.s) return ctx.setup_error();
  if (!r.answer.is(opcode::reject)) return verdict::skip("the target does not answer with a Reject: " + r.answer.describe());
  const auto reject_sn = pdu::reject_view(r.answer.received).stat_sn();
  if (reject_sn != r.stat_sn_before + 1)
    return verdict::fail("Reject StatSN " + std::to_string(reject_sn) + " after " + std::to_string(r.stat_sn_before));
  const auto ping = ping_request(*r.s);
  (void)r.s->send(ping);
  const auto seen = await_itt(*r.s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In after the Reject");
  const auto next_sn = pdu::nop_in_view(seen.received).stat_sn();
  if (next_sn != reject_sn + 1)
    return verdict::fail("StatSN " + std::to_string(next_sn) + " after the Reject's " + std::to_string(reject_sn));
  return verdict::pass();
}

//= rfc7143#section-11.17 type=test
//# Reject is used to indicate an iSCSI error condition (protocol,
//# unsupported option, etc.).
TOUCHSTONE_CASE({.id = "reject.session-survives-unassigned-opcode",
                 .title = "after rejecting an unassigned opcode the same session still answers a ping",
                 .citations = {"rfc7143#section-11.17", "rfc7143#section-7.7"},
                 .level = requirement_level::must,
                 .tags = {"reject", "survival"}}) {
  const auto r = send_unassigned(ctx);
  if (!r.s) return ctx.setup_error();
  if (r.answer.connection_lost()) return verdict::fail("the connection ended: " + r.answer.describe());
  const auto ping = ping_request(*r.s);
  (void)r.s->send(ping);
  const auto seen = await_itt(*r.s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In on the same session");
  return survives(ctx, "an unassigned opcode");
}

}  // namespace
}  // namespace touchstone::conformance::cases
