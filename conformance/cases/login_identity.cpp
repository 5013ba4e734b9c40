// Who logs in to what: InitiatorName and SessionType rules, the version
// range, and sessions told apart by ISID (RFC 7143 sections 13.5, 13.21,
// 11.12.4, 11.13.2, 4.4.3).
#include <cstdio>

#include "login_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

constexpr auto missing_parameter = static_cast<std::uint16_t>(pdu::login_status::missing_parameter);

std::string hex48(std::uint64_t isid) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%012llx", static_cast<unsigned long long>(isid));
  return text;
}

void drop(pdu::text_pairs& text, std::string_view key) {
  std::erase_if(text, [&](const auto& kv) { return kv.key == key; });
}

void set(pdu::text_pairs& text, std::string_view key, std::string_view value) {
  for (auto& kv : text)
    if (kv.key == key) kv.value = std::string(value);
}

//= rfc7143#section-13.5 type=test
//# The initiator of the TCP connection MUST provide this key to the
//# remote endpoint at the first login of the Login Phase for every
//# connection.
TOUCHSTONE_CASE({.id = "login.names.discovery-missing-initiator-name",
                 .title = "a Discovery session's first Login Request without InitiatorName is refused (0x0207)",
                 .citations = {"rfc7143#section-13.5", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "names", "discovery"}}) {
  const auto step = first_login_step(ctx, ctx.discovery_login(),
                                     [](auto&, auto& text) { drop(text, "InitiatorName"); });
  if (!step.s) return ctx.setup_error();
  return expect_initiator_error(step, "a Discovery login without InitiatorName", missing_parameter);
}

//= rfc7143#section-13.5 type=test
//# InitiatorName=<iSCSI-name-value>
//= rfc7143#section-11.13.5 type=test
//# Missing       | 0207 | Missing parameters (e.g., iSCSI
//# parameter     |      | Initiator Name and/or Target Name).
TOUCHSTONE_CASE({.id = "login.names.empty-initiator-name",
                 .title = "InitiatorName= (an empty value, no iSCSI name) is refused with a class-2 status",
                 .citations = {"rfc7143#section-13.5", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "names"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login(),
                                     [](auto&, auto& text) { set(text, "InitiatorName", ""); });
  if (!step.s) return ctx.setup_error();
  return expect_initiator_error(step, "an empty InitiatorName");
}

//= rfc7143#section-13.21 type=test
//# SessionType=<Discovery|Normal>
//#
//# Default is Normal.
//#
//# The initiator indicates the type of session it wants to create.  The
//# target can either accept it or reject it.
TOUCHSTONE_CASE({.id = "login.names.session-type-unknown",
                 .title = "SessionType=Backup (neither Discovery nor Normal) is refused: class 2 or SessionType=Reject",
                 .citations = {"rfc7143#section-13.21", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "names"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login(), [](auto&, auto& text) {
    drop(text, "SessionType");
    text.push_back({"SessionType", "Backup"});
  });
  if (!step.s) return ctx.setup_error();
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0) return expect_initiator_error(step, "SessionType=Backup");
  if (find_value(step.pairs(), "SessionType") == "Reject") return verdict::pass("answered SessionType=Reject");
  return verdict::fail("SessionType=Backup was accepted (status 0, no Reject)");
}

//= rfc7143#section-11.13.2 type=test
//# Version-active indicates the highest version supported by the target
//# and initiator.  If the target does not support a version within the
//# range specified by the initiator, the target rejects the login and
//# this field indicates the lowest version supported by the target.
TOUCHSTONE_CASE({.id = "login.version.range-spanning-zero",
                 .title = "Version-min 0, Version-max 2: a target of version 0 answers Version-active 0, never 0x0205",
                 .citations = {"rfc7143#section-11.13.2", "rfc7143#section-11.12.4"},
                 .level = requirement_level::should,
                 .tags = {"login", "version"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login(), [](auto& b, auto&) { b.version_max(2).version_min(0); });
  if (!step.s) return ctx.setup_error();
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  const auto v = step.view();
  if (step.status() == static_cast<std::uint16_t>(pdu::login_status::unsupported_version))
    return verdict::fail("0x0205 for a range that includes version 0");
  if (v.status_class() != 0)
    return verdict::pass("refused with " + hex16(step.status()) + " (Version-max 2 breaks the initiator's MUST of 11.12.4)");
  if (v.version_active() != 0)
    return verdict::fail("Version-active " + std::to_string(v.version_active()) + " for a version-0 exchange");
  return verdict::pass();
}

//= rfc7143#section-4.4.3 type=test
//# ISID RULE: Between a given iSCSI initiator and iSCSI target portal
//# group (SCSI target port), there can only be one session with a given
//# value for the ISID that identifies the SCSI initiator port.
TOUCHSTONE_CASE({.id = "login.session.distinct-isids-coexist",
                 .title = "two sessions of one InitiatorName with different ISIDs both stay usable",
                 .citations = {"rfc7143#section-4.4.3", "rfc7143#section-11.12.5"},
                 .level = requirement_level::should,
                 .tags = {"login", "reinstatement"}}) {
  auto* first = ctx.logged_in(ctx.normal_login());
  if (!first) return ctx.setup_error();
  auto* second = ctx.logged_in(ctx.normal_login());  // a new ISID qualifier
  if (!second) return verdict::fail("a second session with another ISID failed: " + ctx.setup_error().message);
  for (auto* s : {first, second}) {
    const auto ping = ping_request(*s);
    (void)s->send(ping);
    const auto seen = await_itt(*s, ping.header().initiator_task_tag());
    if (!seen.is(opcode::nop_in))
      return verdict::fail(std::string(s == first ? "the first" : "the second") +
                           " session does not answer a ping: " + seen.describe());
  }
  return verdict::pass();
}

//= rfc7143#section-4.2.4 type=test
//# The login PDU includes the ISID part of the session ID (SSID).
// The Login Response answers for the request's session: its ISID is the
// request's (the layout of section 11.13 carries it at bytes 8-13).
TOUCHSTONE_CASE({.id = "login.isid.same-as-request",
                 .title = "every Login Response of a login carries the ISID of the request it answers",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-11.13"},
                 .level = requirement_level::must,
                 .tags = {"login", "names"}}) {
  const auto out = login_offering(ctx, {});
  if (out.responses.empty()) return verdict::error("login: " + out.summary());
  for (std::size_t i = 0; i < out.responses.size() && i < out.requests.size(); ++i) {
    const auto sent = pdu::login_request_view(out.requests[i]).isid();
    const auto got = pdu::login_response_view(out.responses[i]).isid();
    if (sent != got)
      return verdict::fail("Login Response " + std::to_string(i + 1) + " carries ISID " + hex48(got) +
                           "; its request's is " + hex48(sent));
  }
  if (!out.ok()) return verdict::error("login: " + out.summary());
  return verdict::pass(std::to_string(out.responses.size()) + " Login Responses checked");
}

//= rfc7143#section-13.2 type=test
//# The initiator and target negotiate the maximum number of connections
//# requested/acceptable.
//= rfc7143#section-11.13.5 type=test
//# Too many      | 0206 | Too many connections on this SSID.
TOUCHSTONE_CASE({.id = "login.status.too-many-connections",
                 .title = "MaxConnections=1 negotiated, a second connection (CID 1) to the session is refused (class 2)",
                 .citations = {"rfc7143#section-13.2", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "status"}}) {
  auto o = ctx.normal_login();
  o.operational = {{"MaxConnections", "1"}};
  auto* first = ctx.logged_in(o);
  if (!first) return ctx.setup_error();
  // With TSIH 0 (reserved, 11.13.3) the second login would be a new session,
  // which is legal: the broken precondition is login.tsih.*'s to judge.
  if (first->tsih() == 0)
    return verdict::error("the target's Login Final-Response carried TSIH 0 (reserved, rfc7143#section-11.13.3): "
                          "no session to add a connection to");
  o.tsih = first->tsih();
  o.cid = 1;
  o.operational.clear();  // MaxConnections is leading-only (LO)
  auto* s = ctx.connect();
  if (!s) return ctx.setup_error();
  const auto out = login(*s, o);
  if (out.ok()) return verdict::fail("a second connection was accepted into a session of MaxConnections=1");
  if (out.how == login_ending::status && pdu::status_class_of(out.status) == 2)
    return verdict::pass("refused: " + out.summary());
  if (out.how == login_ending::transport) return verdict::error("the second connection: " + out.summary());
  return verdict::fail("the second connection's login ended: " + out.summary());
}

}  // namespace
}  // namespace touchstone::conformance::cases
