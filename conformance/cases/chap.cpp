// CHAP (RFC 7143 sections 12.1.3, 9.2, 9.2.1; RFC 1994), step by step.
#include "chap_helpers.hpp"

#include "touchstone/pdu/chap.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::conformance::cases {
namespace {

// The answer to a correct CHAP_N/CHAP_R: status 0 and on to the next stage.
verdict accepted(const login_step& step, std::string_view what) {
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0)
    return verdict::fail(std::string(what) + " was refused with status " + hex16(step.status()));
  return verdict::pass();
}

// The CHAP_A the target chose is one we proposed, or it refused with 0x0201.
verdict chose_from(const login_step& step, std::initializer_list<std::string_view> proposed) {
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0) return expect_login_reject(step, "the CHAP_A list", {auth_failure});
  const auto chosen = find_value(step.pairs(), "CHAP_A");
  if (!chosen) return verdict::fail("the answer to CHAP_A has no CHAP_A");
  for (const auto p : proposed)
    if (*chosen == p) return verdict::pass("CHAP_A=" + *chosen);
  return verdict::fail("CHAP_A=" + *chosen + " is not one of the proposed algorithms");
}

// A binary value of `n` bytes, hex-encoded.
std::string long_binary(std::size_t n) { return pdu::encode_hex(pattern(n, 7)); }

//= rfc7143#section-12.1.3 type=test
//# The initiator MUST continue with:
//#
//#    CHAP_N=<N> CHAP_R=<R>
TOUCHSTONE_CASE({.id = "chap.one-way.accepted",
                 .title = "a correct CHAP_N/CHAP_R completes SecurityNegotiation",
                 .citations = {"rfc7143#section-12.1.3", "rfc1994#section-4.1"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  return accepted(chap_reply(c, chap_answer(ctx, c)), "a correct CHAP response");
}

//= rfc7143#section-12.1.3 type=test
//# The target MUST answer with a Login reject with the "Authentication
//# Failure" status or reply with:
//#
//#    CHAP_A=<A> CHAP_I=<I> CHAP_C=<C>
TOUCHSTONE_CASE({.id = "chap.a.answer-carries-i-and-c",
                 .title = "the answer to CHAP_A=5 carries CHAP_A=5, CHAP_I and CHAP_C",
                 .citations = {"rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  if (find_value(c.answer.pairs(), "CHAP_A") != "5")
    return verdict::fail("CHAP_A=" + find_value(c.answer.pairs(), "CHAP_A").value_or("(absent)") + " for CHAP_A=5");
  return verdict::pass();
}

//= rfc7143#section-12.1.3 type=test
//# where A is one of A1,A2... that were proposed by the initiator.
TOUCHSTONE_CASE({.id = "chap.a.chosen-from-list",
                 .title = "CHAP_A=7,5: the target answers one of 7 and 5, or refuses with 0x0201",
                 .citations = {"rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto offer = chap_offer(ctx);
  if (!offer.s) return ctx.setup_error();
  if (!offer.login_response() || offer.view().status_class() != 0)
    return verdict::error("AuthMethod=CHAP: " + offer.answer.describe());
  return chose_from(chap_algorithms(offer, "7,5"), {"7", "5"});
}

//= rfc7143#section-12.1.3 type=test
//# where A is one of A1,A2... that were proposed by the initiator.
TOUCHSTONE_CASE({.id = "chap.a.md5-after-unassigned",
                 .title = "CHAP_A=200,201,5 (two unassigned first): the target answers one of them, or 0x0201",
                 .citations = {"rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto offer = chap_offer(ctx);
  if (!offer.s) return ctx.setup_error();
  if (!offer.login_response() || offer.view().status_class() != 0)
    return verdict::error("AuthMethod=CHAP: " + offer.answer.describe());
  return chose_from(chap_algorithms(offer, "200,201,5"), {"200", "201", "5"});
}

//= rfc7143#section-12.1.3 type=test
//# The target MUST answer with a Login reject with the "Authentication
//# Failure" status or reply with:
TOUCHSTONE_CASE({.id = "chap.a.no-supported-algorithm",
                 .title = "CHAP_A=200 (unassigned) alone: a Login reject 0x0201 (no other answer can be right)",
                 .citations = {"rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto offer = chap_offer(ctx);
  if (!offer.s) return ctx.setup_error();
  if (!offer.login_response() || offer.view().status_class() != 0)
    return verdict::error("AuthMethod=CHAP: " + offer.answer.describe());
  return chose_from(chap_algorithms(offer, "200"), {"200"});
}

//= rfc7143#section-12.1.3 type=test
//# N is a text string; A,A1,A2, and I are numbers; C and R are
//# binary-values.
TOUCHSTONE_CASE({.id = "chap.i.is-a-byte",
                 .title = "CHAP_I is a number from 0 to 255",
                 .citations = {"rfc7143#section-12.1.3", "rfc1994#section-4.1"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;  // chap_until_challenge fails on an unparsable or >255 CHAP_I
  return verdict::pass("CHAP_I=" + std::to_string(c.identifier));
}

//= rfc7143#section-12.1.3 type=test
//# Their binary length (not the length of the character
//# string that represents them in encoded form) MUST NOT exceed
//# 1024 bytes.
TOUCHSTONE_CASE({.id = "chap.c.length",
                 .title = "CHAP_C is 1 to 1024 bytes long",
                 .citations = {"rfc7143#section-12.1.3", "rfc1994#section-4.1"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  if (c.challenge.empty() || c.challenge.size() > pdu::chap_max_binary_length)
    return verdict::fail("CHAP_C of " + std::to_string(c.challenge.size()) + " bytes");
  return verdict::pass(std::to_string(c.challenge.size()) + " bytes");
}

//= rfc7143#section-12.1.3 type=test
//# Hex or Base64 encoding may be used for C and R; see
//# Section 6.1.
TOUCHSTONE_CASE({.id = "chap.c.encoding",
                 .title = "CHAP_C is a hex-constant (0x) or base64-constant (0b)",
                 .citations = {"rfc7143#section-12.1.3", "rfc7143#section-6.1"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  const auto text = find_value(c.answer.pairs(), "CHAP_C").value_or("");
  const auto prefix = text.substr(0, 2);
  if (prefix != "0x" && prefix != "0X" && prefix != "0b" && prefix != "0B")
    return verdict::fail("CHAP_C=" + text + " is neither hex nor base64");
  return verdict::pass();
}

//= rfc7143#section-12.1.3 type=test
//# Hex or Base64 encoding may be used for C and R; see
//# Section 6.1.
TOUCHSTONE_CASE({.id = "chap.r.base64-accepted",
                 .title = "a correct CHAP_R sent as a base64-constant is accepted",
                 .citations = {"rfc7143#section-12.1.3", "rfc7143#section-6.1"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  return accepted(chap_reply(c, chap_answer(ctx, c, chap_encoding::base64)), "a base64 CHAP_R");
}

//= rfc7143#section-6.1 type=test
//# - hex-constant: A hexadecimal constant encoded as a string that
//# starts with "0x" or "0X" followed by one or more digits or the
//# letters a, b, c, d, e, f, A, B, C, D, E, or F.
TOUCHSTONE_CASE({.id = "chap.r.upper-case-hex-accepted",
                 .title = "a correct CHAP_R written 0X with upper-case digits is accepted",
                 .citations = {"rfc7143#section-6.1", "rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  return accepted(chap_reply(c, chap_answer(ctx, c, chap_encoding::hex_upper)), "an upper-case hex CHAP_R");
}

//= rfc7143#section-12.1.3 type=test
//# If the initiator authentication fails, the target MUST answer with a
//# Login reject with "Authentication Failure" status.
TOUCHSTONE_CASE({.id = "chap.r.wrong",
                 .title = "a wrong CHAP_R is a Login reject 0x0201, then the close",
                 .citations = {"rfc7143#section-12.1.3", "rfc7143#section-9.2", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  auto text = chap_answer(ctx, c);
  text[1].value = pdu::encode_hex(chap_md5(ctx.target().chap->secret + "x", c.identifier, c.challenge));
  return expect_login_reject(chap_reply(c, text), "a wrong CHAP_R", {auth_failure});
}

//= rfc7143#section-9.2 type=test
//# These statuses are not intended for
//# cryptographically incorrect values such as the CHAP response, for
//# which the "Authentication Failure" status MUST be specified.
TOUCHSTONE_CASE({.id = "chap.r.wrong-identifier",
                 .title = "a CHAP_R computed with another identifier is a Login reject 0x0201",
                 .citations = {"rfc7143#section-9.2", "rfc1994#section-4.1"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  auto text = chap_answer(ctx, c);
  text[1].value = pdu::encode_hex(
      chap_md5(ctx.target().chap->secret, static_cast<std::uint8_t>(c.identifier + 1), c.challenge));
  return expect_login_reject(chap_reply(c, text), "a CHAP_R for another identifier", {auth_failure});
}

//= rfc7143#section-9.2 type=test
//# Whenever an iSCSI target gets a request or response whose keys, or
//# their values, are not according to the step definition, it MUST
//# answer with a Login reject with the "Initiator Error" or "Missing
//# Parameter" status.  These statuses are not intended for
//# cryptographically incorrect values such as the CHAP response, for
//# which the "Authentication Failure" status MUST be specified.
TOUCHSTONE_CASE({.id = "chap.r.truncated",
                 .title = "an 8-byte CHAP_R (MD5 gives 16) is refused with 0x0201 or 0x0200",
                 .citations = {"rfc7143#section-9.2", "rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  auto text = chap_answer(ctx, c);
  text[1].value = text[1].value.substr(0, 2 + 16);
  return expect_login_reject(chap_reply(c, text), "a truncated CHAP_R", {auth_failure, initiator_error});
}

//= rfc7143#section-9.2 type=test
//# In CHAP, this is prevented
//# because the target must answer the missing CHAP_R key with a
//# Login reject with the "Missing Parameter" status.
TOUCHSTONE_CASE({.id = "chap.r.missing",
                 .title = "CHAP_N without CHAP_R is a Login reject 0x0207 (or 0x0200)",
                 .citations = {"rfc7143#section-9.2", "rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  auto text = chap_answer(ctx, c);
  text.pop_back();
  return expect_login_reject(chap_reply(c, text), "CHAP_N alone", {missing_parameter, initiator_error});
}

//= rfc7143#section-9.2 type=test
//# Whenever an iSCSI target gets a request or response whose keys, or
//# their values, are not according to the step definition, it MUST
//# answer with a Login reject with the "Initiator Error" or "Missing
//# Parameter" status.
TOUCHSTONE_CASE({.id = "chap.n.missing",
                 .title = "CHAP_R without CHAP_N is a Login reject 0x0207 or 0x0200",
                 .citations = {"rfc7143#section-9.2", "rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  auto text = chap_answer(ctx, c);
  text.erase(text.begin());
  return expect_login_reject(chap_reply(c, text), "CHAP_R without CHAP_N", {missing_parameter, initiator_error});
}

//= rfc7143#section-12.1.3 type=test
//# If the initiator authentication fails, the target MUST answer with a
//# Login reject with "Authentication Failure" status.
TOUCHSTONE_CASE({.id = "chap.n.unknown-name",
                 .title = "an unknown CHAP_N with the right secret's response fails authentication (0x0201)",
                 .citations = {"rfc7143#section-12.1.3", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  auto text = chap_answer(ctx, c);
  text[0].value = "touchstone-no-such-user";
  return expect_login_reject(chap_reply(c, text), "an unknown CHAP_N", {auth_failure, authz_failure});
}

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
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  return expect_login_reject(chap_reply(c, {}), "T=1 with no CHAP response",
                             {missing_parameter, initiator_error, auth_failure});
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
  const auto offer = chap_offer(ctx);
  if (!offer.s) return ctx.setup_error();
  if (!offer.login_response() || offer.view().status_class() != 0)
    return verdict::error("AuthMethod=CHAP: " + offer.answer.describe());
  const auto step = next_login_step(*offer.s, offer, pdu::login_stage::security_negotiation, false,
                                    pdu::login_stage::security_negotiation,
                                    {{"CHAP_A", "5"},
                                     {"CHAP_N", ctx.target().chap->user},
                                     {"CHAP_R", pdu::encode_hex(pattern(16))}});
  return expect_login_reject(step, "CHAP_R before the challenge", {initiator_error, missing_parameter, auth_failure});
}

//= rfc7143#section-12.1.3 type=test
//# Their binary length (not the length of the character
//# string that represents them in encoded form) MUST NOT exceed
//# 1024 bytes.
TOUCHSTONE_CASE({.id = "chap.r.over-long",
                 .title = "a CHAP_R of 1025 bytes is refused (class 2) or the connection closed",
                 .citations = {"rfc7143#section-12.1.3", "rfc7143#section-9.2"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  auto text = chap_answer(ctx, c);
  text[1].value = long_binary(1025);
  return expect_reject_or_close(chap_reply(c, text), "a 1025-byte CHAP_R",
                                {initiator_error, auth_failure, missing_parameter});
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
  const auto step = first_login_step(ctx, o);  // AuthMethod=None, T=1 to Operational
  if (!step.s) return ctx.setup_error();
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0) return expect_login_reject(step, "AuthMethod=None", {auth_failure});
  if (step.view().transit()) return verdict::fail("AuthMethod=None was accepted: the target lets the login leave SecurityNegotiation");
  // A negotiation answer (AuthMethod=Reject): asking again to move on must fail.
  const auto again = next_login_step(*step.s, step, pdu::login_stage::security_negotiation, true,
                                     pdu::login_stage::operational_negotiation, {});
  if (again.login_response() && again.view().status_class() == 0 && again.view().transit())
    return verdict::fail("after AuthMethod=" + find_value(step.pairs(), "AuthMethod").value_or("?") +
                         " the target lets the login leave SecurityNegotiation unauthenticated");
  return expect_reject_or_close(again, "moving on without authentication", {auth_failure, initiator_error});
}

// Mutual CHAP: the initiator's CHAP_I/CHAP_C after its CHAP_N/CHAP_R.
pdu::text_pairs mutual_answer(const case_context& ctx, const chap_challenge& c, std::uint8_t id,
                              const pdu::byte_buffer& challenge) {
  auto text = chap_answer(ctx, c);
  text.push_back({"CHAP_I", std::to_string(id)});
  text.push_back({"CHAP_C", pdu::encode_hex(challenge)});
  return text;
}

//= rfc7143#section-12.1.3 type=test
//# Otherwise, if the
//# initiator required target authentication, the target MUST either
//# answer with a Login reject with "Authentication Failure" or reply
//# with:
//#
//#    CHAP_N=<N> CHAP_R=<R>
TOUCHSTONE_CASE({.id = "chap.mutual.target-authenticates",
                 .title = "mutual CHAP: the target answers with its CHAP_N and the right CHAP_R",
                 .citations = {"rfc7143#section-12.1.3", "rfc1994#section-4.1"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::mutual_chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  const auto challenge = pattern(16, 99);
  const auto step = chap_reply(c, mutual_answer(ctx, c, 42, challenge));
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0)
    return expect_login_reject(step, "a mutual CHAP request", {auth_failure});
  const auto& creds = *ctx.target().chap;
  const auto name = find_value(step.pairs(), "CHAP_N");
  const auto response = find_value(step.pairs(), "CHAP_R");
  if (!name || !response) return verdict::fail("the target's answer lacks CHAP_N or CHAP_R");
  if (*name != creds.target_user) return verdict::fail("CHAP_N=" + *name + ", expected " + creds.target_user);
  const auto got = pdu::parse_chap_binary(*response);
  if (!got || *got != chap_md5(creds.target_secret, 42, challenge))
    return verdict::fail("the target's CHAP_R=" + *response + " is not the response to our challenge");
  return verdict::pass();
}

//= rfc7143#section-12.1.3 type=test
//# If the initiator authentication fails, the target MUST answer with a
//# Login reject with "Authentication Failure" status.
TOUCHSTONE_CASE({.id = "chap.mutual.initiator-wrong",
                 .title = "mutual CHAP with a wrong initiator CHAP_R: 0x0201 and no target response given away",
                 .citations = {"rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::mutual_chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  auto text = mutual_answer(ctx, c, 42, pattern(16, 99));
  text[1].value = pdu::encode_hex(pattern(16, 1));
  const auto step = chap_reply(c, text);
  if (step.login_response() && find_value(step.pairs(), "CHAP_R"))
    return verdict::fail("the target answered a failed initiator with its own CHAP_R");
  return expect_login_reject(step, "a wrong CHAP_R with a mutual challenge", {auth_failure});
}

//= rfc7143#section-9.2.1 type=test
//# Originators MUST NOT reuse the CHAP challenge sent by the responder
//# for the other direction of a bidirectional authentication.
//# Responders MUST check for this condition and close the iSCSI TCP
//# connection if it occurs.
TOUCHSTONE_CASE({.id = "chap.mutual.reflected-challenge",
                 .title = "mutual CHAP reflecting the target's own challenge: the target closes the connection",
                 .citations = {"rfc7143#section-9.2.1"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login", "security"},
                 .needs = {need::mutual_chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  const auto step = chap_reply(c, mutual_answer(ctx, c, c.identifier, c.challenge));
  if (step.login_response() && find_value(step.pairs(), "CHAP_R"))
    return verdict::fail("the target answered its own reflected challenge with a CHAP_R");
  if (step.login_response() && step.view().status_class() == 0)
    return verdict::fail("the reflected challenge was accepted (status 0)");
  return expect_reject_or_close(step, "a reflected challenge", {auth_failure, initiator_error});
}

//= rfc7143#section-12.1.3 type=test
//# Their binary length (not the length of the character
//# string that represents them in encoded form) MUST NOT exceed
//# 1024 bytes.
TOUCHSTONE_CASE({.id = "chap.mutual.over-long-challenge",
                 .title = "mutual CHAP with a 1025-byte CHAP_C is refused (class 2) or the connection closed",
                 .citations = {"rfc7143#section-12.1.3", "rfc7143#section-9.2"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::mutual_chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  const auto step = chap_reply(c, mutual_answer(ctx, c, 42, pattern(1025, 3)));
  if (step.login_response() && step.view().status_class() == 0)
    return verdict::fail("a 1025-byte CHAP_C was accepted");
  return expect_reject_or_close(step, "a 1025-byte CHAP_C", {initiator_error, auth_failure, missing_parameter});
}

//= rfc7143#section-12.1.3 type=test
//# N is a text string; A,A1,A2, and I are numbers; C and R are
//# binary-values.
//= rfc7143#section-9.2 type=test
//# Whenever an iSCSI target gets a request or response whose keys, or
//# their values, are not according to the step definition, it MUST
//# answer with a Login reject with the "Initiator Error" or "Missing
//# Parameter" status.
TOUCHSTONE_CASE({.id = "chap.mutual.identifier-out-of-range",
                 .title = "mutual CHAP with CHAP_I=256 (not an identifier byte) is refused",
                 .citations = {"rfc7143#section-12.1.3", "rfc7143#section-9.2", "rfc1994#section-4.1"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::mutual_chap}}) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  auto text = mutual_answer(ctx, c, 0, pattern(16, 5));
  text[2].value = "256";
  const auto step = chap_reply(c, text);
  if (step.login_response() && step.view().status_class() == 0)
    return verdict::fail("CHAP_I=256 was accepted");
  return expect_reject_or_close(step, "CHAP_I=256", {initiator_error, missing_parameter, auth_failure});
}

}  // namespace
}  // namespace touchstone::conformance::cases
