// Login keys: names, repeats, unknown and private keys, obsolete keys, burst
// lengths (RFC 7143 sections 6.2, 6.3, 13).
#include "login_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

void drop_key(pdu::text_pairs& text, std::string_view key) {
  std::erase_if(text, [&](const auto& kv) { return kv.key == key; });
}

//= rfc7143#section-13.5 type=test
//# The initiator of the TCP connection MUST provide this key to the
//# remote endpoint at the first login of the Login Phase for every
//# connection.
TOUCHSTONE_CASE({.id = "login.names.missing-initiator-name",
                 .title = "a first Login Request without InitiatorName is refused (0x0207)",
                 .citations = {"rfc7143#section-13.5", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "names"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login(),
                                     [](auto&, auto& text) { drop_key(text, "InitiatorName"); });
  if (!step.s) return ctx.setup_error();
  return expect_initiator_error(step, "a login without InitiatorName",
                                static_cast<std::uint16_t>(pdu::login_status::missing_parameter));
}

//= rfc7143#section-13.4 type=test
//# The initiator of the TCP connection MUST provide this key to the
//# remote endpoint in the first Login Request if the initiator is not
//# establishing a Discovery session.
TOUCHSTONE_CASE({.id = "login.names.missing-target-name",
                 .title = "a Normal session's first Login Request without TargetName is refused",
                 .citations = {"rfc7143#section-13.4", "rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "names"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login(),
                                     [](auto&, auto& text) { drop_key(text, "TargetName"); });
  if (!step.s) return ctx.setup_error();
  return expect_initiator_error(step, "a Normal login without TargetName");
}

//= rfc7143#section-11.13.5 type=test
//# Not found     | 0203 | The requested ITN does not
//#               |      | exist at this address.
TOUCHSTONE_CASE({.id = "login.names.unknown-target",
                 .title = "a login to a target name the portal does not serve gets 0x0203",
                 .citations = {"rfc7143#section-11.13.5"},
                 .level = requirement_level::must,
                 .tags = {"login", "names", "status"}}) {
  auto o = ctx.normal_login();
  o.target_name = "iqn.2024-01.org.touchstone:no-such-target";
  const auto step = first_login_step(ctx, o);
  if (!step.s) return ctx.setup_error();
  return expect_initiator_error(step, "an unknown TargetName",
                                static_cast<std::uint16_t>(pdu::login_status::not_found));
}

//= rfc7143#section-6.3 type=test
//# An attempt to
//# renegotiate/redeclare parameters not specifically allowed MUST be
//# detected by the initiator and target.  If such an attempt is detected
//# by the target, the target MUST respond with a Login reject (initiator
//# error)
TOUCHSTONE_CASE({.id = "login.keys.offered-twice",
                 .title = "MaxBurstLength offered twice in one Login Request is a Login reject (class 2)",
                 .citations = {"rfc7143#section-6.3", "rfc7143#section-6.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys"}}) {
  const auto step = first_login_step(ctx, ctx.normal_login(), [](auto& b, auto& text) {
    b.csg(pdu::login_stage::operational_negotiation).transit_to(pdu::login_stage::full_feature_phase);
    drop_key(text, "AuthMethod");
    text.push_back({"MaxBurstLength", "65536"});
    text.push_back({"MaxBurstLength", "131072"});
  });
  if (!step.s) return ctx.setup_error();
  return expect_initiator_error(step, "a key offered twice");
}

//= rfc7143#section-13.5 type=test
//# The InitiatorName MUST NOT be redeclared within the Login Phase.
TOUCHSTONE_CASE({.id = "login.keys.initiator-name-redeclared",
                 .title = "InitiatorName declared again in the operational stage is a Login reject",
                 .citations = {"rfc7143#section-13.5", "rfc7143#section-6.3"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "names"}}) {
  const auto o = ctx.normal_login();
  const auto first = first_login_step(ctx, o);
  if (!first.s) return ctx.setup_error();
  if (!first.login_response() || first.view().status_class() != 0)
    return unexpected(first.answer, "a successful first Login Response");
  if (!first.view().transit()) return verdict::skip("the target did not leave the security stage at once");
  const auto second = next_login_step(*first.s, first, pdu::login_stage::operational_negotiation, true,
                                      pdu::login_stage::full_feature_phase,
                                      {{"InitiatorName", o.initiator_name}});
  return expect_initiator_error(second, "InitiatorName redeclared");
}

//= rfc7143#section-6.2 type=test
//# However, the answer for a key
//# that is not understood MUST be key=NotUnderstood.
TOUCHSTONE_CASE({.id = "login.keys.unknown-key-not-understood",
                 .title = "an unknown standard-label key is answered NotUnderstood",
                 .citations = {"rfc7143#section-6.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys"}}) {
  const auto out = login_offering(ctx, {{"TouchstoneProbeKey", "1"}});
  if (out.how == login_ending::transport) return verdict::error("login: " + out.summary());
  const auto answer = find_value(out.response_pairs(), "TouchstoneProbeKey");
  if (!answer) return verdict::fail("no answer to TouchstoneProbeKey (" + out.summary() + ")");
  if (*answer != "NotUnderstood") return verdict::fail("answered TouchstoneProbeKey=" + *answer);
  return verdict::pass();
}

//= rfc7143#section-6.2 type=test
//# Any key not understood by the acceptor may be ignored by the acceptor
//# without affecting the basic function.  However, the answer for a key
//# that is not understood MUST be key=NotUnderstood.
TOUCHSTONE_CASE({.id = "login.keys.private-key-not-understood",
                 .title = "a private X- key the target cannot know is answered NotUnderstood, the login goes on",
                 .citations = {"rfc7143#section-6.2", "rfc7143#section-13.22"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys"}}) {
  const auto out = login_offering(ctx, {{"X-org.touchstone.probe", "1"}});
  if (!out.ok()) return verdict::fail("the login failed: " + out.summary());
  const auto answer = find_value(out.response_pairs(), "X-org.touchstone.probe");
  if (!answer) return verdict::fail("no answer to X-org.touchstone.probe");
  if (*answer != "NotUnderstood") return verdict::fail("answered X-org.touchstone.probe=" + *answer);
  return verdict::pass();
}

//= rfc7143#section-13.25 type=test
//# When an IFMarker or OFMarker key is received, a compliant iSCSI
//# implementation SHOULD respond with the constant "Reject" value.  The
//# implementation MAY alternatively respond with a "No" value.
//# However, the implementation MUST NOT respond with a "NotUnderstood"
//# value for either of these keys.
TOUCHSTONE_CASE({.id = "login.keys.obsolete-markers",
                 .title = "OFMarker/IFMarker are answered Reject or No, never NotUnderstood",
                 .citations = {"rfc7143#section-13.25"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "obsolete"}}) {
  const auto out = login_offering(ctx, {{"OFMarker", "No"}, {"IFMarker", "No"}});
  if (out.how == login_ending::transport) return verdict::error("login: " + out.summary());
  for (const auto* key : {"OFMarker", "IFMarker"}) {
    const auto answer = find_value(out.response_pairs(), key);
    if (!answer) return verdict::fail(std::string("no answer to ") + key + " (" + out.summary() + ")");
    if (*answer != "Reject" && *answer != "No")
      return verdict::fail(std::string(key) + "=" + *answer);
  }
  return verdict::pass();
}

//= rfc7143#section-13.25 type=test
//# When an IFMarkInt or OFMarkInt key is received, a compliant iSCSI
//# implementation MUST respond with the constant "Reject" value.  The
//# implementation MUST NOT respond with a "NotUnderstood" value for
//# either of these keys.
TOUCHSTONE_CASE({.id = "login.keys.obsolete-mark-intervals",
                 .title = "OFMarkInt/IFMarkInt are answered Reject",
                 .citations = {"rfc7143#section-13.25"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "obsolete"}}) {
  const auto out = login_offering(ctx, {{"OFMarkInt", "2048~8192"}, {"IFMarkInt", "2048~8192"}});
  if (out.how == login_ending::transport) return verdict::error("login: " + out.summary());
  for (const auto* key : {"OFMarkInt", "IFMarkInt"}) {
    const auto answer = find_value(out.response_pairs(), key);
    if (!answer) return verdict::fail(std::string("no answer to ") + key + " (" + out.summary() + ")");
    if (*answer != "Reject") return verdict::fail(std::string(key) + "=" + *answer);
  }
  return verdict::pass();
}

//= rfc7143#section-13.14 type=test
//# FirstBurstLength MUST NOT exceed MaxBurstLength.
TOUCHSTONE_CASE({.id = "login.keys.first-burst-gt-max-burst",
                 .title = "offered FirstBurstLength > MaxBurstLength, the outcome keeps FirstBurstLength <= MaxBurstLength",
                 .citations = {"rfc7143#section-13.14", "rfc7143#section-13.13"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "burst"}}) {
  const auto out = login_offering(ctx, {{"InitialR2T", "No"},
                                        {"MaxBurstLength", "16384"},
                                        {"FirstBurstLength", "65536"}});
  // Refusing the offer as an initiator error is one allowed reaction.
  if (out.how == login_ending::status && pdu::status_class_of(out.status) == 2) return verdict::pass();
  if (!out.ok()) return verdict::fail("the login ended: " + out.summary());
  const auto pairs = out.response_pairs();
  const auto fb = find_value(pairs, "FirstBurstLength");
  const auto mb = find_value(pairs, "MaxBurstLength");
  if (!fb || !mb) return verdict::fail("FirstBurstLength or MaxBurstLength unanswered");
  if (*fb == "Irrelevant" || *fb == "Reject") return verdict::pass("FirstBurstLength=" + *fb);
  const auto first = pdu::parse_number(*fb);
  const auto max = pdu::parse_number(*mb);
  if (!first || !max) return verdict::fail("unreadable answers FirstBurstLength=" + *fb + " MaxBurstLength=" + *mb);
  if (*first > *max) return verdict::fail("answered FirstBurstLength=" + *fb + " > MaxBurstLength=" + *mb);
  return verdict::pass();
}

//= rfc7143#section-13.13 type=test
//# MaxBurstLength=<numerical-value-512-to-(2**24 - 1)>
//#
//# Default is 262144 (256 KB).
//#
//# Result function is Minimum.
TOUCHSTONE_CASE({.id = "login.keys.max-burst-minimum",
                 .title = "MaxBurstLength=512 is answered with a value no larger than 512",
                 .citations = {"rfc7143#section-13.13", "rfc7143#section-6.2.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "burst"}}) {
  const auto out = login_offering(ctx, {{"MaxBurstLength", "512"}, {"FirstBurstLength", "512"}});
  if (!out.ok()) return verdict::fail("the login failed: " + out.summary());
  const auto mb = find_value(out.response_pairs(), "MaxBurstLength");
  if (!mb) return verdict::fail("MaxBurstLength unanswered");
  const auto value = pdu::parse_number(*mb);
  if (!value || *value > 512) return verdict::fail("answered MaxBurstLength=" + *mb);
  return verdict::pass();
}

//= rfc7143#section-6.2.1 type=test
//# The responding party MUST respond with the same key and the first
//# value that it supports (and is allowed to use for the specific
//# originator) selected from the originator list.
TOUCHSTONE_CASE({.id = "login.keys.digest-answer-from-offer",
                 .title = "HeaderDigest=CRC32C,None is answered with one of the offered values",
                 .citations = {"rfc7143#section-6.2.1", "rfc7143#section-13.1"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "digests"}}) {
  const auto out = login_offering(ctx, {{"HeaderDigest", "CRC32C,None"}, {"DataDigest", "CRC32C,None"}});
  if (!out.ok()) return verdict::fail("the login failed: " + out.summary());
  for (const auto* key : {"HeaderDigest", "DataDigest"}) {
    const auto answer = find_value(out.response_pairs(), key);
    if (!answer) return verdict::fail(std::string(key) + " unanswered");
    if (*answer != "CRC32C" && *answer != "None") return verdict::fail(std::string(key) + "=" + *answer);
  }
  return verdict::pass();
}

//= rfc7143#section-6.2.1 type=test
//# The constant "None" MUST always be used to indicate a missing
//# function.  However, "None" is only a valid selection if it is
//# explicitly proposed.
TOUCHSTONE_CASE({.id = "login.keys.none-only-if-offered",
                 .title = "HeaderDigest=CRC32C (no None offered) is not answered None",
                 .citations = {"rfc7143#section-6.2.1", "rfc7143#section-13.1"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys", "digests"}}) {
  const auto out = login_offering(ctx, {{"HeaderDigest", "CRC32C"}});
  // Refusing what it does not support is allowed: Reject, or a failed login.
  if (out.how == login_ending::status || out.how == login_ending::transport) return verdict::pass(out.summary());
  const auto answer = find_value(out.response_pairs(), "HeaderDigest");
  if (!answer) return verdict::fail("HeaderDigest unanswered");
  if (*answer != "CRC32C" && *answer != "Reject") return verdict::fail("answered HeaderDigest=" + *answer);
  return verdict::pass();
}

//= rfc7143#section-6.2 type=test
//# The constants "None", "Reject", "Irrelevant", and "NotUnderstood" are
//# reserved and MUST ONLY be used as described here.  Violation of this
//# rule is a protocol error (in particular, the use of "Reject",
//# "Irrelevant", and "NotUnderstood" as proposed values).
TOUCHSTONE_CASE({.id = "login.keys.reject-as-offer",
                 .title = "a key offered with the value Reject is a protocol error: the login fails",
                 .citations = {"rfc7143#section-6.2"},
                 .level = requirement_level::must,
                 .tags = {"login", "keys"}}) {
  const auto out = login_offering(ctx, {{"InitialR2T", "Reject"}});
  if (out.ok()) return verdict::fail("the login succeeded with InitialR2T=Reject offered");
  if (out.how == login_ending::status || out.how == login_ending::transport) return verdict::pass(out.summary());
  return verdict::fail("the login ended: " + out.summary());
}

}  // namespace
}  // namespace touchstone::conformance::cases
