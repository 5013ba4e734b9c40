// Login stages, T/C bits, TSIH, TargetPortalGroupTag, versions, StatSN
// (RFC 7143 sections 6.3, 11.12, 11.13).
#include "login_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

using pdu::login_stage;

//= rfc7143#section-6.3 type=test
//# The initiator can request a
//# transition whenever it is ready, but a target can only respond with a
//# transition after one is proposed by the initiator.
TOUCHSTONE_CASE({.id = "login.stage.no-transit-unless-asked",
                 .title = "a Login Request with T=0 is not answered with T=1",
                 .citations = {"rfc7143#section-6.3", "rfc7143#section-11.13.6"},
                 .level = requirement_level::must,
                 .tags = {"login", "stages"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login(),
                                     [](auto& b, auto&) { b.transit(false).raw_nsg(0); });
  if (!step.s) return ctx.setup_error();
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  //= rfc7143#section-11.13.6 type=test
  //# If the Status-Class is 0, the T bit MUST NOT be set to 1 if the T bit
  //# in the request was set to 0.
  if (step.view().status_class() == 0 && step.view().transit())
    return verdict::fail("T=1 in answer to T=0: " + step.answer.describe());
  return verdict::pass();
}

//= rfc7143#section-6.3 type=test
//# During this exchange, the next stage is selected by the target via
//# the Next Stage code (NSG).  The selected NSG MUST NOT exceed the
//# value stated by the initiator.
TOUCHSTONE_CASE({.id = "login.stage.nsg-not-beyond-request",
                 .title = "asked to go to LoginOperationalNegotiation, the target does not jump to Full Feature",
                 .citations = {"rfc7143#section-6.3"},
                 .level = requirement_level::must,
                 .tags = {"login", "stages"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login());
  if (!step.s) return ctx.setup_error();
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  const auto v = step.view();
  if (v.status_class() != 0) return verdict::error("login refused: " + step.answer.describe());
  if (v.transit() && v.raw_nsg() > static_cast<std::uint8_t>(login_stage::operational_negotiation))
    return verdict::fail("NSG " + std::to_string(v.raw_nsg()) + " beyond the requested 1");
  return verdict::pass();
}

//= rfc7143#section-6.3.1 type=test
//# During the Login Phase, the iSCSI target MUST return the
//# TargetPortalGroupTag key with the first Login Response PDU with which
//# it is allowed to do so (i.e., the first Login Response issued after
//# the first Login Request with the C bit set to 0) for all session
//# types.
//= rfc7143#section-11.13.8 type=test
//# The target MUST provide some basic parameters in order to enable the
//# initiator to determine if it is connected to the correct port and the
//# initial text parameters for the security exchange.
TOUCHSTONE_CASE({.id = "login.tpgt.in-first-response",
                 .title = "TargetPortalGroupTag comes in the first Login Response of a Normal session",
                 .citations = {"rfc7143#section-6.3.1", "rfc7143#section-13.9", "rfc7143#section-11.13.8"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login());
  if (!step.s) return ctx.setup_error();
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0) return verdict::error("login refused: " + step.answer.describe());
  if (step.view().continue_bit()) return verdict::skip("the first response continues (C=1)");
  if (!find_value(step.pairs(), "TargetPortalGroupTag"))
    return verdict::fail("no TargetPortalGroupTag in the first Login Response");
  return verdict::pass();
}

//= rfc7143#section-6.3.1 type=test
//# During the Login Phase, the iSCSI target MUST return the
//# TargetPortalGroupTag key with the first Login Response PDU with which
//# it is allowed to do so (i.e., the first Login Response issued after
//# the first Login Request with the C bit set to 0) for all session
//# types.
TOUCHSTONE_CASE({.id = "login.tpgt.in-first-response-discovery",
                 .title = "TargetPortalGroupTag comes in the first Login Response of a Discovery session",
                 .citations = {"rfc7143#section-6.3.1", "rfc7143#section-13.9"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "discovery"}}) {
  const auto step = first_login_step(ctx, ctx.discovery_login());
  if (!step.s) return ctx.setup_error();
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0) return verdict::error("login refused: " + step.answer.describe());
  if (step.view().continue_bit()) return verdict::skip("the first response continues (C=1)");
  if (!find_value(step.pairs(), "TargetPortalGroupTag"))
    return verdict::fail("no TargetPortalGroupTag in the first Login Response");
  return verdict::pass();
}

//= rfc7143#section-11.13.3 type=test
//# For a new session,
//# the target MUST generate a non-zero TSIH and ONLY return it in the
//# Login Final-Response (see Section 6.3).
//= rfc7143#section-6.3.2 type=test
//# If the next stage is FullFeaturePhase, the target MUST reply with a Login Response with the TSIH
//# value.
TOUCHSTONE_CASE({.id = "login.tsih.only-in-final-response",
                 .title = "a new session's TSIH is 0 until the Final-Response, non-zero in it",
                 .citations = {"rfc7143#section-11.13.3", "rfc7143#section-6.3.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "tsih"}}) {
  auto* s = ctx.connect();
  if (!s) return ctx.setup_error();
  const auto out = login(*s, ctx.normal_login());
  if (!out.ok()) return verdict::error("login: " + out.summary());
  for (std::size_t i = 0; i + 1 < out.responses.size(); ++i) {
    const pdu::login_response_view v(out.responses[i]);
    if (v.tsih() != 0)
      return verdict::fail("TSIH " + std::to_string(v.tsih()) + " in response " + std::to_string(i + 1) +
                           ", before the Final-Response");
  }
  if (pdu::login_response_view(out.responses.back()).tsih() == 0)
    return verdict::fail("the Final-Response carries TSIH 0");
  if (out.responses.size() < 2) return verdict::pass("one-step login: only the Final-Response seen");
  return verdict::pass();
}

//= rfc7143#section-11.13.1 type=test
//# All Login Responses within the Login Phase MUST carry the same
//# Version-max.
//= rfc7143#section-11.13.2 type=test
//# All Login Responses within the Login Phase MUST carry the same
//# Version-active.
TOUCHSTONE_CASE({.id = "login.version.same-in-every-response",
                 .title = "Version-max and Version-active are the same in every Login Response",
                 .citations = {"rfc7143#section-11.13.1", "rfc7143#section-11.13.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "version"}}) {
  auto* s = ctx.connect();
  if (!s) return ctx.setup_error();
  const auto out = login(*s, ctx.normal_login());
  if (!out.ok()) return verdict::error("login: " + out.summary());
  const pdu::login_response_view first(out.responses.front());
  for (const auto& p : out.responses) {
    const pdu::login_response_view v(p);
    if (v.version_max() != first.version_max() || v.version_active() != first.version_active())
      return verdict::fail("versions change during login: " + describe(p));
  }
  if (first.version_active() != pdu::iscsi_version)
    return verdict::fail("Version-active " + std::to_string(first.version_active()) +
                         " for an initiator offering only 0x00");
  return verdict::pass();
}

//= rfc7143#section-11.13.2 type=test
//# If the target does not support a version within the
//# range specified by the initiator, the target rejects the login and
//# this field indicates the lowest version supported by the target.
TOUCHSTONE_CASE({.id = "login.version.unsupported-range",
                 .title = "Version-min=Version-max=0x01 (not defined) is refused with 0x0205",
                 .citations = {"rfc7143#section-11.13.2", "rfc7143#section-11.13.5", "rfc7143#section-11.12.4"},
                 .level = requirement_level::must,
                 .tags = {"login", "version"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login(),
                                     [](auto& b, auto&) { b.version_max(1).version_min(1); });
  if (!step.s) return ctx.setup_error();
  if (step.login_response() && step.view().status_class() == 2 &&
      step.view().version_active() != pdu::iscsi_version)
    return verdict::fail("the reject's Version-active is " + std::to_string(step.view().version_active()) +
                         ", not the lowest version supported (0x00)");
  return expect_initiator_error(step, "an unsupported version range",
                                static_cast<std::uint16_t>(pdu::login_status::unsupported_version));
}

//= rfc7143#section-11.13.4 type=test
//# The next response of any kind -- including the next
//# Login Response, if any, in the same Login Phase -- will carry this
//# number + 1.
TOUCHSTONE_CASE({.id = "login.statsn.increments-per-response",
                 .title = "each Login Response carries the previous StatSN + 1",
                 .citations = {"rfc7143#section-11.13.4", "rfc7143#section-4.2.2.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "numbering"}}) {
  auto* s = ctx.connect();
  if (!s) return ctx.setup_error();
  const auto out = login(*s, ctx.normal_login());
  if (!out.ok()) return verdict::error("login: " + out.summary());
  if (out.responses.size() < 2) return verdict::skip("the login took one exchange");
  for (std::size_t i = 1; i < out.responses.size(); ++i) {
    const auto before = pdu::login_response_view(out.responses[i - 1]).stat_sn();
    const auto now = pdu::login_response_view(out.responses[i]).stat_sn();
    if (now != before + 1)
      return verdict::fail("StatSN " + std::to_string(before) + " then " + std::to_string(now));
  }
  return verdict::pass();
}

//= rfc7143#section-6.3.1 type=test
//# |new     | non-zero    | any    |   fail the login               |
//# |        |             |        |   ("session does not exist")   |
//= rfc7143#section-11.12.6 type=test
//# The target MUST check the value presented with the first Login Request and
//# act as specified in Section 6.3.1.
TOUCHSTONE_CASE({.id = "login.tsih.unknown-session",
                 .title = "a login with a new ISID and a non-zero TSIH fails with 0x020a",
                 .citations = {"rfc7143#section-6.3.1", "rfc7143#section-11.13.5", "rfc7143#section-11.12.6"},
                 .level = requirement_level::must,
                 .tags = {"login", "tsih"}}) {
  auto o = ctx.normal_login();
  o.tsih = 0x7a5b;
  // The whole login, not only its first step: a target may refuse at any
  // Login Response, and one that accepts the first is judged on the rest
  // (taking an unknown TSIH into the Full Feature Phase is the real bug).
  auto* s = ctx.connect();
  if (!s) return ctx.setup_error();
  const auto out = login(*s, o);
  const auto at = "Login Response " + std::to_string(out.responses.size());
  if (out.ok())
    return verdict::fail("the login with the unknown TSIH 0x7a5b completed: " + at +
                         " took it into the Full Feature Phase (TSIH " + hex16(s->tsih()) + ")");
  if (out.how != login_ending::status) return unexpected(out.last, "a Login Response with status 0x020a");
  const auto status = static_cast<std::uint16_t>(out.status);
  if (status != static_cast<std::uint16_t>(pdu::login_status::session_does_not_exist))
    return verdict::fail("a non-zero TSIH for a new ISID was answered at " + at + " with " + hex16(status) +
                         ", not 0x020a");
  //= rfc7143#section-11.13.5
  //# If the Status-Class is not 0, the initiator and target MUST close the
  //# TCP connection.
  if (s->expect_close(s->times().wait).what == observed::timeout)
    return verdict::fail("status 0x020a but the target kept the connection open");
  return verdict::pass("refused at " + at);
}

//= rfc7143#section-11.13.7 type=test
//# A Login Response with
//# the C bit set to 1 MUST have the T bit set to 0.
TOUCHSTONE_CASE({.id = "login.continue.never-with-transit",
                 .title = "no Login Response has both C=1 and T=1",
                 .citations = {"rfc7143#section-11.13.7"},
                 .level = requirement_level::must,
                 .tags = {"login", "stages"}}) {
  auto* s = ctx.connect();
  if (!s) return ctx.setup_error();
  auto o = ctx.normal_login();
  const auto out = login(*s, o);
  // Every response that came is judged, also when the login then failed: an
  // engine that takes C=1 for "more text follows" cannot finish a login
  // whose response also carried T=1.
  for (const auto& p : out.responses) {
    const pdu::login_response_view v(p);
    if (v.continue_bit() && v.transit()) return verdict::fail("C=1 and T=1: " + describe(p));
  }
  if (!out.ok()) return verdict::error("login: " + out.summary());
  return verdict::pass();
}

//= rfc7143#section-11.13.5 type=test
//# If the Status-Class is not 0, the initiator and target MUST close the
//# TCP connection.
TOUCHSTONE_CASE({.id = "login.status.reject-closes-connection",
                 .title = "after a Login reject (unknown target) the target closes the connection",
                 .citations = {"rfc7143#section-11.13.5", "rfc7143#section-6.3.1"},
                 .level = requirement_level::must,
                 .tags = {"login", "status"}}) {
  auto o = ctx.normal_login();
  o.target_name = "iqn.2024-01.org.touchstone:no-such-target";
  const auto step = first_login_step(ctx, o);
  if (!step.s) return ctx.setup_error();
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() == 0) return verdict::error("the unknown target was accepted");
  const auto after = step.s->expect_close(step.s->times().wait);
  if (after.what == observed::timeout) return verdict::fail("the connection stays open after the reject");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
