// Header and data digests (RFC 7143 sections 7.8, 13.1).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

// A session with the given digests negotiated; skip when the target
// declines them.
struct digest_session {
  session* s = nullptr;
  verdict problem = verdict::pass();
};

digest_session with_digests(case_context& ctx, bool header, bool data) {
  digest_session d;
  auto o = ctx.normal_login();
  o.operational = {{"HeaderDigest", header ? "CRC32C,None" : "None"},
                   {"DataDigest", data ? "CRC32C,None" : "None"}};
  auto* s = ctx.connect();
  if (!s) {
    d.problem = ctx.setup_error();
    return d;
  }
  const auto out = login(*s, o);
  if (!out.ok()) {
    d.problem = verdict::error("a login offering CRC32C,None digests fails: " + out.summary());
    return d;
  }
  const auto& p = s->params();
  if ((header && p.header_digest != pdu::digest_type::crc32c) || (data && p.data_digest != pdu::digest_type::crc32c)) {
    d.problem = verdict::skip("the target chose None for CRC32C,None (digests not enabled there)");
    return d;
  }
  d.s = s;
  return d;
}

//= rfc7143#section-13.1 type=test
//# The following table lists cyclic integrity checksums that can be
//# negotiated for the digests and MUST be implemented by every iSCSI
//# initiator and target.
//= rfc7143#section-13.1 type=test
//# When the initiator and target agree on a digest, this digest MUST be used
//# for every PDU in the Full Feature Phase.
TOUCHSTONE_CASE({.id = "digest.crc32c-both-ways",
                 .title = "with CRC32C header and data digests, a ping with data round-trips with good digests",
                 .citations = {"rfc7143#section-13.1", "rfc7143#section-11.2.3"},
                 .level = requirement_level::must,
                 .tags = {"digests", "nop"}}) {
  const auto d = with_digests(ctx, true, true);
  if (!d.s) return d.problem;
  const auto data = pattern(100);
  const auto ping = ping_request(*d.s, data);
  (void)d.s->send(ping);
  const auto seen = await_itt(*d.s, ping.header().initiator_task_tag());
  if (seen.what == observed::stream_error || seen.what == observed::data_digest_error)
    return verdict::fail("the target's digest is wrong: " + seen.describe());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  // What the echo holds is nop.ping.echoes-data's clause (11.18.3), not this
  // case's: the digests checked out over the bytes that came.
  if (seen.received.data != data)
    return verdict::pass("digests sound; the echoed data differs (nop.ping.echoes-data judges that)");
  return verdict::pass();
}

//= rfc7143#section-7.8 type=test
//# When a target or an initiator receives any iSCSI PDU with a header
//# digest error, it MUST either discard the header and all data up to
//# the beginning of a later PDU or close the connection.
TOUCHSTONE_CASE({.id = "digest.header-error-discarded-or-closed",
                 .title = "a ping with a bad header digest is discarded or the connection closed; never answered",
                 .citations = {"rfc7143#section-7.8"},
                 .level = requirement_level::must,
                 .tags = {"digests", "malformed"}}) {
  const auto d = with_digests(ctx, true, false);
  if (!d.s) return d.problem;
  const auto ping = ping_request(*d.s);
  auto bytes = d.s->wire().encode(ping);
  bytes[pdu::bhs_size] ^= 0x5a;  // the first byte of the header digest
  if (d.s->send_bytes(bytes)) return ctx.error_after("sending the ping", *d.s);
  const auto seen = await_itt(*d.s, ping.header().initiator_task_tag());
  if (seen.connection_lost()) return verdict::pass("the target closed the connection");
  if (seen.is(opcode::nop_in)) return verdict::fail("the corrupted ping was answered");
  if (seen.what != observed::timeout) return unexpected(seen, "silence or a close");
  // Discarded: a later, sound PDU must still be understood.
  const auto again = ping_request(*d.s);
  (void)d.s->send(again);
  const auto after = await_itt(*d.s, again.header().initiator_task_tag());
  if (after.connection_lost()) return verdict::pass("the target closed the connection");
  if (!after.is(opcode::nop_in)) return unexpected(after, "an answer to the next, sound ping");
  return verdict::pass("discarded");
}

//= rfc7143#section-7.8 type=test
//# When a target receives any iSCSI PDU with a payload digest error, it
//# MUST answer with a Reject PDU with a reason code of Data-Digest-Error
//# and discard the PDU.
TOUCHSTONE_CASE({.id = "digest.data-error-on-ping-rejected",
                 .title = "a ping with a bad data digest is answered by Reject 0x02 (or session recovery), never echoed",
                 .citations = {"rfc7143#section-7.8", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"digests", "reject"}}) {
  const auto d = with_digests(ctx, false, true);
  if (!d.s) return d.problem;
  const auto ping = ping_request(*d.s, pattern(64));
  auto bytes = d.s->wire().encode(ping);
  bytes.back() ^= 0x5a;  // the data digest's last byte
  if (d.s->send_bytes(bytes)) return ctx.error_after("sending the ping", *d.s);
  const auto seen = await_itt(*d.s, ping.header().initiator_task_tag());
  if (seen.is(opcode::nop_in)) return verdict::fail("the ping with a bad data digest was echoed");
  //= rfc7143#section-7.8 type=test
  //# either party detecting a digest error may choose to escalate the error to
  //# session recovery.
  if (seen.connection_lost()) return survives(ctx, "a data digest error escalated to session recovery");
  if (!seen.is(opcode::reject)) return unexpected(seen, "a Reject with reason 0x02");
  const auto reason = pdu::reject_view(seen.received).raw_reason();
  if (reason != 0x02) return verdict::fail("Reject reason " + std::to_string(reason) + ", expected 0x02");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
