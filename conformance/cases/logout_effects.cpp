// What Logout does: with a task outstanding, sent immediate, and the
// session gone afterwards (RFC 7143 sections 6.3.1, 11.14, 11.14.5, 11.15).
#include "tmf_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

pdu::pdu logout_pdu(session& s, pdu::logout_reason reason, bool immediate) {
  return pdu::logout_request_builder{reason}
      .immediate(immediate)
      .initiator_task_tag(s.next_itt())
      .cmd_sn(immediate ? s.cmd_sn() : s.take_cmd_sn())
      .exp_stat_sn(s.exp_stat_sn())
      .build();
}

//= rfc7143#section-11.14 type=test
//# When receiving a Logout Request with the reason code "close the
//# connection" or "close the session", the target MUST terminate all
//# pending commands, whether acknowledged via the ExpCmdSN or not, on
//# that connection or session, respectively.
//# ...
//# The target then issues the Logout Response and half-closes the TCP
//# connection (sends FIN).
TOUCHSTONE_CASE({.id = "logout.outstanding-write-terminated",
                 .title = "Logout (close the session) with a WRITE waiting on its R2T: answered 0, no status for the WRITE, then the close",
                 .citations = {"rfc7143#section-11.14", "rfc7143#section-11.14.5"},
                 .level = requirement_level::must,
                 .tags = {"logout"},
                 .needs = {need::writable_lun}}) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  const auto request = logout_pdu(*w.s, pdu::logout_reason::close_session, false);
  if (w.s->send(request)) return ctx.error_after("sending the Logout", *w.s);
  const auto until = w.s->times().after(w.s->times().wait);
  for (;;) {
    const auto seen = w.s->next(until);
    if (!seen.is_pdu()) return unexpected(seen, "a Logout Response while a WRITE is outstanding");
    if (seen.is(opcode::scsi_response) && seen.received.header().initiator_task_tag() == w.itt)
      return verdict::fail("the terminated WRITE got a status: " + seen.describe());
    if (!seen.is(opcode::logout_response)) continue;
    const auto code = pdu::logout_response_view(seen.received).raw_response();
    if (code != 0) return verdict::fail("Logout Response " + std::to_string(code) + " with a task outstanding");
    break;
  }
  const auto after = w.s->expect_close(w.s->times().wait);
  if (after.what == observed::timeout) return verdict::fail("the connection stays open after the Logout Response");
  for (const auto& p : w.s->received())
    if (p.op() == opcode::scsi_response && p.header().initiator_task_tag() == w.itt)
      return verdict::fail("the terminated WRITE got a status before the close");
  return survives(ctx, "a Logout with a task outstanding");
}

//= rfc7143#section-11.14 type=test
//# The target then issues the Logout Response and half-closes the TCP
//# connection (sends FIN).
//= rfc7143#section-4.2.2.1 type=test
//# The CmdSN carried by immediate commands may lie outside the
//# ExpCmdSN-to-MaxCmdSN range.
TOUCHSTONE_CASE({.id = "logout.immediate-close-session",
                 .title = "an immediate Logout (close the session) is answered 0 and the connection closes",
                 .citations = {"rfc7143#section-11.14", "rfc7143#section-11.15.1", "rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"logout", "immediate"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto request = logout_pdu(*s, pdu::logout_reason::close_session, true);
  if (s->send(request)) return ctx.error_after("sending the Logout", *s);
  const auto seen = await_itt(*s, request.header().initiator_task_tag());
  if (!seen.is(opcode::logout_response)) return unexpected(seen, "a Logout Response");
  const auto code = pdu::logout_response_view(seen.received).raw_response();
  if (code != 0) return verdict::fail("Logout Response " + std::to_string(code));
  if (s->expect_close(s->times().wait).what == observed::timeout)
    return verdict::fail("the connection stays open after the Logout Response");
  return verdict::pass();
}

//= rfc7143#section-6.3.1 type=test
//# |existing| non-zero    | any    |   fail the login               |
//# |        | new         |        |   ("session does not exist")   |
TOUCHSTONE_CASE({.id = "logout.session-gone-after",
                 .title = "after Logout (close the session), a login naming the old TSIH fails: session does not exist",
                 .citations = {"rfc7143#section-6.3.1", "rfc7143#section-11.14", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"logout", "login"}}) {
  auto o = ctx.normal_login();
  auto* s = ctx.logged_in(o);
  if (!s) return ctx.setup_error();
  const auto tsih = s->tsih();
  // With TSIH 0 (reserved, 11.13.3) there is no old session to name: a
  // "reuse" would be a new-session login, which is legal. The broken
  // precondition is login.tsih.*'s to judge, not this case's.
  if (tsih == 0)
    return verdict::error("the target's Login Final-Response carried TSIH 0 (reserved, rfc7143#section-11.13.3): "
                          "no closed session can be named");
  const auto out = logout(*s);
  if (!out.response || pdu::logout_response_view(*out.response).raw_response() != 0)
    return ctx.error_after("the Logout", *s);
  auto* again = ctx.connect();
  if (!again) return ctx.setup_error();
  o.tsih = tsih;
  o.cid = 1;
  const auto second = login(*again, o);
  if (second.ok()) return verdict::fail("a login with the closed session's TSIH " + hex16(tsih) + " succeeded");
  if (second.how != login_ending::status) return unexpected(second.last, "a Login Response with an error status");
  if (second.status != pdu::login_status::session_does_not_exist)
    return verdict::pass("refused with " + second.summary() + " (0x020a would name it)");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
