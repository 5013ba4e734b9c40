// Residuals on READ (RFC 7143 sections 11.4.5, 11.7.3).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

struct residual_read {
  scsi_outcome out;
  std::uint32_t block = 0;
  verdict setup = verdict::pass();
};

// READ(10) of `blocks` blocks with EDTL = edtl_blocks * block length.
residual_read read_with_edtl(case_context& ctx, std::uint16_t blocks, std::uint16_t edtl_blocks) {
  residual_read r;
  auto* s = ctx.logged_in();
  if (!s) {
    r.setup = ctx.setup_error();
    return r;
  }
  r.block = block_length(ctx, *s);
  if (r.block == 0) {
    r.setup = ctx.error_after("READ CAPACITY(10) failed", *s);
    return r;
  }
  r.out = run_scsi(*s, read_request(ctx, blocks, edtl_blocks * r.block));
  if (!r.out.completed()) r.setup = verdict::error("the READ: " + r.out.summary());
  return r;
}

//= rfc7143#section-11.4.5.2 type=test
//# If SPDTL < EDTL for a task, iSCSI Underflow MUST be signaled in the
//# SCSI Response PDU as specified in Section 11.4.5.1.  The Residual
//# Count MUST be set to the numerical value of (EDTL - SPDTL).
//= rfc7143#section-11.4.5.1 type=test
//# The Residual Count field MUST be valid in the case where either the U bit or
//# the O bit is set.
TOUCHSTONE_CASE({.id = "residual.read-underflow",
                 .title = "READ of 1 block with EDTL of 2 blocks: U set, residual = 1 block",
                 .citations = {"rfc7143#section-11.4.5.2", "rfc7143#section-11.4.5.1"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-in"}}) {
  const auto r = read_with_edtl(ctx, 1, 2);
  if (r.setup.kind != verdict_kind::pass) return r.setup;
  if (!r.out.underflow || r.out.overflow)
    return verdict::fail(std::string("U=") + (r.out.underflow ? "1" : "0") + " O=" + (r.out.overflow ? "1" : "0"));
  if (r.out.residual_count != r.block)
    return verdict::fail("residual count " + std::to_string(r.out.residual_count) + ", expected " + std::to_string(r.block));
  if (r.out.data_bytes_received != r.block)
    return verdict::fail(std::to_string(r.out.data_bytes_received) + " bytes transferred for one block");
  return verdict::pass();
}

//= rfc7143#section-11.4.5.2 type=test
//# If SPDTL > EDTL for a task, iSCSI Overflow MUST be signaled in the
//# SCSI Response PDU as specified in Section 11.4.5.1.  The Residual
//# Count MUST be set to the numerical value of (SPDTL - EDTL).
//= rfc7143#section-11.4.5.1 type=test
//# The Residual Count field MUST be valid in the case where either the U bit or
//# the O bit is set.
TOUCHSTONE_CASE({.id = "residual.read-overflow",
                 .title = "READ of 2 blocks with EDTL of 1 block: O set, residual = 1 block, no more than EDTL sent",
                 .citations = {"rfc7143#section-11.4.5.2", "rfc7143#section-11.4.5.1"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-in"}}) {
  const auto r = read_with_edtl(ctx, 2, 1);
  if (r.setup.kind != verdict_kind::pass) return r.setup;
  if (!r.out.overflow || r.out.underflow)
    return verdict::fail(std::string("U=") + (r.out.underflow ? "1" : "0") + " O=" + (r.out.overflow ? "1" : "0") +
                         ", status " + std::to_string(r.out.status));
  if (r.out.residual_count != r.block)
    return verdict::fail("residual count " + std::to_string(r.out.residual_count) + ", expected " + std::to_string(r.block));
  //= rfc7143#section-11.7.6 type=test
  //# The sum of the buffer offset and
  //# length should not exceed the expected transfer length for the
  //# command.
  if (r.out.data_bytes_received > r.block)
    return verdict::fail(std::to_string(r.out.data_bytes_received) + " bytes sent for an EDTL of " + std::to_string(r.block));
  return verdict::pass();
}

//= rfc7143#section-11.4.5.2 type=test
//# When SPDTL = EDTL for a task, the target iSCSI layer completes the
//# task with no residuals.
TOUCHSTONE_CASE({.id = "residual.read-exact",
                 .title = "READ whose EDTL matches the transfer: neither U nor O",
                 .citations = {"rfc7143#section-11.4.5.2"},
                 .level = requirement_level::must,
                 .tags = {"residuals", "data-in"}}) {
  const auto r = read_with_edtl(ctx, 2, 2);
  if (r.setup.kind != verdict_kind::pass) return r.setup;
  if (r.out.underflow || r.out.overflow) return verdict::fail("a residual flag is set: " + r.out.summary());
  if (r.out.data_bytes_received != 2 * r.block)
    return verdict::fail(std::to_string(r.out.data_bytes_received) + " bytes for two blocks");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
