// Residuals beyond READ: WRITE under/overflow, EDTL 0, allocation-length
// truncation (RFC 7143 sections 11.4.5, 11.4.5.3).
#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

verdict residual_is(const scsi_outcome& out, bool underflow, bool overflow, std::uint32_t count) {
  if (!out.completed()) return verdict::error("no status: " + out.summary());
  if (out.underflow != underflow || out.overflow != overflow)
    return verdict::fail(std::string("U=") + (out.underflow ? "1" : "0") + " O=" + (out.overflow ? "1" : "0") +
                         (underflow ? ", expected U=1" : overflow ? ", expected O=1" : ", expected neither"));
  if ((underflow || overflow) && out.residual_count != count)
    return verdict::fail("residual count " + std::to_string(out.residual_count) + ", expected " + std::to_string(count));
  return verdict::pass();
}

// A solicited WRITE of `blocks` blocks with EDTL of `edtl_blocks` blocks.
verdict write_residual(case_context& ctx, std::uint16_t blocks, std::uint16_t edtl_blocks) {
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "Yes"}, {"ImmediateData", "No"}});
  if (!t.ok()) return t.problem;
  const auto edtl = edtl_blocks * t.block;
  const auto out = run_scsi(*t.s, write_request(ctx, 0, blocks, edtl, edtl));
  const auto spdtl = blocks * t.block;
  return residual_is(out, spdtl < edtl, spdtl > edtl, spdtl > edtl ? spdtl - edtl : edtl - spdtl);
}

//= rfc7143#section-11.4.5.2 type=test
//# If SPDTL < EDTL for a task, iSCSI Underflow MUST be signaled in the
//# SCSI Response PDU as specified in Section 11.4.5.1.  The Residual
//# Count MUST be set to the numerical value of (EDTL - SPDTL).
TOUCHSTONE_CASE({.id = "residual.write-underflow",
                 .title = "WRITE of 1 block with EDTL of 2 blocks: U set, residual = 1 block",
                 .citations = {"rfc7143#section-11.4.5.2", "rfc7143#section-11.4.5.1"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-out"},
                 .needs = {need::writable_lun}}) {
  return write_residual(ctx, 1, 2);
}

//= rfc7143#section-11.4.5.2 type=test
//# If SPDTL > EDTL for a task, iSCSI Overflow MUST be signaled in the
//# SCSI Response PDU as specified in Section 11.4.5.1.  The Residual
//# Count MUST be set to the numerical value of (SPDTL - EDTL).
TOUCHSTONE_CASE({.id = "residual.write-overflow",
                 .title = "WRITE of 2 blocks with EDTL of 1 block: O set, residual = 1 block",
                 .citations = {"rfc7143#section-11.4.5.2", "rfc7143#section-11.4.5.1"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-out"},
                 .needs = {need::writable_lun}}) {
  return write_residual(ctx, 2, 1);
}

//= rfc7143#section-11.4.5.2 type=test
//# Note that the Overflow and Underflow scenarios are independent of
//# Data-In and Data-Out.  Either scenario is logically possible in
//# either direction of data transfer.
TOUCHSTONE_CASE({.id = "residual.write-exact",
                 .title = "WRITE whose EDTL matches: neither U nor O",
                 .citations = {"rfc7143#section-11.4.5.2"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-out"},
                 .needs = {need::writable_lun}}) {
  return write_residual(ctx, 2, 2);
}

//= rfc7143#section-11.4.5.2 type=test
//# If SPDTL > EDTL for a task, iSCSI Overflow MUST be signaled in the
//# SCSI Response PDU as specified in Section 11.4.5.1.  The Residual
//# Count MUST be set to the numerical value of (SPDTL - EDTL).
TOUCHSTONE_CASE({.id = "residual.read-edtl-zero",
                 .title = "READ of 1 block with EDTL 0 (R=0): O set, residual = 1 block, no data sent",
                 .citations = {"rfc7143#section-11.4.5.2", "rfc7143#section-11.3.1"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-in"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto block = block_length(ctx, *s);
  if (block == 0) return ctx.error_after("READ CAPACITY(10) failed", *s);
  auto r = read_request(ctx, 1, 0);
  r.read = false;
  const auto out = run_scsi(*s, r);
  if (out.data_bytes_received != 0) return verdict::fail(std::to_string(out.data_bytes_received) + " bytes sent for EDTL 0");
  // Only a READ that completed GOOD presented its block (SPDTL = block).
  if (!out.good()) return verdict::skip("the READ with EDTL 0 ended with " + out.summary() + ": no data was presented");
  return residual_is(out, false, true, block);
}

// INQUIRY with the given allocation length and EDTL.
scsi_outcome inquiry_with(case_context& ctx, session& s, std::uint16_t allocation, std::uint32_t edtl) {
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::inquiry(allocation);
  r.read = true;
  r.expected_length = edtl;
  return run_scsi(s, r);
}

//= rfc7143#section-11.4.5.3 type=test
//# If all of the LU inventory data
//# presented to the iSCSI layer -- i.e., the data remaining after any
//# SCSI truncation -- is transferred to the initiator by the iSCSI
//# layer, an iSCSI Residual Overflow has not occurred and the iSCSI (O)
//# bit MUST NOT be set in the SCSI Response or final SCSI Data-Out PDU.
TOUCHSTONE_CASE({.id = "residual.allocation-truncation-no-overflow",
                 .title = "INQUIRY with allocation length 8 and EDTL 8: 8 bytes, O not set",
                 .citations = {"rfc7143#section-11.4.5.3"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-in"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto out = inquiry_with(ctx, *s, 8, 8);
  if (!out.good()) return ctx.error_after("INQUIRY: " + out.summary(), *s);
  if (out.data_bytes_received != 8) return verdict::fail(std::to_string(out.data_bytes_received) + " bytes for allocation length 8");
  return residual_is(out, false, false, 0);
}

//= rfc7143#section-11.4.5.2 type=test
//# If SPDTL < EDTL for a task, iSCSI Underflow MUST be signaled in the
//# SCSI Response PDU as specified in Section 11.4.5.1.  The Residual
//# Count MUST be set to the numerical value of (EDTL - SPDTL).
//= rfc7143#section-11.4.5.3 type=test
//# An iSCSI Underflow MUST also be signaled when the iSCSI EDTL is equal to the
//# ALLOCATION LENGTH but the LU inventory data presented to the iSCSI layer is
//# smaller than the ALLOCATION LENGTH.
TOUCHSTONE_CASE({.id = "residual.inquiry-underflow",
                 .title = "INQUIRY with allocation length and EDTL 255: U set, residual = 255 - bytes sent",
                 .citations = {"rfc7143#section-11.4.5.2", "rfc7143#section-11.4.5.3"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-in"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto out = inquiry_with(ctx, *s, 255, 255);
  if (!out.good()) return ctx.error_after("INQUIRY: " + out.summary(), *s);
  if (out.data_bytes_received >= 255) return verdict::skip("the standard INQUIRY data fills 255 bytes");
  return residual_is(out, true, false, static_cast<std::uint32_t>(255 - out.data_bytes_received));
}

//= rfc7143#section-11.4.5.3 type=test
//# However, if the iSCSI EDTL is larger than the ALLOCATION LENGTH in
//# this scenario, note that the iSCSI Underflow MUST be signaled in the
//# SCSI Response PDU.
TOUCHSTONE_CASE({.id = "residual.edtl-beyond-allocation",
                 .title = "INQUIRY with allocation length 8 and EDTL 16: 8 bytes, U set, residual 8",
                 .citations = {"rfc7143#section-11.4.5.3", "rfc7143#section-11.4.5.2"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-in"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto out = inquiry_with(ctx, *s, 8, 16);
  if (!out.good()) return ctx.error_after("INQUIRY: " + out.summary(), *s);
  // Standard INQUIRY data is at least 36 bytes: the allocation length cuts it to 8.
  if (out.data_bytes_received != 8)
    return verdict::fail(std::to_string(out.data_bytes_received) + " bytes for allocation length 8");
  return residual_is(out, true, false, 8);
}

//= rfc7143#section-11.4.5.1 type=test
//# If neither bit is set, the Residual Count
//# field MUST be ignored on reception and SHOULD be set to 0 when
//# sending.
TOUCHSTONE_CASE({.id = "residual.count-zero-without-flags",
                 .title = "with neither U nor O set, the Residual Count is 0",
                 .citations = {"rfc7143#section-11.4.5.1"},
                 .level = requirement_level::should,
                 .tags = {"residuals"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto block = block_length(ctx, *s);
  if (block == 0) return ctx.error_after("READ CAPACITY(10) failed", *s);
  const auto out = run_scsi(*s, read_request(ctx, 1, block));
  if (!out.good()) return ctx.error_after("READ: " + out.summary(), *s);
  if (!out.underflow && !out.overflow && out.residual_count != 0)
    return verdict::fail("Residual Count " + std::to_string(out.residual_count) + " with neither flag set");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
