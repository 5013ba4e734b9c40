// Status SNACKs a target at ErrorRecoveryLevel 1 cannot answer with a
// resend (RFC 7143 section 11.16): for a StatSN already acknowledged, for
// one not sent yet, and a hostile RunLength far beyond what was sent.
#include "mcs_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A single-connection session at ErrorRecoveryLevel 1 or more, with one
// NOP-In answer (a numbered response) received; nullptr and `problem` set
// otherwise.
session* erl1_session(case_context& ctx, session_group& g, verdict& problem) {
  const auto led = g.lead(with_recovery(ctx.normal_login(), 1, 1));
  if (!led.ok()) {
    problem = verdict::error("the leading login: " + led.summary());
    return nullptr;
  }
  if (g.negotiated().error_recovery_level < 1) {
    problem = verdict::skip("the session negotiated ErrorRecoveryLevel=" +
                            std::to_string(g.negotiated().error_recovery_level));
    return nullptr;
  }
  auto& s = g.at(0);
  const auto ping = ping_request(s);
  (void)s.send(ping);
  if (!await_itt(s, itt_of(ping)).is(opcode::nop_in)) {
    problem = verdict::error("no answer to a ping");
    return nullptr;
  }
  return &s;
}

// Sends a Status SNACK for `beg`/`length` and expects Reject "Protocol Error".
// The SNACK's ExpStatSN is `exp_stat_sn`.
verdict snack_refused_as_protocol_error(case_context& ctx, session& s, std::uint32_t exp_stat_sn, std::uint32_t beg,
                                        std::uint32_t length, const std::string& what) {
  const auto snack = pdu::snack_builder{}
                         .type(pdu::snack_type::status)
                         .initiator_task_tag(pdu::reserved_tag)
                         .target_transfer_tag(pdu::reserved_tag)
                         .exp_stat_sn(exp_stat_sn)
                         .beg_run(beg)
                         .run_length(length)
                         .build();
  if (s.send(snack)) return ctx.error_after("sending the SNACK", s);
  const auto answer = s.expect_pdu();
  if (!answer.is(opcode::reject)) return unexpected(answer, "a Reject (Protocol Error) of a SNACK for " + what);
  const auto reason = pdu::reject_view(answer.received).raw_reason();
  if (reason != 0x04)
    return verdict::fail("a SNACK for " + what + " rejected with reason " + std::to_string(reason) +
                         ", not 0x04 (Protocol Error)");
  return verdict::pass();
}

//= rfc7143#section-11.16 type=test
//# Any SNACK that requests a numbered response, data, or R2T that was
//# not sent by the target or was already acknowledged by the initiator
//# MUST be rejected with a reason code of "Protocol Error".
TOUCHSTONE_CASE({.id = "recovery.erl1.status-snack-acknowledged-rejected",
                 .title = "at ErrorRecoveryLevel 1, a Status SNACK for an acknowledged StatSN is rejected (Protocol Error)",
                 .citations = {"rfc7143#section-11.16", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"recovery", "erl1", "snack", "reject"},
                 .needs = {need::erl1}}) {
  auto g = ctx.group();
  verdict problem = verdict::pass();
  auto* s = erl1_session(ctx, g, problem);
  if (!s) return problem;
  // ExpStatSN (the SNACK's own) acknowledges every StatSN before it.
  return snack_refused_as_protocol_error(ctx, *s, s->exp_stat_sn(), s->exp_stat_sn() - 1, 1,
                                         "an acknowledged StatSN");
}

//= rfc7143#section-11.16 type=test
//# Any SNACK that requests a numbered response, data, or R2T that was
//# not sent by the target or was already acknowledged by the initiator
//# MUST be rejected with a reason code of "Protocol Error".
TOUCHSTONE_CASE({.id = "recovery.erl1.status-snack-unsent-rejected",
                 .title = "at ErrorRecoveryLevel 1, a Status SNACK for a StatSN not sent yet is rejected (Protocol Error)",
                 .citations = {"rfc7143#section-11.16", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"recovery", "erl1", "snack", "reject"},
                 .needs = {need::erl1}}) {
  auto g = ctx.group();
  verdict problem = verdict::pass();
  auto* s = erl1_session(ctx, g, problem);
  if (!s) return problem;
  return snack_refused_as_protocol_error(ctx, *s, s->exp_stat_sn(), s->exp_stat_sn() + 5, 1,
                                         "a StatSN not sent yet");
}

//= rfc7143#section-11.16.7 type=test
//# This field indicates the number of PDUs whose retransmission is
//# requested.
// A RunLength of 0xffffffff from the last StatSN asks for responses never
// sent: the answer is one Reject, not a loop; the session goes on.
TOUCHSTONE_CASE({.id = "recovery.erl1.status-snack-hostile-runlength-rejected",
                 .title = "at ErrorRecoveryLevel 1, a Status SNACK with RunLength 0xffffffff is rejected and the session goes on",
                 .citations = {"rfc7143#section-11.16.7", "rfc7143#section-11.16"},
                 .level = requirement_level::must,
                 .tags = {"recovery", "erl1", "snack", "reject", "survival"},
                 .needs = {need::erl1}}) {
  auto g = ctx.group();
  verdict problem = verdict::pass();
  auto* s = erl1_session(ctx, g, problem);
  if (!s) return problem;
  // From the ping's answer, left unacknowledged (the SNACK's ExpStatSN is its StatSN).
  const auto last = s->exp_stat_sn() - 1;
  const auto refused = snack_refused_as_protocol_error(ctx, *s, last, last, 0xffffffff, "0xffffffff responses");
  if (refused.kind != verdict_kind::pass) return refused;
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  if (!await_itt(*s, itt_of(ping)).is(opcode::nop_in)) return verdict::fail("no answer to a ping after the SNACK");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
