// CHAP (RFC 7143 section 12.1.3, RFC 1994): the algorithm list and the
// target's challenge (CHAP_A, CHAP_I, CHAP_C), and the right answer to it.
#include "chap_helpers.hpp"

#include "touchstone/pdu/chap.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::conformance::cases {
namespace {

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
  return with_challenge(ctx, [&](const chap_challenge& c) {
    return chap_accepted(chap_reply(c, chap_answer(ctx, c)), "a correct CHAP response");
  });
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
  return with_challenge(ctx, [&](const chap_challenge& c) {
    if (find_value(c.answer.pairs(), "CHAP_A") != "5")
      return verdict::fail("CHAP_A=" + find_value(c.answer.pairs(), "CHAP_A").value_or("(absent)") + " for CHAP_A=5");
    return verdict::pass();
  });
}

//= rfc7143#section-12.1.3 type=test
//# where A is one of A1,A2... that were proposed by the initiator.
TOUCHSTONE_CASE({.id = "chap.a.chosen-from-list",
                 .title = "CHAP_A=7,5: the target answers one of 7 and 5, or refuses with 0x0201",
                 .citations = {"rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  return with_chap_offer(ctx, [&](const login_step& offer) {
    return chose_from(chap_algorithms(offer, "7,5"), {"7", "5"});
  });
}

//= rfc7143#section-12.1.3 type=test
//# where A is one of A1,A2... that were proposed by the initiator.
TOUCHSTONE_CASE({.id = "chap.a.md5-after-unassigned",
                 .title = "CHAP_A=200,201,5 (two unassigned first): the target answers one of them, or 0x0201",
                 .citations = {"rfc7143#section-12.1.3"},
                 .level = requirement_level::must,
                 .tags = {"chap", "login"},
                 .needs = {need::chap}}) {
  return with_chap_offer(ctx, [&](const login_step& offer) {
    return chose_from(chap_algorithms(offer, "200,201,5"), {"200", "201", "5"});
  });
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
  return with_chap_offer(ctx, [&](const login_step& offer) {
    return chose_from(chap_algorithms(offer, "200"), {"200"});
  });
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
  return with_challenge(ctx, [&](const chap_challenge& c) {
    if (c.challenge.empty() || c.challenge.size() > pdu::chap_max_binary_length)
      return verdict::fail("CHAP_C of " + std::to_string(c.challenge.size()) + " bytes");
    return verdict::pass(std::to_string(c.challenge.size()) + " bytes");
  });
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
  // Read here, not through with_challenge: its parse refuses a CHAP_C in any
  // other form first, and this case is the one that judges the form.
  return with_chap_offer(ctx, [&](const login_step& offer) {
    const auto answer = chap_algorithms(offer, "5");
    if (!answer.login_response() || answer.view().status_class() != 0)
      return verdict::error("CHAP_A=5 was answered " + answer.answer.describe());
    const auto text = find_value(answer.pairs(), "CHAP_C");
    if (!text) return verdict::error("the answer to CHAP_A=5 has no CHAP_C (chap.a.answer-carries-i-and-c judges that)");
    const auto prefix = text->substr(0, 2);
    if (prefix != "0x" && prefix != "0X" && prefix != "0b" && prefix != "0B")
      return verdict::fail("CHAP_C=" + *text + " is neither hex (0x) nor base64 (0b)");
    if (!pdu::parse_binary(*text, 64 * 1024))
      return verdict::fail("CHAP_C=" + *text + " is not a well-formed hex or base64 constant");
    return verdict::pass();
  });
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
  return with_challenge(ctx, [&](const chap_challenge& c) {
    return chap_accepted(chap_reply(c, chap_answer(ctx, c, chap_encoding::base64)), "a base64 CHAP_R");
  });
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
  return with_challenge(ctx, [&](const chap_challenge& c) {
    return chap_accepted(chap_reply(c, chap_answer(ctx, c, chap_encoding::hex_upper)), "an upper-case hex CHAP_R");
  });
}

}  // namespace
}  // namespace touchstone::conformance::cases
