// Every PDU the target sends, checked by the pdu validator (RFC 7143 section 11).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

// A representative workload: login, ping, TEST UNIT READY (twice), INQUIRY, READ,
// SendTargets, logout. The validator runs over every PDU as it arrives.
session* workload(case_context& ctx) {
  auto* s = ctx.logged_in();
  if (!s) return nullptr;
  const auto ping = ping_request(*s, pattern(32));
  (void)s->send(ping);
  (void)await_itt(*s, ping.header().initiator_task_tag());
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::test_unit_ready();
  // Twice: the first may report the new nexus' unit attention; the second
  // brings a SCSI Response with GOOD (INQUIRY and READ may carry theirs in
  // Data-In), so a status the target sends there is validated too.
  (void)run_scsi(*s, r);
  (void)run_scsi(*s, r);
  r.cdb = cdb::inquiry(255);
  r.read = true;
  r.expected_length = 255;
  (void)run_scsi(*s, r);
  if (const auto block = block_length(ctx, *s)) (void)run_scsi(*s, read_request(ctx, 8, 8 * block));
  (void)text_exchange(*s, {{"SendTargets", ""}});
  (void)logout(*s);
  return s;
}

std::string list(const std::vector<target_violation>& vs, pdu::severity wanted) {
  std::string text;
  std::size_t n = 0;
  for (const auto& v : vs) {
    if (v.rule.level != wanted) continue;
    if (n++ < 3) text += (text.empty() ? "" : "; ") + std::string(v.rule.requirement) + " (" + std::string(v.rule.summary) + ") in " + v.pdu;
  }
  if (n > 3) text += "; and " + std::to_string(n - 3) + " more";
  return text;
}

//= rfc7143#section-11 type=test
//# Receipt of reserved code values in defined fields MUST be
//# reported as a protocol error.
TOUCHSTONE_CASE({.id = "pdu.validate.no-protocol-errors",
                 .title = "no PDU the target sends breaks a MUST of section 11 (pdu validator)",
                 .citations = {"rfc7143#section-11"},
                 .level = requirement_level::must,
                 .tags = {"pdu", "validator"}}) {
  auto* s = workload(ctx);
  if (!s) return ctx.setup_error();
  if (const auto found = list(ctx.violations(), pdu::severity::protocol_error); !found.empty())
    return verdict::fail(found);
  return verdict::pass(std::to_string(s->received().size()) + " PDUs checked");
}

//= rfc7143#section-11 type=test
//# Any compliant sender MUST set all bits not defined and all reserved
//# fields to 0, unless specified otherwise.
TOUCHSTONE_CASE({.id = "pdu.validate.reserved-fields-zero",
                 .title = "the target sends reserved fields as zero",
                 .citations = {"rfc7143#section-11"},
                 .level = requirement_level::must,
                 .tags = {"pdu", "validator"}}) {
  auto* s = workload(ctx);
  if (!s) return ctx.setup_error();
  if (const auto found = list(ctx.violations(), pdu::severity::reserved_field); !found.empty())
    return verdict::fail(found);
  return verdict::pass();
}

//= rfc7143#section-11.1 type=test
//# The padding bytes SHOULD be sent as 0.
TOUCHSTONE_CASE({.id = "pdu.validate.no-should-departures",
                 .title = "no PDU the target sends departs from a SHOULD the pdu validator checks",
                 .citations = {"rfc7143#section-11"},
                 .level = requirement_level::should,
                 .tags = {"pdu", "validator"}}) {
  auto* s = workload(ctx);
  if (!s) return ctx.setup_error();
  if (const auto found = list(ctx.violations(), pdu::severity::should); !found.empty())
    return verdict::fail(found);
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
