// What ErrorRecoveryLevel 1 and 2 oblige a target to do once negotiated
// (RFC 7143 sections 6.3.4, 11.15.1, 11.16): a second connection for
// connection reinstatement at ERL 2, Logout "remove the connection for
// recovery" accepted at ERL 2, a Status SNACK answered at ERL 1 or more.
#include "mcs_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A single-connection session that negotiated at least `erl`; nullptr and
// `problem` set otherwise.
session* session_at_erl(case_context& ctx, session_group& g, std::uint8_t erl, verdict& problem) {
  const auto led = g.lead(with_recovery(ctx.normal_login(), erl, 1));
  if (!led.ok()) {
    problem = verdict::error("the leading login: " + led.summary());
    return nullptr;
  }
  if (g.negotiated().error_recovery_level < erl) {
    problem = verdict::skip("the session negotiated ErrorRecoveryLevel=" +
                            std::to_string(g.negotiated().error_recovery_level));
    return nullptr;
  }
  return &g.at(0);
}

//= rfc7143#section-6.3.4 type=test
//# Targets MUST support
//# opening a second connection even when they do not support multiple
//# connections in the Full Feature Phase if ErrorRecoveryLevel is 2 and
//# SHOULD support opening a second connection if ErrorRecoveryLevel is
//# less than 2.
// login.connection.reinstatement is the SHOULD at ERL 0; this is the MUST.
TOUCHSTONE_CASE({.id = "recovery.erl2.reinstatement-connection-accepted",
                 .title = "at ErrorRecoveryLevel 2 with MaxConnections=1, a reinstating second connection (same CID) logs in",
                 .citations = {"rfc7143#section-6.3.4", "rfc7143#section-6.3.1"},
                 .level = requirement_level::must,
                 .tags = {"recovery", "erl2", "login", "reinstatement"},
                 .needs = {need::erl2}}) {
  auto g = ctx.group();
  verdict problem = verdict::pass();
  if (!session_at_erl(ctx, g, 2, problem)) return problem;
  const auto out = g.add(g.join_options(g.cid(0)));
  if (out.how == login_ending::transport) return verdict::error("the reinstating login: " + out.summary());
  if (!out.ok())
    return verdict::fail("the reinstating connection (CID " + std::to_string(g.cid(0)) +
                         ") of an ERL 2 session was refused: " + out.summary());
  auto& fresh = g.at(1);
  const auto ping = ping_request(fresh);
  (void)fresh.send(ping);
  if (!await_itt(fresh, itt_of(ping)).is(opcode::nop_in))
    return verdict::fail("the reinstated connection does not answer a ping");
  return verdict::pass();
}

//= rfc7143#section-11.15.1 type=test
//# 2 - connection recovery is not supported (i.e., the Logout reason
//# code was "remove the connection for recovery" and the target
//# does not support it as indicated by the operational
//# ErrorRecoveryLevel).
// At ERL 2 the operational level says the target supports it: response 2
// is a departure; 0 passes (3, "cleanup failed", is allowed and noted).
TOUCHSTONE_CASE({.id = "recovery.erl2.logout-for-recovery-accepted",
                 .title = "Logout (remove the connection for recovery) at ErrorRecoveryLevel 2 is not answered 2",
                 .citations = {"rfc7143#section-11.15.1", "rfc7143#section-11.14.1"},
                 .level = requirement_level::must,
                 .tags = {"recovery", "erl2", "logout"},
                 .needs = {need::erl2}}) {
  auto g = ctx.group();
  verdict problem = verdict::pass();
  auto* s = session_at_erl(ctx, g, 2, problem);
  if (!s) return problem;
  const auto request = logout_request_for(*s, pdu::logout_reason::remove_connection_for_recovery, g.cid(0), false);
  if (s->send(request)) return ctx.error_after("sending the Logout", *s);
  const auto answer = await_itt(*s, itt_of(request));
  if (!answer.is(opcode::logout_response)) return unexpected(answer, "a Logout Response");
  const auto code = pdu::logout_response_view(answer.received).raw_response();
  // The session outlives the connection (Time2Retain): a new connection
  // with its TSIH closes it, so the target is left as it was found.
  const auto cleanup = [&] {
    if (g.add(g.join_options(g.cid(0))).ok())
      (void)logout(g.at(g.size() - 1), pdu::logout_reason::close_session, after_logout::leave);
  };
  if (code == 0 || code == 3) {
    cleanup();
    return verdict::pass("answered " + std::to_string(code));
  }
  return verdict::fail("Logout for recovery at ErrorRecoveryLevel 2 answered " + std::to_string(code) +
                       (code == 2 ? " (connection recovery not supported)" : ""));
}

//= rfc7143#section-11.16 type=test
//# If the implementation supports ErrorRecoveryLevel greater than zero,
//# it MUST support all SNACK types.
//= rfc7143#section-11.16 type=test
//# The numbered response(s) or R2T(s) requested by a SNACK MUST be
//# delivered as exact replicas of the ones that the target transmitted
//# originally, except for the fields ExpCmdSN, MaxCmdSN, and ExpDataSN,
//# which MUST carry the current values.
// The SCSI Response to a TEST UNIT READY, not yet acknowledged (the SNACK's
// ExpStatSN is its StatSN), is asked for again: the same StatSN, ITT and
// status must come back. A Reject or silence fails.
TOUCHSTONE_CASE({.id = "recovery.erl1.status-snack-resends-response",
                 .title = "at ErrorRecoveryLevel 1, a Status SNACK for an unacknowledged SCSI Response resends it",
                 .citations = {"rfc7143#section-11.16", "rfc7143#section-11.16.4", "rfc7143#section-11.16.6"},
                 .level = requirement_level::must,
                 .tags = {"recovery", "erl1", "snack"},
                 .needs = {need::erl1}}) {
  auto g = ctx.group();
  verdict problem = verdict::pass();
  auto* s = session_at_erl(ctx, g, 1, problem);
  if (!s) return problem;
  (void)clear_unit_attentions(ctx, *s);
  const auto out = run_scsi(*s, unit_ready_request(ctx));
  if (!out.completed() || !out.final_pdu) return ctx.error_after("TEST UNIT READY: " + out.summary(), *s);
  const auto original = *out.final_pdu;
  const auto stat_sn = original.header().u32(24);
  //= rfc7143#section-11.16.4
  //# For a Status SNACK and DataACK, the Initiator Task Tag MUST be set to
  //# the reserved value 0xffffffff.
  const auto snack = pdu::snack_builder{}
                         .type(pdu::snack_type::status)
                         .initiator_task_tag(pdu::reserved_tag)
                         .target_transfer_tag(pdu::reserved_tag)
                         .exp_stat_sn(stat_sn)
                         .beg_run(stat_sn)
                         .run_length(1)
                         .build();
  if (s->send(snack)) return ctx.error_after("sending the SNACK", *s);
  const auto again = await_itt(*s, out.itt);
  if (!again.is(opcode::scsi_response)) return unexpected(again, "the SCSI Response resent (StatSN " +
                                                                    std::to_string(stat_sn) + ")");
  if (again.received.header().u32(24) != stat_sn)
    return verdict::fail("the resent SCSI Response carries StatSN " + std::to_string(again.received.header().u32(24)) +
                         ", the original " + std::to_string(stat_sn));
  if (pdu::scsi_response_view(again.received).raw_status() != pdu::scsi_response_view(original).raw_status())
    return verdict::fail("the resent SCSI Response's status differs from the original's");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
