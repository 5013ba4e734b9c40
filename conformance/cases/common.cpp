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

verdict still_in_step(session& s, std::string_view after) {
  const auto data = pattern(11, 7);
  const auto ping = ping_request(s, data);
  (void)s.send(ping);
  const auto seen = await_itt(s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in))
    return verdict::fail("after " + std::string(after) + " a second ping got " + seen.describe() +
                         " (the byte stream is out of step: more or fewer bytes than the PDUs' lengths and digests say)");
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

scsi_request unit_ready_request(const case_context& ctx) { return unit_ready_request(ctx.target().lun); }

scsi_request unit_ready_request(std::uint16_t lun) {
  scsi_request r;
  r.lun = lun;
  r.cdb = cdb::test_unit_ready();
  return r;
}

bool clear_unit_attentions(case_context& ctx, session& s) { return clear_unit_attentions(s, ctx.target().lun); }

bool clear_unit_attentions(session& s, std::uint16_t lun) {
  for (int i = 0; i < 3; ++i)
    if (run_scsi(s, unit_ready_request(lun)).good()) return true;
  return false;
}

verdict no_answer_for(session& s, std::uint32_t itt, std::string_view what) {
  const auto until = s.times().after(s.times().silence);
  for (;;) {
    const auto seen = s.next(until);
    if (seen.what == observed::timeout) return verdict::pass();
    if (!seen.is_pdu()) return verdict::fail(std::string(what) + ": the connection ended: " + seen.describe());
    if (seen.received.header().initiator_task_tag() == itt)
      return verdict::fail(std::string(what) + " was answered: " + seen.describe());
  }
}

session* solicited_session(case_context& ctx) {
  auto o = ctx.normal_login();
  //= rfc7143#section-13.10
  //# Result function is OR.
  //= rfc7143#section-13.11
  //# Result function is AND.
  o.operational = {{"InitialR2T", "Yes"}, {"ImmediateData", "No"}};
  return ctx.logged_in(o);
}

}  // namespace touchstone::conformance::cases
