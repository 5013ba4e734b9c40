// Discovery sessions and the ISID rule (RFC 7143 section 7.4.2): a second
// Discovery session with the same InitiatorName and ISID to the same portal
// (Unnamed), or with the same TargetName as well (Named), reinstates the
// first: the target ends it.
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

// Two Discovery sessions with the options `o`; pass when the target closes
// the first once the second is in the Full Feature Phase.
verdict second_discovery_ends_first(case_context& ctx, const login_options& o, std::string_view what) {
  auto* first = ctx.logged_in(o);
  if (!first) return ctx.setup_error();
  auto* second = ctx.logged_in(o);
  if (!second) return ctx.setup_error();
  const auto after = first->expect_close(first->times().wait);
  if (after.what == observed::timeout)
    return verdict::fail(std::string(what) + " with the same ISID left the first one open");
  if (!after.connection_lost()) return unexpected(after, "the first session's connection closed");
  // The second session is the one that lives on: it still answers.
  const auto answer = text_exchange(*second, {{"SendTargets", "All"}});
  if (!answer.complete) return unexpected(answer.last, "a final Text Response on the second session");
  return verdict::pass();
}

//= rfc7143#section-7.4.2.1 type=test
//# A new Unnamed Discovery session that has a matching <InitiatorName,
//# ISID, NULL, TargetAddress> to an existing Discovery session MUST
//# reinstate the existing Unnamed Discovery session.
TOUCHSTONE_CASE({.id = "discovery.reinstatement.unnamed",
                 .title = "a second Unnamed Discovery session with the same InitiatorName, ISID and portal ends "
                          "the first",
                 .citations = {"rfc7143#section-7.4.2.1"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "reinstatement"}}) {
  return second_discovery_ends_first(ctx, ctx.discovery_login(), "a second Unnamed Discovery session");
}

//= rfc7143#section-7.4.2.2 type=test
//# Since all the four elements of the 4-tuple are known, the ISID RULE MUST
//# be enforced by targets with no changes from Section 4.4.3 semantics.
TOUCHSTONE_CASE({.id = "discovery.reinstatement.named",
                 .title = "a second Named Discovery session with the same InitiatorName, ISID and TargetName ends "
                          "the first",
                 .citations = {"rfc7143#section-7.4.2.2"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "reinstatement"}}) {
  auto o = ctx.discovery_login();
  o.target_name = ctx.target().target_name;
  return second_discovery_ends_first(ctx, o, "a second Named Discovery session");
}

}  // namespace
}  // namespace touchstone::conformance::cases
