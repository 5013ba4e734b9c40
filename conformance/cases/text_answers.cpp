// What a final Text Response holds (RFC 7143 section 11.11.1): answers to
// the request's keys and SendTargets' records, never a key of the target's
// own that would want an answer from the initiator.
#include <set>

#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

// The keys of a final answer to `asked` that are neither answers to the
// request's keys nor SendTargets records (TargetName, TargetAddress:
// declarations, Appendix C): offers that would want an answer.
std::vector<std::string> offers_in(const pdu::text_pairs& asked, const pdu::text_pairs& answer) {
  std::set<std::string> answered{"TargetName", "TargetAddress"};
  for (const auto& kv : asked) answered.insert(kv.key);
  std::vector<std::string> offers;
  for (const auto& kv : answer)
    if (!answered.contains(kv.key)) offers.push_back(kv.key + "=" + kv.value);
  return offers;
}

//= rfc7143#section-11.11.1 type=test
//# A Text Response with the F bit set to 1 MUST NOT contain key=value pairs
//# that may require additional answers from the initiator.
TOUCHSTONE_CASE({.id = "text.final-response-asks-nothing",
                 .title = "a final Text Response holds answers and SendTargets records only, no key of its own",
                 .citations = {"rfc7143#section-11.11.1"},
                 .level = requirement_level::must,
                 .tags = {"text", "keys"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  // SendTargets naming this target (a Normal session may ask for one
  // target's record only: some targets refuse All there), then a private key.
  const std::vector<pdu::text_pairs> requests{{{"SendTargets", ctx.target().target_name}},
                                              {{"X-org.touchstone.probe", "1"}}};
  for (const auto& asked : requests) {
    const auto out = text_exchange(*s, asked);
    // No final Text Response at all is another clause's failure (text.*).
    if (!out.complete)
      return verdict::error("cannot judge: no final Text Response to " + asked.front().key + " (" +
                            out.last.describe() + ")");
    const auto offers = offers_in(asked, out.pairs);
    if (!offers.empty())
      return verdict::fail("the final Text Response to " + asked.front().key + " holds " + offers.front() +
                           ", a key the request did not hold (" + std::to_string(offers.size()) + " such)");
  }
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
