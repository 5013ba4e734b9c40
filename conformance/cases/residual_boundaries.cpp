// Residuals at the boundaries: a WRITE with EDTL 0, the read part of a
// bidirectional command, the flags on a Data-In carrying status, error status never in a
// Data-In (RFC 7143 sections 11.4.5, 11.7.3).
#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-11.4.5.2 type=test
//# If SPDTL > EDTL for a task, iSCSI Overflow MUST be signaled in the
//# SCSI Response PDU as specified in Section 11.4.5.1.  The Residual
//# Count MUST be set to the numerical value of (SPDTL - EDTL).
TOUCHSTONE_CASE({.id = "residual.write-edtl-zero",
                 .title = "WRITE(10) of one block with EDTL 0 (no W bit, no data): if GOOD, O set and residual = 1 block",
                 .citations = {"rfc7143#section-11.4.5.2", "rfc7143#section-11.4.5.1", "rfc7143#section-11.3.1"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-out"},
                 .needs = {need::writable_lun}}) {
  const auto t = transfer_session_with(ctx, {});
  if (!t.ok()) return t.problem;
  auto r = write_request(ctx, 0, 1, 0, 0);
  r.write = false;
  const auto out = run_scsi(*t.s, r);
  if (!out.completed()) return verdict::fail("the WRITE got " + out.summary());
  if (out.status != 0) return verdict::pass("refused with " + out.summary() + " (the residual is judged only on GOOD)");
  if (!out.overflow || out.underflow)
    return verdict::fail(std::string("GOOD with U=") + (out.underflow ? "1" : "0") + " O=" + (out.overflow ? "1" : "0"));
  if (out.residual_count != t.block)
    return verdict::fail("residual count " + std::to_string(out.residual_count) + ", expected " + std::to_string(t.block));
  return verdict::pass();
}

//= rfc7143#section-11.4.5.2 type=test
//# Note that the Overflow and Underflow scenarios are independent of
//# Data-In and Data-Out.  Either scenario is logically possible in
//# either direction of data transfer.
//= rfc7143#section-11.7.3 type=test
//# For bidirectional commands, the status MUST be sent in
//# a SCSI Response PDU.
//= rfc7143#section-11.4.6 type=test
//# The Bidirectional Read Residual Count field MUST be valid in the case where
//# either the u bit or the o bit is set.
TOUCHSTONE_CASE({.id = "residual.bidirectional-read-underflow",
                 .title = "a WRITE(10) sent bidirectional (read length 1 block, no read data): status in a SCSI Response, read underflow 1 block",
                 .citations = {"rfc7143#section-11.4.5.2", "rfc7143#section-11.4.1", "rfc7143#section-11.7.3",
                               "rfc7143#section-11.2.2.4", "rfc7143#section-11.4.6"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "bidirectional"},
                 .needs = {need::writable_lun}}) {
  auto* s = solicited_session(ctx);
  if (!s) return ctx.setup_error();
  const auto block = block_length(ctx, *s);
  if (block == 0) return ctx.error_after("READ CAPACITY(10) failed", *s);
  auto r = write_request(ctx, 0, 1, block, block);
  r.read = true;
  const auto command = command_for(*s, r).bidirectional_read_length(block).build();
  const auto out = drive_scsi(*s, command, r);
  // A target without bidirectional commands may refuse one; the residual is
  // judged where one runs.
  if (out.how == task_ending::rejected || out.last.connection_lost())
    return verdict::skip("the target refuses bidirectional commands: " + out.summary());
  if (!out.completed()) return verdict::fail("the bidirectional WRITE got " + out.summary());
  if (!out.final_pdu || out.final_pdu->op() != opcode::scsi_response)
    return verdict::fail("the status of a bidirectional command came in " + (out.final_pdu ? describe(*out.final_pdu) : std::string("nothing")));
  if (out.status != 0) return verdict::skip("the target refuses WRITE(10) as a bidirectional command: " + out.summary());
  if (!out.data_ins.empty()) return verdict::skip("the WRITE returned read data");
  const pdu::scsi_response_view v(*out.final_pdu);
  if (!v.bidi_read_underflow() || v.bidi_read_overflow())
    return verdict::fail(std::string("bidirectional read residual flags u=") + (v.bidi_read_underflow() ? "1" : "0") +
                         " o=" + (v.bidi_read_overflow() ? "1" : "0") + " with no read data for a read length of " +
                         std::to_string(block));
  if (v.bidi_read_residual_count() != block)
    return verdict::fail("Bidirectional Read Residual Count " + std::to_string(v.bidi_read_residual_count()) +
                         ", expected " + std::to_string(block));
  return verdict::pass();
}

//= rfc7143#section-11.7.3 type=test
//# bit 5-6          - used the same as in a SCSI Response.  These
//#                    bits are only valid when S is set to 1.  For
//#                    details, see Section 11.4.1.
//#
//# bit 7 S (status) - set to indicate that the Command Status field
//#                    contains status.  If this bit is set to 1, the
//#                    F bit MUST also be set to 1.
TOUCHSTONE_CASE({.id = "residual.data-in-status-flags",
                 .title = "READ underflow with status in the last Data-In: that PDU has F, U and the residual",
                 .citations = {"rfc7143#section-11.7.3", "rfc7143#section-11.4.5.2"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-in"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto block = block_length(ctx, *s);
  if (block == 0) return ctx.error_after("READ CAPACITY(10) failed", *s);
  const auto out = run_scsi(*s, read_request(ctx, 1, 2 * block));
  if (!out.completed() || !out.final_pdu) return ctx.error_after("the READ: " + out.summary(), *s);
  if (out.final_pdu->op() != opcode::data_in) return verdict::skip("the status came in a SCSI Response (allowed)");
  const pdu::data_in_view v(*out.final_pdu);
  if (!v.final_bit()) return verdict::fail("the Data-In with S=1 has F=0");
  if (!v.residual_underflow() || v.residual_overflow())
    return verdict::fail(std::string("the Data-In with status has U=") + (v.residual_underflow() ? "1" : "0") +
                         " O=" + (v.residual_overflow() ? "1" : "0"));
  if (v.residual_count() != block)
    return verdict::fail("residual count " + std::to_string(v.residual_count()) + ", expected " + std::to_string(block));
  return verdict::pass();
}

//= rfc7143#section-11.7.3 type=test
//# If the command is completed with an error, then the response and sense data
//# MUST be sent in a SCSI Response PDU (i.e., MUST NOT be sent in a SCSI
//# data packet).
TOUCHSTONE_CASE({.id = "residual.error-status-not-in-data-in",
                 .title = "a READ past the last LBA ends in CHECK CONDITION carried by a SCSI Response, not a Data-In",
                 .citations = {"rfc7143#section-11.7.3"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-in"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  (void)clear_unit_attentions(ctx, *s);
  const auto block = block_length(ctx, *s);
  if (block == 0) return ctx.error_after("READ CAPACITY(10) failed", *s);
  auto r = read_request(ctx, 1, block);
  r.cdb = cdb::read10(0xffff'fff0, 1);
  const auto out = run_scsi(*s, r);
  if (!out.completed() || !out.final_pdu) return ctx.error_after("the READ: " + out.summary(), *s);
  if (out.status == 0) return verdict::skip("a READ at LBA 0xfffffff0 succeeded (the LUN is that large)");
  if (out.final_pdu->op() != opcode::scsi_response)
    return verdict::fail("status " + pdu::scsi_status_text(out.status) + " came in " + describe(*out.final_pdu));
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
