// Section 13 keys offered with values outside their ranges, declarations,
// and a large negotiation (RFC 7143 sections 6.1, 6.2, 7.12, 13).
#include <functional>

#include "login_helpers.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::conformance::cases {
namespace {

// One operational Login Request (T=1 to Full Feature) offering key=value.
login_step offer_once(case_context& ctx, std::string_view key, std::string_view value) {
  return first_login_step(ctx, ctx.normal_login(), [&](auto& b, auto& text) {
    b.csg(pdu::login_stage::operational_negotiation).transit_to(pdu::login_stage::full_feature_phase);
    std::erase_if(text, [](const auto& kv) { return kv.key == "AuthMethod"; });
    text.push_back({std::string(key), std::string(value)});
  });
}

// Section 6.2: an inadmissible offer is answered Reject or an admissible
// value; section 7.12 a): or the login fails with a Login reject.
verdict inadmissible_offer(case_context& ctx, std::string_view key, std::string_view value,
                           const std::function<bool(std::string_view)>& admissible) {
  const auto step = offer_once(ctx, key, value);
  if (!step.s) return ctx.setup_error();
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0) return expect_initiator_error(step, std::string(key) + "=" + std::string(value));
  const auto answer = find_value(step.pairs(), key);
  if (!answer) return verdict::fail(std::string(key) + "=" + std::string(value) + " was not answered");
  if (*answer == "Reject") return verdict::pass("answered Reject");
  if (admissible && admissible(*answer)) return verdict::pass("answered an admissible " + *answer);
  return verdict::fail(std::string(key) + "=" + std::string(value) + " was answered " + *answer +
                       ": neither Reject nor an admissible value");
}

std::function<bool(std::string_view)> number_in(std::uint64_t low, std::uint64_t high) {
  return [=](std::string_view v) { return static_cast<bool>(pdu::parse_number_in(v, low, high)); };
}

//= rfc7143#section-6.2.2 type=test
//# Proposing a value not admissible (e.g., not within the specified
//# bounds) MAY be answered with the constant "Reject"; otherwise, the
//# acceptor MUST select an admissible value.
TOUCHSTONE_CASE({.id = "login.range.max-burst-too-large",
                 .title = "MaxBurstLength=16777216 (above 2**24-1): Reject, an admissible value, or a Login reject",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.13", "rfc7143#section-7.12"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "range"}}) {
  return inadmissible_offer(ctx, "MaxBurstLength", "16777216", number_in(512, 16777215));
}

//= rfc7143#section-6.2.2 type=test
//# Proposing a value not admissible (e.g., not within the specified
//# bounds) MAY be answered with the constant "Reject"; otherwise, the
//# acceptor MUST select an admissible value.
TOUCHSTONE_CASE({.id = "login.range.first-burst-too-small",
                 .title = "FirstBurstLength=100 (below 512; Minimum leaves nothing admissible): Reject or a Login reject",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.14", "rfc7143#section-7.12"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "range"}}) {
  return inadmissible_offer(ctx, "FirstBurstLength", "100", {});
}

//= rfc7143#section-6.2.2 type=test
//# Proposing a value not admissible (e.g., not within the specified
//# bounds) MAY be answered with the constant "Reject"; otherwise, the
//# acceptor MUST select an admissible value.
TOUCHSTONE_CASE({.id = "login.range.max-connections-zero",
                 .title = "MaxConnections=0 (range 1..65535): Reject or a Login reject",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.2", "rfc7143#section-7.12"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "range"}}) {
  return inadmissible_offer(ctx, "MaxConnections", "0", {});
}

//= rfc7143#section-6.2.2 type=test
//# Proposing a value not admissible (e.g., not within the specified
//# bounds) MAY be answered with the constant "Reject"; otherwise, the
//# acceptor MUST select an admissible value.
TOUCHSTONE_CASE({.id = "login.range.max-outstanding-r2t-zero",
                 .title = "MaxOutstandingR2T=0 (range 1..65535): Reject or a Login reject",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.17", "rfc7143#section-7.12"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "range"}}) {
  return inadmissible_offer(ctx, "MaxOutstandingR2T", "0", {});
}

//= rfc7143#section-6.2.2 type=test
//# Proposing a value not admissible (e.g., not within the specified
//# bounds) MAY be answered with the constant "Reject"; otherwise, the
//# acceptor MUST select an admissible value.
TOUCHSTONE_CASE({.id = "login.range.time2wait-too-large",
                 .title = "DefaultTime2Wait=3601 (range 0..3600; Maximum leaves nothing admissible): Reject or a Login reject",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.15", "rfc7143#section-7.12"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "range"}}) {
  return inadmissible_offer(ctx, "DefaultTime2Wait", "3601", {});
}

//= rfc7143#section-6.2.2 type=test
//# Proposing a value not admissible (e.g., not within the specified
//# bounds) MAY be answered with the constant "Reject"; otherwise, the
//# acceptor MUST select an admissible value.
TOUCHSTONE_CASE({.id = "login.range.time2retain-too-large",
                 .title = "DefaultTime2Retain=3601 (range 0..3600): Reject, 0..3600, or a Login reject",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.16", "rfc7143#section-7.12"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "range"}}) {
  return inadmissible_offer(ctx, "DefaultTime2Retain", "3601", number_in(0, 3600));
}

//= rfc7143#section-6.2.2 type=test
//# Proposing a value not admissible (e.g., not within the specified
//# bounds) MAY be answered with the constant "Reject"; otherwise, the
//# acceptor MUST select an admissible value.
TOUCHSTONE_CASE({.id = "login.range.error-recovery-level-3",
                 .title = "ErrorRecoveryLevel=3 (range 0..2): Reject, 0..2, or a Login reject",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.20", "rfc7143#section-7.12"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "range"}}) {
  return inadmissible_offer(ctx, "ErrorRecoveryLevel", "3", number_in(0, 2));
}

//= rfc7143#section-6.2.2 type=test
//# Proposing a value not admissible (e.g., not within the specified
//# bounds) MAY be answered with the constant "Reject"; otherwise, the
//# acceptor MUST select an admissible value.
TOUCHSTONE_CASE({.id = "login.range.boolean-not-yes-or-no",
                 .title = "InitialR2T=Maybe (not a boolean-value): Reject, Yes/No, or a Login reject",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-6.1", "rfc7143#section-13.10"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "range"}}) {
  return inadmissible_offer(ctx, "InitialR2T", "Maybe", [](std::string_view v) { return v == "Yes" || v == "No"; });
}

//= rfc7143#section-6.2.2 type=test
//# Proposing a value not admissible (e.g., not within the specified
//# bounds) MAY be answered with the constant "Reject"; otherwise, the
//# acceptor MUST select an admissible value.
TOUCHSTONE_CASE({.id = "login.range.digest-unknown-only",
                 .title = "HeaderDigest=MD5 (no known value offered): Reject or a Login reject",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.1", "rfc7143#section-7.12"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "range", "digests"}}) {
  return inadmissible_offer(ctx, "HeaderDigest", "MD5", {});
}

//= rfc7143#section-7.12 type=test
//# a) During login, any failure in negotiation MUST be considered a
//# login process failure; the Login Phase, along with the
//# connection, MUST be terminated.  If the target detects the
//# failure, it must terminate the login with the appropriate Login
//# response code.
TOUCHSTONE_CASE({.id = "login.range.max-recv-data-segment-below-512",
                 .title = "MaxRecvDataSegmentLength=256 declared (below 512): the login fails with a Login reject",
                 .citations = {"rfc7143#section-7.12", "rfc7143#section-13.12"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "range", "mrdsl"}}) {
  const auto step = offer_once(ctx, "MaxRecvDataSegmentLength", "256");
  if (!step.s) return ctx.setup_error();
  return expect_initiator_error(step, "MaxRecvDataSegmentLength=256");
}

//= rfc7143#section-13.7 type=test
//# InitiatorAlias=<iSCSI-local-name-value>
TOUCHSTONE_CASE({.id = "login.keys.declarative-initiator-alias",
                 .title = "a declared InitiatorAlias needs no answer and the login completes",
                 .citations = {"rfc7143#section-13.7", "rfc7143#section-6.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "declarative"}}) {
  const auto out = login_offering(ctx, {{"InitiatorAlias", "touchstone conformance"}});
  if (!out.ok()) return verdict::fail("a login declaring InitiatorAlias failed: " + out.summary());
  if (find_value(out.response_pairs(), "InitiatorAlias"))
    return verdict::fail("the target answered the declarative InitiatorAlias");
  return verdict::pass();
}

//= rfc7143#section-6.1 type=test
//# Any iSCSI target or initiator MUST support receiving at least
//# 8192 bytes of key=value data in a negotiation sequence.
TOUCHSTONE_CASE({.id = "login.keys.8192-bytes-of-text",
                 .title = "an operational stage carrying over 8192 bytes of key=value text (with continuation) completes",
                 .citations = {"rfc7143#section-6.1", "rfc7143#section-6.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "continuation"}}) {
  pdu::text_pairs offers;
  std::size_t bytes = 0;
  for (int i = 0; bytes < 8300; ++i) {
    pdu::key_value kv{"X-org.touchstone.pad" + std::to_string(i), std::string(200, 'a' + i % 26)};
    bytes += kv.key.size() + kv.value.size() + 2;
    offers.push_back(std::move(kv));
  }
  const auto out = login_offering(ctx, offers);
  if (!out.ok()) return verdict::fail("a login with " + std::to_string(bytes) + " bytes of text failed: " + out.summary());
  return verdict::pass(std::to_string(bytes) + " bytes");
}

}  // namespace
}  // namespace touchstone::conformance::cases
