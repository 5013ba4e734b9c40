// Mutual CHAP (RFC 7143 sections 12.1.3, 9.2.1): the target authenticates
// itself, and refuses wrong, reflected or malformed challenges.
#include "chap_helpers.hpp"

#include "touchstone/pdu/chap.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-12.1.3 type=test
//# Otherwise, if the
//# initiator required target authentication, the target MUST either
//# answer with a Login reject with "Authentication Failure" or reply
//# with:
//#
//#    CHAP_N=<N> CHAP_R=<R>
//= rfc7143#section-12.1 type=test
//# The initiator and target MUST implement CHAP.
TOUCHSTONE_CASE({.id = "chap.mutual.target-authenticates",
                 .title = "mutual CHAP: the target answers with its CHAP_N and the right CHAP_R",
                 .citations = {"rfc7143#section-12.1.3", "rfc1994#section-4.1", "rfc7143#section-12.1"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::mutual_chap}}) {
  return with_challenge(ctx, [&](const chap_challenge& c) {
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
  });
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
  return with_challenge(ctx, [&](const chap_challenge& c) {
    auto text = mutual_answer(ctx, c, 42, pattern(16, 99));
    text[1].value = pdu::encode_hex(pattern(16, 1));
    const auto step = chap_reply(c, text);
    if (step.login_response() && find_value(step.pairs(), "CHAP_R"))
      return verdict::fail("the target answered a failed initiator with its own CHAP_R");
    return expect_login_reject(step, "a wrong CHAP_R with a mutual challenge", {auth_failure});
  });
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
  return with_challenge(ctx, [&](const chap_challenge& c) {
    const auto step = chap_reply(c, mutual_answer(ctx, c, c.identifier, c.challenge));
    if (step.login_response() && find_value(step.pairs(), "CHAP_R"))
      return verdict::fail("the target answered its own reflected challenge with a CHAP_R");
    if (step.login_response() && step.view().status_class() == 0)
      return verdict::fail("the reflected challenge was accepted (status 0)");
    return expect_reject_or_close(step, "a reflected challenge", {auth_failure, initiator_error});
  });
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
  return with_challenge(ctx, [&](const chap_challenge& c) {
    const auto step = chap_reply(c, mutual_answer(ctx, c, 42, pattern(1025, 3)));
    if (step.login_response() && step.view().status_class() == 0)
      return verdict::fail("a 1025-byte CHAP_C was accepted");
    return expect_reject_or_close(step, "a 1025-byte CHAP_C", {initiator_error, auth_failure, missing_parameter});
  });
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
  return with_challenge(ctx, [&](const chap_challenge& c) {
    auto text = mutual_answer(ctx, c, 0, pattern(16, 5));
    text[2].value = "256";
    const auto step = chap_reply(c, text);
    if (step.login_response() && step.view().status_class() == 0)
      return verdict::fail("CHAP_I=256 was accepted");
    return expect_reject_or_close(step, "CHAP_I=256", {initiator_error, missing_parameter, auth_failure});
  });
}

}  // namespace
}  // namespace touchstone::conformance::cases
