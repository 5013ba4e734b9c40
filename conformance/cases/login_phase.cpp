// PDUs other than Login in and before the Login Phase; session
// reinstatement (RFC 7143 sections 4.2.4, 6.3.1, 6.3.4, 6.3.5).
#include "login_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-4.2.4 type=test
//# A target receiving any PDU except a Login Request before the Login
//# Phase is started MUST immediately terminate the connection on which
//# the PDU was received.
TOUCHSTONE_CASE({.id = "login.phase.ping-before-login",
                 .title = "a NOP-Out as the first PDU of a connection: the target closes the connection",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"login", "phase", "survival"}}) {
  auto* s = ctx.connect();
  if (!s) return ctx.setup_error();
  if (s->send(ping_request(*s))) return ctx.error_after("sending", *s);
  const auto seen = s->expect_close(s->times().wait);
  if (seen.what == observed::timeout) return verdict::fail("the connection stays open after a NOP-Out before login");
  for (const auto& p : s->received())
    return verdict::fail("the target answered instead of closing: " + describe(p));
  return survives(ctx, "a NOP-Out before login");
}

//= rfc7143#section-4.2.4 type=test
//# Once the Login Phase has started, if the
//# target receives any PDU except a Login Request, it MUST send a Login
//# reject (with Status "invalid during login") and then disconnect.
TOUCHSTONE_CASE({.id = "login.phase.ping-during-login",
                 .title = "a NOP-Out in the middle of the Login Phase: Login reject 0x020b, then the close",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "phase"}}) {
  const auto first = first_login_step(ctx, ctx.normal_login(), [](auto& b, auto&) {
    b.transit(false).nsg(pdu::login_stage::security_negotiation);
  });
  if (!first.s) return ctx.setup_error();
  if (!first.login_response() || first.view().status_class() != 0)
    return verdict::error("the first Login Request: " + first.answer.describe());
  login_step step;
  step.s = first.s;
  step.request = ping_request(*first.s);
  if (first.s->send(step.request)) return ctx.error_after("sending", *first.s);
  step.answer = first.s->expect_pdu();
  return expect_initiator_error(step, "a NOP-Out during login",
                                static_cast<std::uint16_t>(pdu::login_status::invalid_during_login));
}

//= rfc7143#section-4.2.4 type=test
//# Once the Login Phase has started, if the
//# target receives any PDU except a Login Request, it MUST send a Login
//# reject (with Status "invalid during login") and then disconnect.
TOUCHSTONE_CASE({.id = "login.phase.text-during-login",
                 .title = "a Text Request in the middle of the Login Phase: Login reject 0x020b, then the close",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "phase"}}) {
  const auto first = first_login_step(ctx, ctx.normal_login(), [](auto& b, auto&) {
    b.transit(false).nsg(pdu::login_stage::security_negotiation);
  });
  if (!first.s) return ctx.setup_error();
  if (!first.login_response() || first.view().status_class() != 0)
    return verdict::error("the first Login Request: " + first.answer.describe());
  login_step step;
  step.s = first.s;
  step.request = pdu::text_request_builder{}
                     .final_bit()
                     .initiator_task_tag(first.s->next_itt())
                     .target_transfer_tag(pdu::reserved_tag)
                     .cmd_sn(1)
                     .exp_stat_sn(first.s->exp_stat_sn())
                     .data(pdu::encode_text({{"SendTargets", "All"}}))
                     .build();
  if (first.s->send(step.request)) return ctx.error_after("sending", *first.s);
  step.answer = first.s->expect_pdu();
  return expect_initiator_error(step, "a Text Request during login",
                                static_cast<std::uint16_t>(pdu::login_status::invalid_during_login));
}

//= rfc7143#section-6.3.5 type=test
//# Session reinstatement is the process of an initiator logging in with
//# an ISID that is possibly active from the target's perspective for
//# that initiator, thus implicitly logging out the session that
//# corresponds to the ISID and reinstating a new iSCSI session in its
//# place (with the same ISID).
TOUCHSTONE_CASE({.id = "login.session.reinstatement",
                 .title = "a new login with the same InitiatorName, ISID and TargetName (TSIH 0) reinstates: the old connection ends",
                 .citations = {"rfc7143#section-6.3.5", "rfc7143#section-6.3.1"},
                 .level = requirement_level::must,
                 .tags = {"login", "reinstatement"}}) {
  const auto o = ctx.normal_login();
  auto* old = ctx.logged_in(o);
  if (!old) return ctx.setup_error();
  auto* fresh = ctx.logged_in(o);
  if (!fresh) return verdict::fail("the reinstating login failed: " + ctx.setup_error().message);
  const auto ping = ping_request(*old);
  (void)old->send(ping);
  const auto seen = await_itt(*old, ping.header().initiator_task_tag());
  if (seen.is(opcode::nop_in)) return verdict::fail("the old session still answers after its reinstatement");
  const auto ping2 = ping_request(*fresh);
  (void)fresh->send(ping2);
  if (!await_itt(*fresh, ping2.header().initiator_task_tag()).is(opcode::nop_in))
    return verdict::fail("the reinstated session does not answer a ping");
  return verdict::pass();
}

//= rfc7143#section-6.3.4 type=test
//# Targets MUST support
//# opening a second connection even when they do not support multiple
//# connections in the Full Feature Phase if ErrorRecoveryLevel is 2 and
//# SHOULD support opening a second connection if ErrorRecoveryLevel is
//# less than 2.
TOUCHSTONE_CASE({.id = "login.connection.reinstatement",
                 .title = "a login with the session's ISID, TSIH and CID (ERL 0) reinstates the connection",
                 .citations = {"rfc7143#section-6.3.4", "rfc7143#section-6.3.1"},
                 .level = requirement_level::should,
                 .tags = {"login", "reinstatement"}}) {
  auto o = ctx.normal_login();
  auto* old = ctx.logged_in(o);
  if (!old) return ctx.setup_error();
  o.tsih = old->tsih();
  auto* s = ctx.connect();
  if (!s) return ctx.setup_error();
  const auto out = login(*s, o);
  if (out.ok()) {
    const auto ping = ping_request(*s);
    (void)s->send(ping);
    if (!await_itt(*s, ping.header().initiator_task_tag()).is(opcode::nop_in))
      return verdict::fail("the reinstated connection does not answer a ping");
    return verdict::pass("connection reinstated");
  }
  if (out.how == login_ending::status) return verdict::fail("connection reinstatement refused: " + out.summary());
  return verdict::error("connection reinstatement: " + out.summary());
}

}  // namespace
}  // namespace touchstone::conformance::cases
