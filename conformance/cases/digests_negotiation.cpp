// Digest negotiation outcomes (RFC 7143 sections 6.2.1, 13.1): the default,
// an offer without None, and a value the target does not know.
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

struct negotiated {
  session* s = nullptr;
  login_outcome out;
  verdict problem = verdict::pass();
};

negotiated login_offering(case_context& ctx, const pdu::text_pairs& offers) {
  negotiated n;
  auto o = ctx.normal_login();
  o.operational = offers;
  n.s = ctx.connect();
  if (!n.s) {
    n.problem = ctx.setup_error();
    return n;
  }
  n.out = login(*n.s, o);
  if (!n.out.ok() && n.out.how != login_ending::status) n.problem = verdict::error("login: " + n.out.summary());
  return n;
}

// The target's answer to `key` in the login (its last value), if any.
std::optional<std::string> answer_to(const negotiated& n, std::string_view key) {
  return find_value(n.out.response_pairs(), key);
}

// A ping with data round-trips under whatever digests are in force: a NOP-In
// framed and checked under them shows the digests both sides use agree.
// What the echo holds is another clause's (nop.ping.echoes-data, 11.18.3):
// noted, never this case's verdict.
verdict ping_round_trips(session& s) {
  const auto data = pattern(37, 3);
  const auto ping = ping_request(s, data);
  (void)s.send(ping);
  const auto seen = await_itt(s, ping.header().initiator_task_tag());
  if (seen.what == observed::stream_error || seen.what == observed::data_digest_error)
    return verdict::fail("the target's framing or digests are wrong: " + seen.describe());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  // Digests the target adds that the session did not agree on show only in
  // what follows: the echo's digest is read as data, the stream loses step.
  if (auto v = still_in_step(s, "the first ping's echo"); v.kind != verdict_kind::pass) return v;
  if (seen.received.data != data)
    return verdict::pass("the NOP-In framed right; its echoed data differs (nop.ping.echoes-data judges that)");
  return verdict::pass();
}

//= rfc7143#section-13.1 type=test
//# Default is None for both HeaderDigest and DataDigest.
TOUCHSTONE_CASE({.id = "digest.negotiation.default-none",
                 .title = "with no digest keys offered, digests stay None and a ping round-trips without them",
                 .citations = {"rfc7143#section-13.1"},
                 .level = requirement_level::must,
                 .tags = {"digests", "login"}}) {
  const auto n = login_offering(ctx, {});
  if (!n.s) return n.problem;
  if (!n.out.ok()) return verdict::error("login: " + n.out.summary());
  if (answer_to(n, "HeaderDigest") || answer_to(n, "DataDigest"))
    return verdict::skip("the target proposed digests itself");
  if (n.s->params().header_digest != pdu::digest_type::none || n.s->params().data_digest != pdu::digest_type::none)
    return verdict::fail("digests are in force though none were negotiated");
  return ping_round_trips(*n.s);
}

//= rfc7143#section-6.2.1 type=test
//# The constant "None" MUST always be used to indicate a missing
//# function.  However, "None" is only a valid selection if it is
//# explicitly proposed.
TOUCHSTONE_CASE({.id = "digest.negotiation.crc32c-only-offer",
                 .title = "HeaderDigest=CRC32C and DataDigest=CRC32C (no None) are answered CRC32C (or Reject), never None",
                 .citations = {"rfc7143#section-6.2.1", "rfc7143#section-13.1"},
                 .level = requirement_level::must,
                 .tags = {"digests", "login"}}) {
  const auto n = login_offering(ctx, {{"HeaderDigest", "CRC32C"}, {"DataDigest", "CRC32C"}});
  if (!n.s) return n.problem;
  for (const auto* key : {"HeaderDigest", "DataDigest"}) {
    const auto a = answer_to(n, key);
    if (!a) continue;
    if (*a != "CRC32C" && *a != "Reject") return verdict::fail(std::string(key) + "=" + *a + " in answer to CRC32C alone");
  }
  if (!n.out.ok()) return verdict::pass("the login ended: " + n.out.summary());
  if (n.s->params().header_digest != pdu::digest_type::crc32c || n.s->params().data_digest != pdu::digest_type::crc32c)
    return verdict::pass("rejected");
  return ping_round_trips(*n.s);
}

//= rfc7143#section-6.2.1 type=test
//# If an acceptor does not understand any particular value in a list, it
//# MUST ignore it.
TOUCHSTONE_CASE({.id = "digest.negotiation.unknown-value-ignored",
                 .title = "HeaderDigest=X-org.touchstone.md5,CRC32C,None: the unknown value is skipped, never chosen",
                 .citations = {"rfc7143#section-6.2.1", "rfc7143#section-13.1"},
                 .level = requirement_level::must,
                 .tags = {"digests", "login"}}) {
  const auto n = login_offering(ctx, {{"HeaderDigest", "X-org.touchstone.md5,CRC32C,None"}});
  if (!n.s) return n.problem;
  const auto a = answer_to(n, "HeaderDigest");
  if (!n.out.ok()) return verdict::fail("the login failed: " + n.out.summary());
  if (!a) return verdict::fail("HeaderDigest was not answered");
  if (*a != "CRC32C" && *a != "None") return verdict::fail("HeaderDigest=" + *a);
  return ping_round_trips(*n.s);
}

}  // namespace
}  // namespace touchstone::conformance::cases
