// Discovery sessions and SendTargets (RFC 7143 Appendix C, sections 13.8, 7.4).
#include "login_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A Discovery session in the Full Feature Phase and its SendTargets=All answer.
struct discovery_answer {
  session* s = nullptr;
  text_outcome text;
};

discovery_answer send_targets(case_context& ctx, const std::string& value, bool discovery) {
  discovery_answer a;
  a.s = ctx.logged_in(discovery ? ctx.discovery_login() : ctx.normal_login());
  if (a.s) a.text = text_exchange(*a.s, {{"SendTargets", value}});
  return a;
}

//= rfc7143#appendix-C type=test
//# A system that contains targets MUST support Discovery sessions on
//# each of its iSCSI IP address-port pairs and MUST support the
//# SendTargets command on the Discovery session.
TOUCHSTONE_CASE({.id = "discovery.send-targets.all-names-target",
                 .title = "SendTargets=All in a Discovery session lists the target under test",
                 .citations = {"rfc7143#appendix-C"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "text"}}) {
  const auto a = send_targets(ctx, "All", true);
  if (!a.s) return ctx.setup_error();
  if (!a.text.complete) return unexpected(a.text.last, "a final Text Response");
  for (const auto& kv : a.text.pairs)
    if (kv.key == "TargetName" && kv.value == ctx.target().target_name) return verdict::pass();
  return verdict::fail("TargetName=" + ctx.target().target_name + " is not in the " +
                       std::to_string(a.text.pairs.size()) + " pairs returned");
}

//= rfc7143#section-13.8 type=test
//# If the TargetAddress is returned within a SendTargets response, the
//# portal-group-tag MUST be included.
TOUCHSTONE_CASE({.id = "discovery.send-targets.address-has-tpgt",
                 .title = "every TargetAddress in a SendTargets answer carries ,portal-group-tag",
                 .citations = {"rfc7143#section-13.8", "rfc7143#appendix-C"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "text"}}) {
  const auto a = send_targets(ctx, "All", true);
  if (!a.s) return ctx.setup_error();
  if (!a.text.complete) return unexpected(a.text.last, "a final Text Response");
  std::size_t addresses = 0;
  for (const auto& kv : a.text.pairs) {
    if (kv.key != "TargetAddress") continue;
    ++addresses;
    const auto comma = kv.value.rfind(',');
    const auto tag = comma == std::string::npos ? std::string{} : kv.value.substr(comma + 1);
    if (tag.empty() || !pdu::parse_number_in(tag, 0, 65535))
      return verdict::fail("TargetAddress=" + kv.value + " has no portal-group-tag");
  }
  if (addresses == 0) return verdict::skip("no TargetAddress returned (zero or more are allowed)");
  return verdict::pass();
}

//= rfc7143#appendix-C type=test
//# No text keys other than
//# TargetName and TargetAddress are permitted within a SendTargets
//# response.
TOUCHSTONE_CASE({.id = "discovery.send-targets.only-name-and-address",
                 .title = "a SendTargets answer holds only TargetName and TargetAddress keys",
                 .citations = {"rfc7143#appendix-C"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "text"}}) {
  const auto a = send_targets(ctx, "All", true);
  if (!a.s) return ctx.setup_error();
  if (!a.text.complete) return unexpected(a.text.last, "a final Text Response");
  for (const auto& kv : a.text.pairs)
    if (kv.key != "TargetName" && kv.key != "TargetAddress")
      return verdict::fail("the answer holds " + kv.key + "=" + kv.value);
  if (!a.text.pairs.empty() && a.text.pairs.front().key != "TargetName")
    return verdict::fail("the answer starts with " + a.text.pairs.front().key + ", not a TargetName record");
  return verdict::pass();
}

//= rfc7143#appendix-C type=test
//# <nothing>
//#    The session should only respond with addresses for the target
//#    to which the session is logged in.  This MUST be supported on
//#    operational sessions and MUST NOT return targets other than the
//#    one to which the session is logged in.
TOUCHSTONE_CASE({.id = "discovery.send-targets.empty-in-normal-session",
                 .title = "SendTargets= (empty) in a Normal session returns only the session's target",
                 .citations = {"rfc7143#appendix-C"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "text"}}) {
  const auto a = send_targets(ctx, "", false);
  if (!a.s) return ctx.setup_error();
  if (!a.text.complete) return unexpected(a.text.last, "a final Text Response");
  bool named = false;
  for (const auto& kv : a.text.pairs) {
    if (kv.key != "TargetName") continue;
    if (kv.value != ctx.target().target_name) return verdict::fail("returns another target: " + kv.value);
    named = true;
  }
  if (!named) return verdict::fail("the session's own target is not returned");
  return verdict::pass();
}

//= rfc7143#section-11.15.1 type=test
//# 0 - connection or session closed successfully.
//= rfc7143#section-11.14 type=test
//# The target then issues the Logout Response and half-closes the TCP
//# connection (sends FIN).
TOUCHSTONE_CASE({.id = "discovery.logout.close-session",
                 .title = "a Discovery session's Logout (close the session) is answered 0, then the connection closes",
                 .citations = {"rfc7143#section-11.15.1", "rfc7143#section-7.4.3", "rfc7143#section-11.14"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "logout"}}) {
  auto* s = ctx.logged_in(ctx.discovery_login());
  if (!s) return ctx.setup_error();
  const auto out = logout(*s);
  if (!out.response) return unexpected(out.last, "a Logout Response");
  const pdu::logout_response_view v(*out.response);
  if (v.raw_response() != 0) return verdict::fail("Logout Response " + std::to_string(v.raw_response()));
  if (out.last.what == observed::timeout) return verdict::fail("the connection stays open after the Logout Response");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
