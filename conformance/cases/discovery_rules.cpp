// What a Discovery session allows (ERL 0, one connection, SendTargets and
// Logout only) and the TargetAddress format (RFC 7143 sections 7.4, 13.8,
// 13.21, Appendix C).
#include <cctype>

#include "login_helpers.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::conformance::cases {
namespace {

// A Discovery login offering `offers`; the answer to `key` (nullopt: none).
struct discovery_offer {
  login_outcome out;
  std::optional<std::string> answer;
};

discovery_offer offer_in_discovery(case_context& ctx, const pdu::text_pairs& offers, std::string_view key) {
  discovery_offer d;
  auto* s = ctx.connect();
  if (!s) {
    d.out.detail = ctx.setup_error().message;
    return d;
  }
  auto o = ctx.discovery_login();
  o.operational = offers;
  d.out = login(*s, o);
  d.answer = find_value(d.out.response_pairs(), key);
  return d;
}

//= rfc7143#section-7.4.1 type=test
//# When
//# such a negotiation attempt is made by the remote side, a compliant
//# iSCSI implementation MUST propose a value of 0 (zero) in response.
//= rfc7143#section-13.21 type=test
//# As Section 7.4.1 states, ErrorRecoveryLevel MUST be 0 (zero) for Discovery
//# sessions.
TOUCHSTONE_CASE({.id = "discovery.erl.answered-zero",
                 .title = "ErrorRecoveryLevel=2 offered in a Discovery session is answered 0",
                 .citations = {"rfc7143#section-7.4.1", "rfc7143#section-13.21"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "login", "keys"}}) {
  const auto d = offer_in_discovery(ctx, {{"ErrorRecoveryLevel", "2"}}, "ErrorRecoveryLevel");
  if (d.out.how == login_ending::transport) return verdict::error("login: " + d.out.summary());
  if (!d.answer) return verdict::fail("ErrorRecoveryLevel=2 was not answered (" + d.out.summary() + ")");
  if (*d.answer != "0") return verdict::fail("ErrorRecoveryLevel=2 was answered " + *d.answer);
  return verdict::pass();
}

//= rfc7143#section-13.21 type=test
//# The Discovery session implies MaxConnections = 1 and overrides both
//# the default and an explicit setting.
TOUCHSTONE_CASE({.id = "discovery.max-connections.one",
                 .title = "MaxConnections=4 offered in a Discovery session is never answered above 1",
                 .citations = {"rfc7143#section-13.21", "rfc7143#section-13.2"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "login", "keys"}}) {
  const auto d = offer_in_discovery(ctx, {{"MaxConnections", "4"}}, "MaxConnections");
  if (d.out.how == login_ending::transport) return verdict::error("login: " + d.out.summary());
  if (!d.out.ok()) return verdict::fail("the Discovery login failed: " + d.out.summary());
  if (!d.answer) return verdict::pass("not answered (the session type decides)");
  if (*d.answer == "Irrelevant" || *d.answer == "1") return verdict::pass("MaxConnections=" + *d.answer);
  return verdict::fail("MaxConnections=4 was answered " + *d.answer + " in a Discovery session");
}

//= rfc7143#section-13.21 type=test
//# The only requests a target accepts in
//# this type of session are a Text Request with a SendTargets key and a
//# Logout Request with reason "close the session".
TOUCHSTONE_CASE({.id = "discovery.scsi-command-refused",
                 .title = "a SCSI Command in a Discovery session is not executed (Reject, no answer, an error, or the close)",
                 .citations = {"rfc7143#section-13.21", "rfc7143#section-7.4.3"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "survival"}}) {
  auto* s = ctx.logged_in(ctx.discovery_login());
  if (!s) return ctx.setup_error();
  const auto out = run_scsi(*s, unit_ready_request(ctx));
  if (out.good()) return verdict::fail("TEST UNIT READY in a Discovery session completed with GOOD");
  const auto after = survives(ctx, "a SCSI Command in a Discovery session");
  if (after.kind != verdict_kind::pass) return after;
  return verdict::pass(out.summary());
}

// domainname[:port][,portal-group-tag]: a DNS name, a dotted-decimal IPv4
// address or a bracketed IPv6 address; port and tag as TargetPortalGroupTag.
std::string address_problem(std::string_view value) {
  const auto comma = value.rfind(',');
  if (comma == std::string_view::npos) return "no portal-group-tag";
  if (!pdu::parse_number_in(value.substr(comma + 1), 0, 65535)) return "a bad portal-group-tag";
  auto host = value.substr(0, comma);
  std::string_view port;
  bool has_port = false;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos || close == 1) return "an unclosed or empty IPv6 bracket";
    for (const auto ch : host.substr(1, close - 1))
      if (!std::isxdigit(static_cast<unsigned char>(ch)) && ch != ':' && ch != '.') return "a bad IPv6 address";
    const auto rest = host.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return "text after the IPv6 bracket";
    has_port = !rest.empty();
    if (has_port) port = rest.substr(1);
    host = host.substr(1, close - 1);
  } else {
    const auto colon = host.find(':');
    if (colon != std::string_view::npos) {
      has_port = true;
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    for (const auto ch : host)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-') return "a bad host name";
  }
  if (host.empty()) return "no domainname";
  if (has_port && !pdu::parse_number_in(port, 1, 65535)) return "a bad port";
  return {};
}

//= rfc7143#section-13.8 type=test
//# TargetAddress=domainname[:port][,portal-group-tag]
//#
//# The domainname can be specified as either a DNS host name, a dotted-
//# decimal IPv4 address, or a bracketed IPv6 address as specified in
//# [RFC3986].
TOUCHSTONE_CASE({.id = "discovery.send-targets.address-format",
                 .title = "every TargetAddress is domainname[:port],portal-group-tag with a valid host and port",
                 .citations = {"rfc7143#section-13.8", "rfc7143#appendix-C"},
                 .level = requirement_level::must,
                 .tags = {"discovery", "text"}}) {
  auto* s = ctx.logged_in(ctx.discovery_login());
  if (!s) return ctx.setup_error();
  const auto text = text_exchange(*s, {{"SendTargets", "All"}});
  if (!text.complete) return unexpected(text.last, "a final Text Response");
  std::size_t addresses = 0;
  for (const auto& kv : text.pairs) {
    if (kv.key != "TargetAddress") continue;
    ++addresses;
    if (const auto problem = address_problem(kv.value); !problem.empty())
      return verdict::fail("TargetAddress=" + kv.value + " has " + problem);
  }
  if (addresses == 0) return verdict::skip("no TargetAddress returned (zero or more are allowed)");
  return verdict::pass(std::to_string(addresses) + " address(es)");
}

}  // namespace
}  // namespace touchstone::conformance::cases
