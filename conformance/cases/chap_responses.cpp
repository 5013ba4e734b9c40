// CHAP (RFC 7143 sections 12.1.3, 9.2, 6.3.1): wrong, missing and
// malformed answers to the target's challenge, steps out of order, and a
// target requiring CHAP offered none.
#include "chap_helpers.hpp"

#include "touchstone/pdu/text_values.hpp"

namespace touchstone::conformance::cases {
namespace {

// The cases that send the right CHAP_N/CHAP_R changed one way: they differ
// only in the change and in the statuses the target may refuse it with.
struct refused_answer {
  case_info info;
  void (*edit)(const case_context& ctx, pdu::text_pairs& text, const chap_challenge& c);
  std::string_view provoked;
  std::initializer_list<std::uint16_t> allowed;
  bool close_allowed = false;
};

const refused_answer refused_answers[] = {
    //= rfc7143#section-12.1.3 type=test
    //# If the initiator authentication fails, the target MUST answer with a
    //# Login reject with "Authentication Failure" status.
    {.info = {.id = "chap.r.wrong",
              .title = "a wrong CHAP_R is a Login reject 0x0201, then the close",
              .citations = {"rfc7143#section-12.1.3", "rfc7143#section-9.2", "rfc7143#section-11.13.5"},
              .level = requirement_level::must,
              .tags = {"chap", "login"},
              .needs = {need::chap}},
     .edit =
         [](const case_context& ctx, pdu::text_pairs& text, const chap_challenge& c) {
           text[1].value = pdu::encode_hex(chap_md5(ctx.target().chap->secret + "x", c.identifier, c.challenge));
         },
     .provoked = "a wrong CHAP_R",
     .allowed = {auth_failure}},
    //= rfc7143#section-9.2 type=test
    //# These statuses are not intended for
    //# cryptographically incorrect values such as the CHAP response, for
    //# which the "Authentication Failure" status MUST be specified.
    {.info = {.id = "chap.r.wrong-identifier",
              .title = "a CHAP_R computed with another identifier is a Login reject 0x0201",
              .citations = {"rfc7143#section-9.2", "rfc1994#section-4.1"},
              .level = requirement_level::must,
              .tags = {"chap", "login"},
              .needs = {need::chap}},
     .edit =
         [](const case_context& ctx, pdu::text_pairs& text, const chap_challenge& c) {
           text[1].value = pdu::encode_hex(
               chap_md5(ctx.target().chap->secret, static_cast<std::uint8_t>(c.identifier + 1), c.challenge));
         },
     .provoked = "a CHAP_R for another identifier",
     .allowed = {auth_failure}},
    //= rfc7143#section-9.2 type=test
    //# Whenever an iSCSI target gets a request or response whose keys, or
    //# their values, are not according to the step definition, it MUST
    //# answer with a Login reject with the "Initiator Error" or "Missing
    //# Parameter" status.  These statuses are not intended for
    //# cryptographically incorrect values such as the CHAP response, for
    //# which the "Authentication Failure" status MUST be specified.
    {.info = {.id = "chap.r.truncated",
              .title = "an 8-byte CHAP_R (MD5 gives 16) is refused with 0x0201 or 0x0200",
              .citations = {"rfc7143#section-9.2", "rfc7143#section-12.1.3"},
              .level = requirement_level::must,
              .tags = {"chap", "login"},
              .needs = {need::chap}},
     .edit = [](const case_context&, pdu::text_pairs& text,
                const chap_challenge&) { text[1].value = text[1].value.substr(0, 2 + 16); },
     .provoked = "a truncated CHAP_R",
     .allowed = {auth_failure, initiator_error}},
    //= rfc7143#section-9.2 type=test
    //# In CHAP, this is prevented
    //# because the target must answer the missing CHAP_R key with a
    //# Login reject with the "Missing Parameter" status.
    {.info = {.id = "chap.r.missing",
              .title = "CHAP_N without CHAP_R is a Login reject 0x0207 (or 0x0200)",
              .citations = {"rfc7143#section-9.2", "rfc7143#section-12.1.3"},
              .level = requirement_level::must,
              .tags = {"chap", "login"},
              .needs = {need::chap}},
     .edit = [](const case_context&, pdu::text_pairs& text, const chap_challenge&) { text.pop_back(); },
     .provoked = "CHAP_N alone",
     .allowed = {missing_parameter, initiator_error}},
    //= rfc7143#section-12.1.3 type=test
    //# Their binary length (not the length of the character
    //# string that represents them in encoded form) MUST NOT exceed
    //# 1024 bytes.
    {.info = {.id = "chap.r.over-long",
              .title = "a CHAP_R of 1025 bytes is refused (class 2) or the connection closed",
              .citations = {"rfc7143#section-12.1.3", "rfc7143#section-9.2"},
              .level = requirement_level::must,
              .tags = {"chap", "login"},
              .needs = {need::chap}},
     .edit = [](const case_context&, pdu::text_pairs& text,
                const chap_challenge&) { text[1].value = pdu::encode_hex(pattern(1025, 7)); },
     .provoked = "a 1025-byte CHAP_R",
     .allowed = {initiator_error, auth_failure, missing_parameter},
     .close_allowed = true},
    //= rfc7143#section-9.2 type=test
    //# Whenever an iSCSI target gets a request or response whose keys, or
    //# their values, are not according to the step definition, it MUST
    //# answer with a Login reject with the "Initiator Error" or "Missing
    //# Parameter" status.
    {.info = {.id = "chap.n.missing",
              .title = "CHAP_R without CHAP_N is a Login reject 0x0207 or 0x0200",
              .citations = {"rfc7143#section-9.2", "rfc7143#section-12.1.3"},
              .level = requirement_level::must,
              .tags = {"chap", "login"},
              .needs = {need::chap}},
     .edit = [](const case_context&, pdu::text_pairs& text, const chap_challenge&) { text.erase(text.begin()); },
     .provoked = "CHAP_R without CHAP_N",
     .allowed = {missing_parameter, initiator_error}},
    //= rfc7143#section-12.1.3 type=test
    //# If the initiator authentication fails, the target MUST answer with a
    //# Login reject with "Authentication Failure" status.
    {.info = {.id = "chap.n.unknown-name",
              .title = "an unknown CHAP_N with the right secret's response fails authentication (0x0201)",
              .citations = {"rfc7143#section-12.1.3", "rfc7143#section-11.13.5"},
              .level = requirement_level::must,
              .tags = {"chap", "login"},
              .needs = {need::chap}},
     .edit = [](const case_context&, pdu::text_pairs& text,
                const chap_challenge&) { text[0].value = "touchstone-no-such-user"; },
     .provoked = "an unknown CHAP_N",
     .allowed = {auth_failure, authz_failure}},
};

verdict run_refused_answer(case_context& ctx, const refused_answer& row) {
  return refuses_answer(
      ctx, [&](pdu::text_pairs& text, const chap_challenge& c) { row.edit(ctx, text, c); }, row.provoked,
      row.allowed, row.close_allowed);
}

TOUCHSTONE_CASE_TABLE(refused_answers, run_refused_answer);

//= rfc7143#section-9.2 type=test
//# Whenever an iSCSI target gets a request or response whose keys, or
//# their values, are not according to the step definition, it MUST
//# answer with a Login reject with the "Initiator Error" or "Missing
//# Parameter" status.
TOUCHSTONE_CASE({.id = "chap.step.transit-without-response",
                 .title = "asking to leave SecurityNegotiation after the challenge without CHAP_N/CHAP_R is refused",
                 .citations = {"rfc7143#section-9.2", "rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  return with_challenge(ctx, [](const chap_challenge& c) {
    return expect_login_reject(chap_reply(c, {}), "T=1 with no CHAP response",
                               {missing_parameter, initiator_error, auth_failure});
  });
}

//= rfc7143#section-9.2 type=test
//# Whenever an iSCSI target gets a request or response whose keys, or
//# their values, are not according to the step definition, it MUST
//# answer with a Login reject with the "Initiator Error" or "Missing
//# Parameter" status.
TOUCHSTONE_CASE({.id = "chap.step.response-before-challenge",
                 .title = "CHAP_N/CHAP_R sent with CHAP_A, before any challenge, is refused (0x0200 or 0x0207)",
                 .citations = {"rfc7143#section-9.2", "rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  return with_chap_offer(ctx, [&](const login_step& offer) {
    const auto step = next_login_step(*offer.s, offer, pdu::login_stage::security_negotiation, false,
                                      pdu::login_stage::security_negotiation,
                                      {{"CHAP_A", "5"},
                                       {"CHAP_N", ctx.target().chap->user},
                                       {"CHAP_R", pdu::encode_hex(pattern(16))}});
    return expect_login_reject(step, "CHAP_R before the challenge",
                               {initiator_error, missing_parameter, auth_failure});
  });
}

//= rfc7143#section-6.3.1 type=test
//# If the initiator decides to forego the SecurityNegotiation stage, it
//# issues the Login with the CSG set to LoginOperationalNegotiation, and
//# the target may reply with a Login Response that indicates that it is
//# unwilling to accept the connection (see Section 11.13) without
//# SecurityNegotiation and will terminate the connection with a response
//# of Authentication failure (see Section 11.13.5).
TOUCHSTONE_CASE({.id = "chap.required.security-stage-skipped",
                 .title = "a target requiring CHAP refuses a login that starts in the operational stage (0x0201)",
                 .citations = {"rfc7143#section-6.3.1", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  auto o = ctx.normal_login();
  o.chap.reset();
  const auto step = first_login_step(ctx, o, [](auto& b, auto& text) {
    b.csg(pdu::login_stage::operational_negotiation).transit_to(pdu::login_stage::full_feature_phase);
    std::erase_if(text, [](const auto& kv) { return kv.key == "AuthMethod"; });
  });
  return expect_login_reject(step, "skipping SecurityNegotiation", {auth_failure});
}

//= rfc7143#section-12.1 type=test
//# The authentication exchange authenticates the initiator to the target
//# and, optionally, the target to the initiator.  Authentication is
//# OPTIONAL to use but MUST be supported by the target and initiator.
//= rfc7143#section-6.3.1 type=test
//# the target may reply with a Login Response that indicates that it is
//# unwilling to accept the connection (see Section 11.13) without
//# SecurityNegotiation and will terminate the connection with a response
//# of Authentication failure (see Section 11.13.5).
TOUCHSTONE_CASE({.id = "chap.required.none-offered",
                 .title = "a target requiring CHAP never lets AuthMethod=None through to the next stage",
                 .citations = {"rfc7143#section-12.1", "rfc7143#section-6.3.1", "rfc7143#section-6.2"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  auto o = ctx.normal_login();
  o.chap.reset();
  return unauthenticated_refused(ctx, o);
}

}  // namespace
}  // namespace touchstone::conformance::cases
