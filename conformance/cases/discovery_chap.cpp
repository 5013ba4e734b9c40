// Authenticated discovery: Discovery sessions of a target configured to
// require CHAP for them (--discovery-chap USER%SECRET; the embedded default's
// CHAP stand-in) (RFC 7143 sections 12.1, 12.1.3, 6.3.1).
#include "chap_helpers.hpp"

#include "touchstone/pdu/text_values.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-12.1.3 type=test
//# The initiator MUST continue with:
//#
//#    CHAP_N=<N> CHAP_R=<R>
//= rfc7143#appendix-C type=test
//# A system that contains targets MUST support Discovery sessions on
//# each of its iSCSI IP address-port pairs and MUST support the
//# SendTargets command on the Discovery session.
TOUCHSTONE_CASE({.id = "discovery.chap.accepted",
                 .title = "a Discovery session authenticated with CHAP completes and answers SendTargets=All",
                 .citations = {"rfc7143#section-12.1.3", "rfc7143#appendix-C"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "chap", "login"},
                 .needs = {need::discovery_chap}}) {
  auto* s = ctx.logged_in(ctx.discovery_login());
  if (!s) return verdict::fail("the CHAP Discovery login failed: " + ctx.setup_error().message);
  const auto text = text_exchange(*s, {{"SendTargets", "All"}});
  if (!text.complete) return unexpected(text.last, "a final Text Response");
  return verdict::pass(std::to_string(text.pairs.size()) + " pairs");
}

//= rfc7143#section-6.3.1 type=test
//# the target may reply with a Login Response that indicates that it is
//# unwilling to accept the connection (see Section 11.13) without
//# SecurityNegotiation and will terminate the connection with a response
//# of Authentication failure (see Section 11.13.5).
TOUCHSTONE_CASE({.id = "discovery.chap.none-refused",
                 .title = "a Discovery session that must authenticate never lets AuthMethod=None through",
                 .citations = {"rfc7143#section-6.3.1", "rfc7143#section-12.1"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "chap", "login"},
                 .needs = {need::discovery_chap}}) {
  auto o = ctx.discovery_login();
  o.chap.reset();
  return unauthenticated_refused(ctx, o);
}

//= rfc7143#section-12.1.3 type=test
//# If the initiator authentication fails, the target MUST answer with a
//# Login reject with "Authentication Failure" status.
TOUCHSTONE_CASE({.id = "discovery.chap.wrong-response",
                 .title = "a wrong CHAP_R in a Discovery login is a Login reject 0x0201",
                 .citations = {"rfc7143#section-12.1.3", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "chap", "login"},
                 .needs = {need::discovery_chap}}) {
  const auto c = chap_until_challenge(ctx, ctx.discovery_login());
  if (!c.ok()) return c.problem;
  auto creds = *ctx.target().discovery_chap;
  creds.secret += "x";
  return expect_login_reject(chap_reply(c, chap_answer(creds, c)), "a wrong Discovery CHAP_R", {auth_failure});
}

}  // namespace
}  // namespace touchstone::conformance::cases
