// Digests in use: a header digest alone, a Data-Out with a bad data digest,
// and a SCSI Command with a bad header digest (RFC 7143 sections 7.8, 11.2.3,
// 11.4.7.2, 13.1).
#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A session with CRC32C where asked (skip when the target declines) and
// solicited writes, for the cases that send a WRITE.
struct digest_session {
  session* s = nullptr;
  verdict problem = verdict::pass();
};

digest_session crc32c(case_context& ctx, bool header, bool data) {
  digest_session d;
  auto o = ctx.normal_login();
  o.operational = {{"HeaderDigest", header ? "CRC32C,None" : "None"},
                   {"DataDigest", data ? "CRC32C,None" : "None"},
                   {"InitialR2T", "Yes"},
                   {"ImmediateData", "No"}};
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

//= rfc7143#section-11.2.3 type=test
//# The digests, if present, are located,
//# respectively, after the header and PDU-specific data and cover,
//# respectively, the header and the PDU data, each including the padding
//# bytes, if any.
TOUCHSTONE_CASE({.id = "digest.header-only.round-trip",
                 .title = "with HeaderDigest=CRC32C and DataDigest=None, a 99-byte ping round-trips (no data digest)",
                 .citations = {"rfc7143#section-11.2.3", "rfc7143#section-13.1"},
                 .level = requirement_level::must,
                 .tags = {"digests", "nop"}}) {
  const auto d = crc32c(ctx, true, false);
  if (!d.s) return d.problem;
  const auto data = pattern(99, 5);
  const auto ping = ping_request(*d.s, data);
  (void)d.s->send(ping);
  const auto seen = await_itt(*d.s, ping.header().initiator_task_tag());
  if (seen.what == observed::stream_error) return verdict::fail("the target's header digest or framing is wrong: " + seen.detail);
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In");
  // What the echo holds is nop.ping.echoes-data's clause (11.18.3), not this
  // case's: the digests checked out over the bytes that came.
  if (seen.received.data != data)
    return verdict::pass("digests sound; the echoed data differs (nop.ping.echoes-data judges that)");
  return verdict::pass();
}

//= rfc7143#section-7.8 type=test
//# When a target receives any iSCSI PDU with a payload digest error, it
//# MUST answer with a Reject PDU with a reason code of Data-Digest-Error
//# and discard the PDU.
//# - If the discarded PDU is a solicited or unsolicited iSCSI data PDU
//#   (for immediate data in a command PDU, the non-data PDU rule below
//#   applies), the target MUST do one of the following:
//#   a) Request retransmission with a recovery R2T.
//#   b) Terminate the task with a SCSI Response PDU with a CHECK
//#      CONDITION Status and an iSCSI Condition of "Protocol Service CRC
//#      error" (Section 11.4.7.2).
TOUCHSTONE_CASE({.id = "digest.data-error-on-data-out",
                 .title = "a Data-Out with a bad data digest: Reject 0x02, then a recovery R2T or CHECK CONDITION 47h/05h (or session recovery)",
                 .citations = {"rfc7143#section-7.8", "rfc7143#section-11.4.7.2", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"digests", "reject", "data-out"},
                 .needs = {need::writable_lun}}) {
  const auto d = crc32c(ctx, false, true);
  if (!d.s) return d.problem;
  held_write w;
  w.s = d.s;
  w.block = block_length(ctx, *d.s);
  if (w.block == 0) return ctx.error_after("READ CAPACITY(10) failed", *d.s);
  const auto r = write_request(ctx, 0, 1, w.block, w.block);
  const auto command = command_for(*d.s, r).build();
  w.itt = command.header().initiator_task_tag();
  if (d.s->send(command)) return ctx.error_after("sending the WRITE", *d.s);
  const auto r2t = await_itt(*d.s, w.itt);
  if (!r2t.is(opcode::r2t)) return unexpected(r2t, "an R2T for the WRITE");
  w.r2t = r2t.received;
  const pdu::r2t_view v(w.r2t);
  auto bytes = d.s->wire().encode(data_out_for(ctx, w, v.buffer_offset(), v.desired_data_transfer_length(), true).build());
  bytes.back() ^= 0x5a;
  if (d.s->send_bytes(bytes)) return ctx.error_after("sending the Data-Out", *d.s);
  const auto seen = answer_about(*d.s, w.itt);
  //= rfc7143#section-7.8 type=test
  //# either party detecting a digest error may choose to escalate the error to
  //# session recovery.
  if (seen.connection_lost()) return survives(ctx, "a Data-Out digest error escalated to session recovery");
  if (reject_reason(seen) != std::optional<std::uint8_t>{0x02}) return unexpected(seen, "a Reject with reason 0x02");
  auto out = finish_task(ctx, *d.s, w.itt);
  if (out.how == task_ending::transport && out.last.what == observed::timeout) {
    // Option b) waits for the data PDU with the F bit, which was discarded:
    // it comes again, sound, and the task must then end in CHECK CONDITION.
    if (d.s->send(data_out_for(ctx, w, v.buffer_offset(), v.desired_data_transfer_length(), true).build()))
      return ctx.error_after("sending the Data-Out again", *d.s);
    out = finish_task(ctx, *d.s, w.itt);
  }
  if (!out.r2ts.empty()) {
    if (!out.good()) return verdict::fail("after the recovery R2T was answered the WRITE got " + out.summary());
    return verdict::pass("a recovery R2T");
  }
  return expect_iscsi_condition(out, 0x47, 0x05, "the WRITE whose data was discarded");
}

//= rfc7143#section-7.8 type=test
//# When a target or an initiator receives any iSCSI PDU with a header
//# digest error, it MUST either discard the header and all data up to
//# the beginning of a later PDU or close the connection.
TOUCHSTONE_CASE({.id = "digest.header-error-on-command",
                 .title = "a TEST UNIT READY with a bad header digest is never answered (discarded or the close)",
                 .citations = {"rfc7143#section-7.8"},
                 .level = requirement_level::must,
                 .tags = {"digests", "malformed"}}) {
  const auto d = crc32c(ctx, true, false);
  if (!d.s) return d.problem;
  const auto command = pdu::scsi_command_builder{}
                           .immediate()
                           .final_bit()
                           .lun(lun_field(ctx.target().lun))
                           .initiator_task_tag(d.s->next_itt())
                           .cmd_sn(d.s->cmd_sn())
                           .exp_stat_sn(d.s->exp_stat_sn())
                           .cdb(cdb::test_unit_ready())
                           .build();
  auto bytes = d.s->wire().encode(command);
  bytes[pdu::bhs_size + 2] ^= 0x81;
  if (d.s->send_bytes(bytes)) return ctx.error_after("sending", *d.s);
  const auto seen = d.s->expect_silence();
  if (seen.connection_lost()) return survives(ctx, "a header digest error");
  if (seen.is_pdu() && seen.received.header().initiator_task_tag() == command.header().initiator_task_tag())
    return verdict::fail("the command with a bad header digest was answered: " + seen.describe());
  if (seen.is_pdu()) return unexpected(seen, "nothing or the close");
  return verdict::pass("discarded");
}

}  // namespace
}  // namespace touchstone::conformance::cases
