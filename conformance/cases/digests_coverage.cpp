// What digests cover: padding, empty segments, discovery sessions, data digest
// errors on immediate data and Data-Out (RFC 7143 sections 7.8, 11.2.3,
// 11.2.4, 13.1).
#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A session (normal or discovery) with CRC32C negotiated where asked, or a
// problem (skip when the target declines CRC32C).
struct digested {
  session* s = nullptr;
  verdict problem = verdict::pass();
};

digested crc32c_session(case_context& ctx, login_options o, bool header, bool data, pdu::text_pairs extra = {}) {
  digested d;
  o.operational = {{"HeaderDigest", header ? "CRC32C,None" : "None"}, {"DataDigest", data ? "CRC32C,None" : "None"}};
  o.operational.insert(o.operational.end(), extra.begin(), extra.end());
  d.s = ctx.logged_in(o);
  if (!d.s) {
    d.problem = ctx.setup_error();
    return d;
  }
  const auto& p = d.s->params();
  if ((header && p.header_digest != pdu::digest_type::crc32c) || (data && p.data_digest != pdu::digest_type::crc32c)) {
    d.problem = verdict::skip("the target chose None for CRC32C,None");
    d.s = nullptr;
  }
  return d;
}

// A ping with `n` bytes of data; pass when echoed with sound digests and
// the next ping is still answered (the echo took the bytes it should).
verdict echoed(session& s, std::size_t n) {
  const auto data = pattern(n, 9);
  const auto ping = ping_request(s, data);
  (void)s.send(ping);
  const auto seen = await_itt(s, ping.header().initiator_task_tag());
  if (seen.what == observed::stream_error || seen.what == observed::data_digest_error)
    return verdict::fail("the target's digest is wrong: " + seen.describe());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  // What the echo holds is nop.ping.echoes-data's clause (11.18.3), not this
  // case's: the digests checked out over the bytes that came.
  // A digest or padding too many in the answer shows only in what follows it.
  if (auto v = still_in_step(s, "the echo of a " + std::to_string(n) + "-byte ping"); v.kind != verdict_kind::pass)
    return v;
  if (seen.received.data != data)
    return verdict::pass("digests sound; the echoed data differs (nop.ping.echoes-data judges that)");
  return verdict::pass();
}

//= rfc7143#section-11.2.3 type=test
//# The digests, if present, are located,
//# respectively, after the header and PDU-specific data and cover,
//# respectively, the header and the PDU data, each including the padding
//# bytes, if any.
TOUCHSTONE_CASE({.id = "digest.padding-covered",
                 .title = "with DataDigest=CRC32C a 5-byte ping (3 pad bytes) round-trips: the digest covers the padding",
                 .citations = {"rfc7143#section-11.2.3", "rfc7143#section-11.2.4"},
                 .level = requirement_level::must,
                 .tags = {"digests", "nop"}}) {
  const auto d = crc32c_session(ctx, ctx.normal_login(), false, true);
  if (!d.s) return d.problem;
  return echoed(*d.s, 5);
}

//= rfc7143#section-11.2.3 type=test
//# A zero-length Data Segment also implies a zero-length Data-Digest.
TOUCHSTONE_CASE({.id = "digest.none-on-empty-segment",
                 .title = "with both digests a ping without data is answered, with no data digest either way (the next ping still in step)",
                 .citations = {"rfc7143#section-11.2.3"},
                 .level = requirement_level::must,
                 .tags = {"digests", "nop"}}) {
  const auto d = crc32c_session(ctx, ctx.normal_login(), true, true);
  if (!d.s) return d.problem;
  return echoed(*d.s, 0);
}

//= rfc7143#section-13.1 type=test
//# The following table lists cyclic integrity checksums that can be
//# negotiated for the digests and MUST be implemented by every iSCSI
//# initiator and target.
TOUCHSTONE_CASE({.id = "digest.discovery-session",
                 .title = "a Discovery session with CRC32C digests answers SendTargets=All",
                 .citations = {"rfc7143#section-13.1", "rfc7143#section-11.2.3"},
                 .level = requirement_level::must,
                 .tags = {"digests", "discovery"}}) {
  const auto d = crc32c_session(ctx, ctx.discovery_login(), true, true);
  if (!d.s) return d.problem;
  const auto out = text_exchange(*d.s, {{"SendTargets", "All"}});
  if (!out.complete) return unexpected(out.last, "a final Text Response with sound digests");
  if (!find_value(out.pairs, "TargetName")) return verdict::fail("SendTargets=All named no target");
  return verdict::pass();
}

//= rfc7143#section-7.8 type=test
//# When a target receives any iSCSI PDU with a payload digest error, it
//# MUST answer with a Reject PDU with a reason code of Data-Digest-Error
//# and discard the PDU.
//#
//# - If the discarded PDU is a solicited or unsolicited iSCSI data PDU
//#   (for immediate data in a command PDU, the non-data PDU rule below
//#   applies), the target MUST do one of the following:
//# ...
//# - No further action is necessary for targets if the discarded PDU is
//#   a non-data PDU.  In the case of immediate data being present on a
//#   discarded command, the immediate data is implicitly recovered when
//#   the task is retried (see Section 7.2.1), followed by the entire
//#   data transfer for the task.
TOUCHSTONE_CASE({.id = "digest.data-error-on-immediate-data",
                 .title = "a WRITE whose immediate data has a bad digest: Reject 0x02, no status; the retried command completes",
                 .citations = {"rfc7143#section-7.8", "rfc7143#section-7.2.1", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"digests", "reject", "immediate-data"},
                 .needs = {need::writable_lun}}) {
  const auto d = crc32c_session(ctx, ctx.normal_login(), false, true, {{"ImmediateData", "Yes"}, {"InitialR2T", "Yes"}});
  if (!d.s) return d.problem;
  if (!d.s->params().immediate_data) return verdict::skip("the target declined ImmediateData=Yes");
  const auto block = block_length(ctx, *d.s);
  if (block == 0) return ctx.error_after("READ CAPACITY(10) failed", *d.s);
  const auto r = write_request(ctx, 0, 1, block, block);
  const auto command = command_for(*d.s, r).build();
  auto bytes = d.s->wire().encode(command);
  bytes.back() ^= 0x5a;
  if (d.s->send_bytes(bytes)) return ctx.error_after("sending the WRITE", *d.s);
  const auto seen = answer_about(*d.s, command.header().initiator_task_tag());
  //= rfc7143#section-7.8 type=test
  //# either party detecting a digest error may choose to escalate the error to
  //# session recovery.
  if (seen.connection_lost()) return survives(ctx, "a data digest error escalated to session recovery");
  if (reject_reason(seen) != std::optional<std::uint8_t>{0x02}) return unexpected(seen, "a Reject with reason 0x02");
  if (auto v = no_answer_for(*d.s, command.header().initiator_task_tag(), "the discarded WRITE"); v.kind != verdict_kind::pass)
    return v;
  const auto retried = drive_scsi(*d.s, command, r);
  if (!retried.good()) return verdict::fail("the retried WRITE got " + retried.summary());
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
