// A multi-task TMF seen from a third-party session (RFC 7143 sections
// 4.2.3.2, 4.2.3.3, 4.2.3.6): a LOGICAL UNIT RESET from one session aborts a
// WRITE another session holds open (its R2T unanswered); that WRITE never
// gets a status, and the other session's next command gets the reset's unit
// attention.
#include "tmf_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

constexpr std::uint8_t function_complete = 0;
constexpr std::uint8_t task_aborted_status = 0x40;

// Reads `s` until the PDU answering `itt` or the wait runs out.
observation answer_within(session& s, std::uint32_t itt, milliseconds wait) {
  const auto until = s.times().after(wait);
  for (;;) {
    auto seen = s.next(until);
    if (!seen.is_pdu() || seen.received.header().initiator_task_tag() == itt) return seen;
  }
}

// After the reset: nothing about the aborted WRITE for the silence window
// but a TASK ABORTED status (TAS=1 in the Control mode page asks for one).
verdict write_stays_unanswered(session& s, std::uint32_t itt, bool& task_aborted) {
  const auto seen = answer_within(s, itt, s.times().silence);
  if (seen.what == observed::timeout) return verdict::pass();
  if (!seen.is_pdu()) return verdict::fail("the WRITE's session ended after the reset: " + seen.describe());
  if (seen.is(opcode::scsi_response) && pdu::scsi_response_view(seen.received).raw_status() == task_aborted_status) {
    task_aborted = true;
    return verdict::pass();
  }
  return verdict::fail("the WRITE the reset aborted was answered after it: " + seen.describe());
}

//= rfc7143#section-4.2.3.2 type=test
//# LOGICAL UNIT RESET: All outstanding tasks from all initiators for the
//# LU identified by the LUN field in the LOGICAL UNIT RESET
//# Request PDU.
//= rfc7143#section-4.2.3.3 type=test
//# e) MUST provide the Response Fence behavior on the first post-TMF
//# Response on third-party sessions as specified in
//# Section 4.2.2.3.3.
//= rfc7143#section-4.2.3.6 type=test
//# The UA notification contained in
//# the first SCSI Response PDU on each affected third-party
//# I_T_L nexus after the TMF action thus MUST NOT pass the
//# affected task responses on any of the iSCSI sessions
//# accessing the LU.
//= rfc7143#section-11.5.1 type=test
//# LOGICAL UNIT RESET, TARGET WARM RESET,
//# and TARGET COLD RESET may affect commands from other sessions or
//# commands from the same session, regardless of their CmdSN value.
TOUCHSTONE_CASE({.id = "tmf.lun-reset.third-party-write",
                 .title = "a LOGICAL UNIT RESET aborts another session's WRITE waiting for Data-Out: no status for "
                          "it, that session's next command gets the reset's unit attention",
                 .citations = {"rfc7143#section-4.2.3.2", "rfc7143#section-4.2.3.3", "rfc7143#section-4.2.3.6",
                               "rfc7143#section-11.5.1"},
                 .level = requirement_level::must,
                 .tags = {"tmf", "unit-attention"},
                 .needs = {need::writable_lun}}) {
  auto* third = solicited_session(ctx);
  if (!third) return ctx.setup_error();
  if (!clear_unit_attentions(ctx, *third)) return ctx.error_after("TEST UNIT READY never GOOD", *third);
  const auto w = hold_write(ctx, third);
  if (!w.ok()) return w.problem;
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto tmf = tmf_request(ctx, *s, pdu::tmf_function::logical_unit_reset).build();
  if (s->send(tmf)) return ctx.error_after("sending the LOGICAL UNIT RESET", *s);
  // A target MAY wait for the third party's Data-Out before it answers
  // (4.2.3.3 a); the data goes only once the reset is answered or has had
  // the silence window to arrive, so it reaches the target after the reset.
  auto reset = answer_within(*s, tmf.header().initiator_task_tag(), ctx.times().silence);
  //= rfc7143#section-4.2.3.3 type=test
  //# a) MUST continue to respond to each TTT received for the affected
  //# tasks.
  if (answer_r2t(ctx, w)) return ctx.error_after("answering the R2T", *third);
  if (reset.what == observed::timeout) reset = answer_within(*s, tmf.header().initiator_task_tag(), ctx.times().wait);
  if (auto v = expect_tmf_response(reset, "LOGICAL UNIT RESET", {function_complete}); v.kind != verdict_kind::pass)
    return verdict::error(v.message);
  bool task_aborted = false;
  if (auto v = write_stays_unanswered(*third, w.itt, task_aborted); v.kind != verdict_kind::pass) return v;
  const auto next = run_scsi(*third, unit_ready_request(ctx));
  if (!next.completed()) return ctx.error_after("TEST UNIT READY: " + next.summary(), *third);
  const auto sense = parse_sense(next.sense);
  if (next.status != 0x02 || !sense || sense->key != 0x6 || sense->asc != 0x29)
    return verdict::fail("the WRITE's session's first command after the reset got " + next.summary() +
                         (sense ? " (" + describe_sense(*sense) + ")" : std::string()) +
                         ", not the reset's unit attention (29h)");
  return verdict::pass(std::string(task_aborted ? "the WRITE ended TASK ABORTED; " : "no status for the WRITE; ") +
                       "then " + describe_sense(*sense));
}

}  // namespace
}  // namespace touchstone::conformance::cases
