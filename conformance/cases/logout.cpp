// Logout (RFC 7143 sections 11.14, 11.15).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-11.14 type=test
//# The target then issues the Logout Response and half-closes the TCP
//# connection (sends FIN).
//= rfc7143#section-11.15 type=test
//# After Logout, the TCP connection referred by the CID MUST be closed at both
//# ends (or all connections must be closed if the logout reason was session
//# close).
TOUCHSTONE_CASE({.id = "logout.close-session",
                 .title = "Logout (close the session) is answered 0 with its ITT, then the connection closes",
                 .citations = {"rfc7143#section-11.14", "rfc7143#section-11.15.1", "rfc7143#section-11.15"},
                 .level = requirement_level::must,
                 .tags = {"logout"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto out = logout(*s);
  if (!out.response) return unexpected(out.last, "a Logout Response");
  const pdu::logout_response_view v(*out.response);
  if (v.raw_response() != 0) return verdict::fail("Logout Response " + std::to_string(v.raw_response()));
  if (out.last.what == observed::timeout) return verdict::fail("the connection stays open after the Logout Response");
  return verdict::pass();
}

//= rfc7143#section-11.14 type=test
//# The target then issues the Logout Response and half-closes the TCP
//# connection (sends FIN).
//= rfc7143#section-11.15 type=test
//# After Logout, the TCP connection referred by the CID MUST be closed at both
//# ends (or all connections must be closed if the logout reason was session
//# close).
TOUCHSTONE_CASE({.id = "logout.close-connection",
                 .title = "Logout (close the connection) for its own CID is answered 0, then the connection closes",
                 .citations = {"rfc7143#section-11.14", "rfc7143#section-11.15.1", "rfc7143#section-11.15"},
                 .level = requirement_level::must,
                 .tags = {"logout"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto out = logout(*s, pdu::logout_reason::close_connection);
  if (!out.response) return unexpected(out.last, "a Logout Response");
  const pdu::logout_response_view v(*out.response);
  if (v.raw_response() != 0) return verdict::fail("Logout Response " + std::to_string(v.raw_response()));
  if (out.last.what == observed::timeout) return verdict::fail("the connection stays open after the Logout Response");
  return verdict::pass();
}

//= rfc7143#section-11.15.1 type=test
//# 2 - connection recovery is not supported (i.e., the Logout reason
//#     code was "remove the connection for recovery" and the target
//#     does not support it as indicated by the operational
//#     ErrorRecoveryLevel).
TOUCHSTONE_CASE({.id = "logout.remove-for-recovery-at-erl0",
                 .title = "Logout (remove the connection for recovery) at ErrorRecoveryLevel 0 is answered 2",
                 .citations = {"rfc7143#section-11.15.1", "rfc7143#section-11.14.1"},
                 .level = requirement_level::must,
                 .tags = {"logout", "erl"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  if (s->params().error_recovery_level >= 2) return verdict::skip("the session runs at ERL 2");
  const auto out = logout(*s, pdu::logout_reason::remove_connection_for_recovery);
  if (!out.response) return unexpected(out.last, "a Logout Response");
  const pdu::logout_response_view v(*out.response);
  if (v.raw_response() != 2) return verdict::fail("Logout Response " + std::to_string(v.raw_response()) + ", expected 2");
  return verdict::pass();
}

//= rfc7143#section-11.15.1 type=test
//# 1 - CID not found.
TOUCHSTONE_CASE({.id = "logout.unknown-cid",
                 .title = "Logout (close the connection) naming an unknown CID is answered 1",
                 .citations = {"rfc7143#section-11.15.1", "rfc7143#section-11.14.3"},
                 .level = requirement_level::must,
                 .tags = {"logout"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto itt = s->next_itt();
  const auto request = pdu::logout_request_builder{pdu::logout_reason::close_connection}
                           .cid(0x4242)
                           .initiator_task_tag(itt)
                           .cmd_sn(s->take_cmd_sn())
                           .exp_stat_sn(s->exp_stat_sn())
                           .build();
  if (s->send(request)) return ctx.error_after("sending the Logout", *s);
  const auto seen = await_itt(*s, itt);
  if (!seen.is(opcode::logout_response)) return unexpected(seen, "a Logout Response");
  const auto code = pdu::logout_response_view(seen.received).raw_response();
  if (code != 1) return verdict::fail("Logout Response " + std::to_string(code) + ", expected 1 (CID not found)");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
