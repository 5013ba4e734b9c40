// Section 13 result functions: an admissible offer is answered with a value
// the key's result function allows (RFC 7143 sections 13, 6.2.2).
#include <functional>

#include "login_helpers.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::conformance::cases {
namespace {

// Logs in offering `offers`; the answer to `key` must satisfy `allowed`.
// An absent answer passes only when `optional_answer` (the Boolean cases
// section 6.2.2 leaves unanswered).
verdict selection(case_context& ctx, const pdu::text_pairs& offers, std::string_view key,
                  const std::function<bool(std::string_view)>& allowed, std::string_view rule,
                  bool optional_answer = false) {
  const auto out = login_offering(ctx, offers);
  if (out.how == login_ending::transport) return verdict::error("login: " + out.summary());
  if (!out.ok()) return verdict::fail("an admissible offer failed the login: " + out.summary());
  const auto answer = find_value(out.response_pairs(), key);
  if (!answer) {
    if (optional_answer) return verdict::pass("no answer (optional)");
    return verdict::fail(std::string(key) + " was not answered");
  }
  if (!allowed(*answer))
    return verdict::fail(std::string(key) + " answered " + *answer + ", which " + std::string(rule) + " rules out");
  return verdict::pass(std::string(key) + "=" + *answer);
}

std::function<bool(std::string_view)> at_most(std::uint64_t offered) {
  return [=](std::string_view v) { return static_cast<bool>(pdu::parse_number_in(v, 0, offered)); };
}

std::function<bool(std::string_view)> at_least(std::uint64_t offered, std::uint64_t high) {
  return [=](std::string_view v) { return static_cast<bool>(pdu::parse_number_in(v, offered, high)); };
}

std::function<bool(std::string_view)> exactly(std::string_view wanted) {
  return [w = std::string(wanted)](std::string_view v) { return v == w; };
}

//= rfc7143#section-13 type=test
//# "Minimum" means that the selected value cannot exceed the offered
//# value.
//= rfc7143#section-13.2 type=test
//# Result function is Minimum.
//= rfc7143#section-4.2.1 type=test
//# iSCSI targets and initiators MUST support at least one TCP connection
TOUCHSTONE_CASE({.id = "login.result.max-connections-minimum",
                 .title = "MaxConnections=1 is answered with 1 (Minimum)",
                 .citations = {"rfc7143#section-13", "rfc7143#section-13.2", "rfc7143#section-6.2.2", "rfc7143#section-4.2.1"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result"}}) {
  return selection(ctx, {{"MaxConnections", "1"}}, "MaxConnections", at_most(1), "Minimum");
}

//= rfc7143#section-13 type=test
//# "Minimum" means that the selected value cannot exceed the offered
//# value.
//= rfc7143#section-13.17 type=test
//# Result function is Minimum.
TOUCHSTONE_CASE({.id = "login.result.max-outstanding-r2t-minimum",
                 .title = "MaxOutstandingR2T=1 is answered with 1 (Minimum)",
                 .citations = {"rfc7143#section-13", "rfc7143#section-13.17", "rfc7143#section-6.2.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result"}}) {
  return selection(ctx, {{"MaxOutstandingR2T", "1"}}, "MaxOutstandingR2T", at_most(1), "Minimum");
}

//= rfc7143#section-13 type=test
//# "Minimum" means that the selected value cannot exceed the offered
//# value.
//= rfc7143#section-13.14 type=test
//# Result function is Minimum.
TOUCHSTONE_CASE({.id = "login.result.first-burst-minimum",
                 .title = "FirstBurstLength=512 (with InitialR2T=No) is answered with 512 or Irrelevant",
                 .citations = {"rfc7143#section-13", "rfc7143#section-13.14", "rfc7143#section-6.2.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result", "burst"}}) {
  const auto within = at_most(512);
  return selection(
      ctx, {{"InitialR2T", "No"}, {"FirstBurstLength", "512"}}, "FirstBurstLength",
      [&](std::string_view v) { return v == "Irrelevant" || within(v); }, "Minimum");
}

//= rfc7143#section-13 type=test
//# "Maximum" means that the selected value cannot be lower than
//# the offered value.
//= rfc7143#section-13.15 type=test
//# Result function is Maximum.
TOUCHSTONE_CASE({.id = "login.result.default-time2wait-maximum",
                 .title = "DefaultTime2Wait=3600 (the range's top) is answered with 3600 (Maximum)",
                 .citations = {"rfc7143#section-13", "rfc7143#section-13.15", "rfc7143#section-6.2.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result"}}) {
  return selection(ctx, {{"DefaultTime2Wait", "3600"}}, "DefaultTime2Wait", at_least(3600, 3600), "Maximum");
}

//= rfc7143#section-13 type=test
//# "Minimum" means that the selected value cannot exceed the offered
//# value.
//= rfc7143#section-13.16 type=test
//# Result function is Minimum.
TOUCHSTONE_CASE({.id = "login.result.default-time2retain-minimum",
                 .title = "DefaultTime2Retain=0 is answered with 0 (Minimum)",
                 .citations = {"rfc7143#section-13", "rfc7143#section-13.16", "rfc7143#section-6.2.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result"}}) {
  return selection(ctx, {{"DefaultTime2Retain", "0"}}, "DefaultTime2Retain", at_most(0), "Minimum");
}

//= rfc7143#section-13 type=test
//# "Minimum" means that the selected value cannot exceed the offered
//# value.
//= rfc7143#section-13.20 type=test
//# Result function is Minimum.
//= rfc7143#section-7.1.5 type=test
//# Implementations MUST support error recovery level "0"
TOUCHSTONE_CASE({.id = "login.result.error-recovery-level-minimum",
                 .title = "ErrorRecoveryLevel=0 is answered with 0 (Minimum)",
                 .citations = {"rfc7143#section-13", "rfc7143#section-13.20", "rfc7143#section-6.2.2", "rfc7143#section-7.1.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result"}}) {
  return selection(ctx, {{"ErrorRecoveryLevel", "0"}}, "ErrorRecoveryLevel", at_most(0), "Minimum");
}

//= rfc7143#section-6.2.2 type=test
//# Specifically, the two cases in which answers are OPTIONAL are:
//#
//#    - The Boolean function is "AND" and the value "No" is received.
//#      The outcome of the negotiation is "No".
//= rfc7143#section-13.11 type=test
//# Result function is AND.
TOUCHSTONE_CASE({.id = "login.result.immediate-data-and",
                 .title = "ImmediateData=No is answered No or not at all (AND)",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.11", "rfc7143#section-13"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result"}}) {
  return selection(ctx, {{"ImmediateData", "No"}}, "ImmediateData", exactly("No"), "AND", true);
}

//= rfc7143#section-6.2.2 type=test
//# - The Boolean function is "OR" and the value "Yes" is received.
//#   The outcome of the negotiation is "Yes".
//= rfc7143#section-13.10 type=test
//# Result function is OR.
TOUCHSTONE_CASE({.id = "login.result.initial-r2t-or",
                 .title = "InitialR2T=Yes is answered Yes or not at all (OR)",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.10", "rfc7143#section-13"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result"}}) {
  return selection(ctx, {{"InitialR2T", "Yes"}}, "InitialR2T", exactly("Yes"), "OR", true);
}

//= rfc7143#section-6.2.2 type=test
//# - The Boolean function is "OR" and the value "Yes" is received.
//#   The outcome of the negotiation is "Yes".
//= rfc7143#section-13.18 type=test
//# Result function is OR.
TOUCHSTONE_CASE({.id = "login.result.data-pdu-in-order-or",
                 .title = "DataPDUInOrder=Yes is answered Yes or not at all (OR)",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.18", "rfc7143#section-13"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result"}}) {
  return selection(ctx, {{"DataPDUInOrder", "Yes"}}, "DataPDUInOrder", exactly("Yes"), "OR", true);
}

//= rfc7143#section-6.2.2 type=test
//# - The Boolean function is "OR" and the value "Yes" is received.
//#   The outcome of the negotiation is "Yes".
//= rfc7143#section-13.19 type=test
//# Result function is OR.
TOUCHSTONE_CASE({.id = "login.result.data-sequence-in-order-or",
                 .title = "DataSequenceInOrder=Yes is answered Yes or not at all (OR)",
                 .citations = {"rfc7143#section-6.2.2", "rfc7143#section-13.19", "rfc7143#section-13"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result"}}) {
  return selection(ctx, {{"DataSequenceInOrder", "Yes"}}, "DataSequenceInOrder", exactly("Yes"), "OR", true);
}

//= rfc7143#section-6.2.1 type=test
//# The responding party MUST respond with the same key and the first
//# value that it supports (and is allowed to use for the specific
//# originator) selected from the originator list.
//= rfc7143#section-6.2.1 type=test
//# If an acceptor does not support, does not
//# understand, or is not allowed to use any of the proposed options with
//# a specific originator, it may use the constant "Reject" or terminate
//# the negotiation.
TOUCHSTONE_CASE({.id = "login.result.data-digest-none-only",
                 .title = "DataDigest=None (a one-value list) is answered None, or Reject / a Login reject",
                 .citations = {"rfc7143#section-6.2.1", "rfc7143#section-13.1"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "result", "digest"}}) {
  const auto out = login_offering(ctx, {{"DataDigest", "None"}});
  if (out.how == login_ending::transport) return verdict::error("login: " + out.summary());
  const auto answer = find_value(out.response_pairs(), "DataDigest");
  if (!out.ok()) {
    // A target that requires CRC32C may end the negotiation.
    if (out.how == login_ending::status && pdu::status_class_of(out.status) == 2)
      return verdict::pass("the negotiation ended: " + out.summary());
    return verdict::fail("the login ended: " + out.summary());
  }
  if (!answer) return verdict::fail("DataDigest was not answered");
  if (*answer != "None" && *answer != "Reject") return verdict::fail("DataDigest=None was answered " + *answer);
  return verdict::pass("DataDigest=" + *answer);
}

}  // namespace
}  // namespace touchstone::conformance::cases
