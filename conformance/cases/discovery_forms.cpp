// The SendTargets forms beyond All (RFC 7143 Appendix C): a named target in
// a Discovery session, an unknown name, and All refused in a Normal session.
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

struct send_targets_answer {
  session* s = nullptr;
  text_outcome text;
};

send_targets_answer ask(case_context& ctx, const std::string& value, bool discovery) {
  send_targets_answer a;
  a.s = ctx.logged_in(discovery ? ctx.discovery_login() : ctx.normal_login());
  if (a.s) a.text = text_exchange(*a.s, {{"SendTargets", value}});
  return a;
}

std::vector<std::string> target_names(const pdu::text_pairs& pairs) {
  std::vector<std::string> names;
  for (const auto& kv : pairs)
    if (kv.key == "TargetName") names.push_back(kv.value);
  return names;
}

//= rfc7143#appendix-C type=test
//# If an iSCSI Target Name is specified, the session should
//# respond with addresses for only the named target, if possible.
//# This value MUST be supported on Discovery sessions.
TOUCHSTONE_CASE({.id = "discovery.send-targets.named-target",
                 .title = "SendTargets=<the target's name> in a Discovery session names that target and no other",
                 .citations = {"rfc7143#appendix-C"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "text"}}) {
  const auto a = ask(ctx, ctx.target().target_name, true);
  if (!a.s) return ctx.setup_error();
  if (!a.text.complete) return unexpected(a.text.last, "a final Text Response");
  const auto names = target_names(a.text.pairs);
  if (names.empty()) return verdict::fail("no TargetName in the answer to SendTargets=" + ctx.target().target_name);
  for (const auto& n : names)
    if (n != ctx.target().target_name) return verdict::fail("the answer also names " + n);
  return verdict::pass();
}

//= rfc7143#appendix-C type=test
//# A SendTargets response MUST NOT contain target names if there are no
//# targets for the requesting initiator to access.
TOUCHSTONE_CASE({.id = "discovery.send-targets.unknown-name",
                 .title = "SendTargets=<a name no target has> in a Discovery session returns no TargetName",
                 .citations = {"rfc7143#appendix-C"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "text"}}) {
  const auto a = ask(ctx, "iqn.2024-01.org.touchstone:no-such-target", true);
  if (!a.s) return ctx.setup_error();
  if (a.text.last.is(opcode::reject)) return verdict::pass("rejected");
  if (!a.text.complete) return unexpected(a.text.last, "a final Text Response");
  if (const auto names = target_names(a.text.pairs); !names.empty())
    return verdict::fail("the answer names " + names.front());
  return verdict::pass();
}

//= rfc7143#appendix-C type=test
//# All
//#    The initiator is requesting that information on all relevant
//#    targets known to the implementation be returned.  This value
//#    MUST be supported on a Discovery session and MUST NOT be
//#    supported on an operational session.
TOUCHSTONE_CASE({.id = "discovery.send-targets.all-in-normal-session",
                 .title = "SendTargets=All in a Normal session lists no target other than the session's own",
                 .citations = {"rfc7143#appendix-C"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "text"}}) {
  const auto a = ask(ctx, "All", false);
  if (!a.s) return ctx.setup_error();
  if (a.text.last.is(opcode::reject)) return verdict::pass("rejected");
  if (!a.text.complete) return unexpected(a.text.last, "a final Text Response");
  for (const auto& n : target_names(a.text.pairs))
    if (n != ctx.target().target_name) return verdict::fail("the operational session lists " + n);
  const auto answer = find_value(a.text.pairs, "SendTargets");
  return verdict::pass(answer ? "SendTargets=" + *answer : "answered as for the own target");
}

}  // namespace
}  // namespace touchstone::conformance::cases
