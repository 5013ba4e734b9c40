// Login steps in the wrong order, keys renegotiated or redeclared, reserved
// constants offered as values, and Full Feature requests sent during login
// (RFC 7143 sections 6.2, 6.3, 4.2.4, 11.12.3, 13.4).
#include <functional>
#include <optional>

#include "login_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A first Login Request in the operational stage with T=0: the login is
// under way and stays in LoginOperationalNegotiation. Its answer must be a
// status-0 Login Response (else `problem` holds the case's verdict).
struct operational_start {
  login_step first;
  std::optional<verdict> problem;
};

operational_start start_operational(case_context& ctx, const pdu::text_pairs& extra = {}) {
  operational_start o;
  o.first = first_login_step(ctx, ctx.normal_login(), [&](auto& b, auto& text) {
    b.csg(pdu::login_stage::operational_negotiation).transit(false).nsg(pdu::login_stage::security_negotiation);
    std::erase_if(text, [](const auto& kv) { return kv.key == "AuthMethod"; });
    text.insert(text.end(), extra.begin(), extra.end());
  });
  if (!o.first.s) o.problem = ctx.setup_error();
  else if (!o.first.login_response() || o.first.view().status_class() != 0)
    o.problem = verdict::error("the first operational Login Request: " + o.first.answer.describe());
  return o;
}

// Pass on a class-2 Login reject followed by the close, or on the close alone.
verdict refused(const login_step& step, std::string_view provoked) {
  if (!step.s) return verdict::error("cannot connect");
  if (step.answer.what == observed::closed) return verdict::pass("the target closed the connection");
  return expect_initiator_error(step, provoked);
}

//= rfc7143#section-6.3 type=test
//# Stage transitions during login (including entering and exit) are only
//# possible as outlined in the following table:
//= rfc7143#section-11.12.3 type=test
//# 3 - FullFeaturePhase
//= rfc7143#section-6.3 type=test
//# The Login Phase MAY include a SecurityNegotiation stage and a LoginOperationalNegotiation stage
//# and MUST include at least one of them
TOUCHSTONE_CASE({.id = "login.stage.start-in-full-feature",
                 .title = "a first Login Request with CSG=FullFeaturePhase is refused (class 2 or the close)",
                 .citations = {"rfc7143#section-6.3", "rfc7143#section-11.12.3"},
                 .level = requirement_level::must,
                 .tags = {"login", "stage", "order"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login(), [](auto& b, auto& text) {
    b.csg(pdu::login_stage::full_feature_phase).transit_to(pdu::login_stage::full_feature_phase);
    std::erase_if(text, [](const auto& kv) { return kv.key == "AuthMethod"; });
  });
  return refused(step, "CSG=FullFeaturePhase in the first Login Request");
}

//= rfc7143#section-6.3 type=test
//# Stage transitions during login (including entering and exit) are only
//# possible as outlined in the following table:
//= rfc7143#section-6.3 type=test
//# If both stages are used, the SecurityNegotiation MUST precede the LoginOperationalNegotiation.
TOUCHSTONE_CASE({.id = "login.stage.operational-back-to-security",
                 .title = "after an operational step, a Login Request with CSG=SecurityNegotiation is refused",
                 .citations = {"rfc7143#section-6.3"},
                 .level = requirement_level::must,
                 .tags = {"login", "stage", "order"}}) {
  const auto start = start_operational(ctx);
  if (start.problem) return *start.problem;
  const auto step = next_login_step(*start.first.s, start.first, pdu::login_stage::security_negotiation, true,
                                    pdu::login_stage::operational_negotiation, {{"AuthMethod", "None"}});
  return refused(step, "going back to SecurityNegotiation");
}

//= rfc7143#section-11.12.3 type=test
//# The stage codes are:
//#
//#    0 - SecurityNegotiation
//#
//#    1 - LoginOperationalNegotiation
//#
//#    3 - FullFeaturePhase
//#
//# All other codes are reserved.
TOUCHSTONE_CASE({.id = "login.stage.reserved-nsg",
                 .title = "T=1 with the reserved NSG 2 is refused (class 2 or the close), never a transit",
                 .citations = {"rfc7143#section-11.12.3", "rfc7143#section-6.3"},
                 .level = requirement_level::must,
                 .tags = {"login", "stage", "order"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login(), [](auto& b, auto& text) {
    b.csg(pdu::login_stage::operational_negotiation).transit(true).raw_nsg(2);
    std::erase_if(text, [](const auto& kv) { return kv.key == "AuthMethod"; });
  });
  if (step.login_response() && step.view().status_class() == 0 && step.view().transit())
    return verdict::fail("the target made a transit to stage " +
                         std::to_string(static_cast<int>(step.view().nsg())) + " on NSG 2");
  if (step.login_response() && step.view().status_class() == 0)
    return verdict::pass("answered without a transit");
  return refused(step, "NSG 2");
}

//= rfc7143#section-6.3 type=test
//# An attempt to
//# renegotiate/redeclare parameters not specifically allowed MUST be
//# detected by the initiator and target.  If such an attempt is detected
//# by the target, the target MUST respond with a Login reject (initiator
//# error);
TOUCHSTONE_CASE({.id = "login.keys.renegotiated-in-next-request",
                 .title = "MaxBurstLength negotiated, then offered again in the next Login Request: Login reject 0x0200",
                 .citations = {"rfc7143#section-6.3"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "order"}}) {
  const auto start = start_operational(ctx, {{"MaxBurstLength", "65536"}});
  if (start.problem) return *start.problem;
  if (!find_value(start.first.pairs(), "MaxBurstLength"))
    return verdict::error("MaxBurstLength was not answered in the first step");
  const auto step = next_login_step(*start.first.s, start.first, pdu::login_stage::operational_negotiation, true,
                                    pdu::login_stage::full_feature_phase, {{"MaxBurstLength", "32768"}});
  return expect_initiator_error(step, "MaxBurstLength renegotiated");
}

//= rfc7143#section-13.4 type=test
//# The TargetName MUST NOT be redeclared within the Login Phase.
//= rfc7143#section-6.3 type=test
//# If such an attempt is detected
//# by the target, the target MUST respond with a Login reject (initiator
//# error);
TOUCHSTONE_CASE({.id = "login.keys.target-name-redeclared",
                 .title = "TargetName declared again in a later Login Request is a Login reject (class 2)",
                 .citations = {"rfc7143#section-13.4", "rfc7143#section-6.3"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "order"}}) {
  const auto start = start_operational(ctx);
  if (start.problem) return *start.problem;
  const auto step = next_login_step(*start.first.s, start.first, pdu::login_stage::operational_negotiation, true,
                                    pdu::login_stage::full_feature_phase, {{"TargetName", ctx.target().target_name}});
  return expect_initiator_error(step, "TargetName redeclared");
}

// A reserved constant offered as a value: the login must not complete.
verdict reserved_constant_offered(case_context& ctx, std::string_view key, std::string_view constant) {
  const auto out = login_offering(ctx, {{std::string(key), std::string(constant)}});
  const auto offer = std::string(key) + "=" + std::string(constant);
  if (out.ok()) return verdict::fail("the login succeeded with " + offer + " offered");
  if (out.how == login_ending::status || out.how == login_ending::transport) return verdict::pass(out.summary());
  return verdict::fail("the login ended: " + out.summary());
}

//= rfc7143#section-6.2 type=test
//# The constants "None", "Reject", "Irrelevant", and "NotUnderstood" are
//# reserved and MUST ONLY be used as described here.  Violation of this
//# rule is a protocol error (in particular, the use of "Reject",
//# "Irrelevant", and "NotUnderstood" as proposed values).
TOUCHSTONE_CASE({.id = "login.keys.irrelevant-as-offer",
                 .title = "a key offered with the value Irrelevant is a protocol error: the login fails",
                 .citations = {"rfc7143#section-6.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys"}}) {
  return reserved_constant_offered(ctx, "ImmediateData", "Irrelevant");
}

//= rfc7143#section-6.2 type=test
//# The constants "None", "Reject", "Irrelevant", and "NotUnderstood" are
//# reserved and MUST ONLY be used as described here.  Violation of this
//# rule is a protocol error (in particular, the use of "Reject",
//# "Irrelevant", and "NotUnderstood" as proposed values).
TOUCHSTONE_CASE({.id = "login.keys.not-understood-as-offer",
                 .title = "a standard key offered with the value NotUnderstood is a protocol error: the login fails",
                 .citations = {"rfc7143#section-6.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys"}}) {
  return reserved_constant_offered(ctx, "MaxBurstLength", "NotUnderstood");
}

// A Full Feature request sent after the first Login Response: 0x020b.
verdict invalid_during_login(case_context& ctx, const std::function<pdu::pdu(session&)>& make,
                             std::string_view what) {
  const auto start = start_operational(ctx);
  if (start.problem) return *start.problem;
  login_step step;
  step.s = start.first.s;
  step.request = make(*step.s);
  if (step.s->send(step.request)) return ctx.error_after("sending", *step.s);
  step.answer = step.s->expect_pdu();
  return expect_initiator_error(step, what, static_cast<std::uint16_t>(pdu::login_status::invalid_during_login));
}

//= rfc7143#section-4.2.4 type=test
//# Once the Login Phase has started, if the
//# target receives any PDU except a Login Request, it MUST send a Login
//# reject (with Status "invalid during login") and then disconnect.
TOUCHSTONE_CASE({.id = "login.phase.scsi-command-during-login",
                 .title = "a SCSI Command in the middle of the Login Phase: Login reject 0x020b, then the close",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "phase"}}) {
  return invalid_during_login(
      ctx,
      [&](session& s) {
        return command_for(s, unit_ready_request(ctx)).build();
      },
      "a SCSI Command during login");
}

//= rfc7143#section-4.2.4 type=test
//# Once the Login Phase has started, if the
//# target receives any PDU except a Login Request, it MUST send a Login
//# reject (with Status "invalid during login") and then disconnect.
TOUCHSTONE_CASE({.id = "login.phase.logout-during-login",
                 .title = "a Logout Request in the middle of the Login Phase: Login reject 0x020b, then the close",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "phase", "logout"}}) {
  return invalid_during_login(
      ctx,
      [](session& s) {
        return pdu::logout_request_builder{}
            .reason(pdu::logout_reason::close_session)
            .initiator_task_tag(s.next_itt())
            .cmd_sn(1)
            .exp_stat_sn(s.exp_stat_sn())
            .build();
      },
      "a Logout Request during login");
}

}  // namespace
}  // namespace touchstone::conformance::cases
