// Shared case helpers.
#include "common.hpp"

namespace touchstone::conformance::cases {

verdict survives(case_context& ctx, std::string_view after) {
  auto* s = ctx.logged_in();
  if (!s) return verdict::fail("after " + std::string(after) + " a new session fails: " +
                               ctx.setup_error().message);
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in))
    return verdict::fail("after " + std::string(after) + " a new session's ping got " +
                         seen.describe());
  return verdict::pass();
}

scsi_request read_request(const case_context& ctx, std::uint16_t blocks, std::uint32_t edtl) {
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::read10(0, blocks);
  r.read = true;
  r.expected_length = edtl;
  return r;
}

std::uint32_t block_length(case_context& ctx, session& s) {
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::read_capacity10();
  r.read = true;
  r.expected_length = 8;
  auto outcome = run_scsi(s, r);
  if (!outcome.good()) {
    // A unit attention comes first on a fresh nexus: ask once more.
    outcome = run_scsi(s, r);
    if (!outcome.good()) return 0;
  }
  const auto capacity = cdb::parse_capacity10(outcome.data);
  return capacity ? capacity->block_length : 0;
}

}  // namespace touchstone::conformance::cases
