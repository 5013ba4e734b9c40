// Cases that need a second LUN (--second-lun N): the LUN inventory lists
// both, and what a logical unit reset does stays on its own LU: its unit
// attentions (per I_T_L nexus) and the tasks it aborts. The reservation case
// is in second_lun_reservations.cpp.
#include <algorithm>

#include "tmf_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

using pdu::tmf_function;

constexpr std::uint8_t function_complete = 0;
constexpr std::uint32_t report_luns_allocation = 4096;  // 511 LUNs: plenty

std::uint16_t second_lun(const case_context& ctx) { return ctx.target().second_lun.value_or(0); }

std::string lun_name(std::uint16_t lun) { return "LUN " + std::to_string(lun); }

// sam5#4.7 (from memory): a single level LUN in its first two bytes,
// peripheral device addressing (00b, bus 0) or flat space addressing (01b);
// nullopt for any other form.
std::optional<std::uint16_t> single_level_lun(pdu::bytes_view entry) {
  if (std::any_of(entry.begin() + 2, entry.end(), [](std::uint8_t b) { return b != 0; })) return std::nullopt;
  const auto method = entry[0] >> 6;
  if (method == 0 && (entry[0] & 0x3f) == 0) return entry[1];
  if (method == 1) return static_cast<std::uint16_t>(((entry[0] & 0x3f) << 8) | entry[1]);
  return std::nullopt;
}

//= spc4#6.33 type=test
// (from memory) REPORT LUNS parameter data: LUN LIST LENGTH (bytes 0-3),
// four reserved bytes, then one 8-byte LUN per logical unit.
struct lun_inventory {
  std::vector<std::uint16_t> luns;
  std::size_t unreadable = 0;  // entries in another addressing form
};
std::optional<lun_inventory> parse_report_luns(pdu::bytes_view data) {
  if (data.size() < 8) return std::nullopt;
  const auto listed = pdu::load_be32(data.data());
  if (listed % 8 != 0) return std::nullopt;
  lun_inventory inventory;
  // What arrived, when the list was cut by the allocation length.
  const auto end = std::min<std::size_t>(data.size(), 8 + std::size_t{listed});
  for (std::size_t at = 8; at + 8 <= end; at += 8) {
    const auto lun = single_level_lun(data.subspan(at, 8));
    if (lun)
      inventory.luns.push_back(*lun);
    else
      ++inventory.unreadable;
  }
  return inventory;
}

//= rfc7143#section-11.4.5.3 type=test
//# The SCSI REPORT LUNS command requests a target SCSI layer to return a
//# LU inventory (LUN list) to the initiator SCSI layer
//= rfc7143#section-4.4.2 type=test
//# A SCSI
//# target device contains one or more SCSI target ports and one or
//# more LUs.
//= spc4#6.33 type=test
// (from memory) SELECT REPORT 00h: the LUNs of every logical unit the I_T
// nexus may address, well known LUs aside.
TOUCHSTONE_CASE({.id = "luns.report-luns.lists-both",
                 .title = "REPORT LUNS lists the LUN under test and the second LUN",
                 .citations = {"rfc7143#section-11.4.5.3", "rfc7143#section-4.4.2", "spc4#6.33"},
                 .level = requirement_level::must,
                 .tags = {"luns", "scsi"},
                 .needs = {need::second_lun}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::report_luns(report_luns_allocation);
  r.read = true;
  r.expected_length = report_luns_allocation;
  auto outcome = run_scsi(*s, r);
  if (outcome.completed() && !outcome.good()) outcome = run_scsi(*s, r);  // past a unit attention
  if (!outcome.good()) return verdict::fail("REPORT LUNS got " + outcome.summary());
  const auto inventory = parse_report_luns(outcome.data);
  if (!inventory) return verdict::fail("the REPORT LUNS parameter data do not parse");
  std::string listed;
  for (const auto lun : inventory->luns) listed += (listed.empty() ? "" : ", ") + std::to_string(lun);
  if (inventory->unreadable) listed += " and " + std::to_string(inventory->unreadable) + " in another form";
  for (const auto wanted : {ctx.target().lun, second_lun(ctx)})
    if (std::find(inventory->luns.begin(), inventory->luns.end(), wanted) == inventory->luns.end())
      return verdict::fail("REPORT LUNS does not list " + lun_name(wanted) + " (it lists " + listed + ")");
  return verdict::pass("LUNs " + listed);
}

observation reset_lun(case_context& ctx, session& s, std::uint16_t lun) {
  return send_tmf(s, tmf_request(ctx, s, tmf_function::logical_unit_reset).lun(lun_field(lun)).build());
}

// A LOGICAL UNIT RESET of `reset` from one session; another session, whose
// unit attentions on both LUs were consumed before, must find none on
// `other` and the reset's (29h) on `reset`, which shows the reset took place.
verdict unit_attention_stays_on_its_lu(case_context& ctx, std::uint16_t reset, std::uint16_t other) {
  auto* observer = ctx.logged_in();
  if (!observer) return ctx.setup_error();
  for (const auto lun : {reset, other})
    if (!clear_unit_attentions(*observer, lun))
      return ctx.error_after("TEST UNIT READY on " + lun_name(lun) + " never GOOD", *observer);
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  if (auto v = expect_tmf_response(reset_lun(ctx, *s, reset), "LOGICAL UNIT RESET of " + lun_name(reset),
                                   {function_complete});
      v.kind != verdict_kind::pass)
    return verdict::error(v.message);
  const auto untouched = run_scsi(*observer, unit_ready_request(other));
  if (!untouched.completed()) return ctx.error_after("TEST UNIT READY: " + untouched.summary(), *observer);
  if (!untouched.good()) {
    const auto sense = parse_sense(untouched.sense);
    return verdict::fail("after a reset of " + lun_name(reset) + ", TEST UNIT READY on " + lun_name(other) +
                         " got status " + std::to_string(untouched.status) +
                         (sense ? ", " + describe_sense(*sense) : std::string()));
  }
  const auto reset_side = run_scsi(*observer, unit_ready_request(reset));
  if (!reset_side.completed()) return ctx.error_after("TEST UNIT READY: " + reset_side.summary(), *observer);
  const auto sense = parse_sense(reset_side.sense);
  if (reset_side.status != 0x02 || !sense || sense->key != 0x6 || sense->asc != 0x29)
    return verdict::error("the reset LU itself reported no reset unit attention (29h), so the case cannot "
                          "tell (see tmf.lun-reset.unit-attention)");
  return verdict::pass(lun_name(other) + " GOOD; " + lun_name(reset) + ": " + describe_sense(*sense));
}

//= rfc7143#section-11.5.1 type=test
//# For the LOGICAL UNIT RESET function, the target MUST behave as
//# dictated by the Logical Unit Reset function in [SAM2].
//= rfc7143#section-4.2.3.6 type=test
//# Whenever the result of a TMF action is visible across
//# multiple I_T_L nexuses, [SAM2] requires the SCSI device
//# server to trigger a UA on each of the other I_T_L nexuses.
//= sam5#5.14 type=test
// (from memory) a unit attention condition is established for an I_T_L
// nexus; a logical unit reset establishes it on that logical unit's nexuses
// only (sam5#6.3.3, also from memory).
TOUCHSTONE_CASE({.id = "luns.unit-attention.reset-second-lun",
                 .title = "a LOGICAL UNIT RESET of the second LUN raises no unit attention on the LUN under test",
                 .citations = {"rfc7143#section-11.5.1", "rfc7143#section-4.2.3.6"},
                 .level = requirement_level::must,
                 .tags = {"luns", "tmf", "unit-attention"},
                 .needs = {need::second_lun}}) {
  return unit_attention_stays_on_its_lu(ctx, second_lun(ctx), ctx.target().lun);
}

//= rfc7143#section-11.5.1 type=test
//# For the LOGICAL UNIT RESET function, the target MUST behave as
//# dictated by the Logical Unit Reset function in [SAM2].
//= sam5#5.14 type=test
// (from memory) unit attentions are per I_T_L nexus.
TOUCHSTONE_CASE({.id = "luns.unit-attention.reset-lun-under-test",
                 .title = "a LOGICAL UNIT RESET of the LUN under test raises no unit attention on the second LUN",
                 .citations = {"rfc7143#section-11.5.1", "rfc7143#section-4.2.3.6"},
                 .level = requirement_level::must,
                 .tags = {"luns", "tmf", "unit-attention"},
                 .needs = {need::second_lun}}) {
  return unit_attention_stays_on_its_lu(ctx, ctx.target().lun, second_lun(ctx));
}

// What came back for the reset-scope case: the TMF Response, whether it came
// while the WRITE's R2T was still unanswered, and the WRITE's status.
struct reset_scope_seen {
  std::optional<pdu::pdu> tmf;
  bool tmf_before_data = false;
  std::optional<pdu::pdu> write_status;
  observation last;
};

// Reads until the TMF Response (and with `both`, the WRITE's status too) is
// in or the wait runs out; other PDUs are read past.
void collect(session& s, std::uint32_t tmf_itt, std::uint32_t write_itt, reset_scope_seen& seen,
             milliseconds wait, bool both) {
  const auto until = s.times().after(wait);
  while (!seen.tmf || (both && !seen.write_status)) {
    seen.last = s.next(until);
    if (!seen.last.is_pdu()) return;
    const auto itt = seen.last.received.header().initiator_task_tag();
    if (itt == tmf_itt && seen.last.is(opcode::task_mgmt_response)) seen.tmf = seen.last.received;
    if (itt == write_itt && seen.last.is(opcode::scsi_response)) seen.write_status = seen.last.received;
  }
}

//= rfc7143#section-4.2.3.2 type=test
//# LOGICAL UNIT RESET: All outstanding tasks from all initiators for the
//# LU identified by the LUN field in the LOGICAL UNIT RESET
//# Request PDU.
//= rfc7143#section-11.5.3 type=test
//# This field is required for functions that address a specific LU
//# (ABORT TASK, CLEAR TASK SET, ABORT TASK SET, CLEAR ACA, LOGICAL UNIT
//# RESET) and is reserved in all others.
TOUCHSTONE_CASE({.id = "luns.lun-reset.spares-other-lu",
                 .title = "a LOGICAL UNIT RESET of the second LUN leaves a WRITE open on the LUN under test to complete GOOD",
                 .citations = {"rfc7143#section-4.2.3.2", "rfc7143#section-11.5.3", "rfc7143#section-11.5.1"},
                 .level = requirement_level::must,
                 .tags = {"luns", "tmf"},
                 .needs = {need::second_lun, need::writable_lun}}) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  const auto tmf = tmf_request(ctx, *w.s, tmf_function::logical_unit_reset).lun(lun_field(second_lun(ctx))).build();
  const auto tmf_itt = tmf.header().initiator_task_tag();
  if (w.s->send(tmf)) return ctx.error_after("sending the LOGICAL UNIT RESET", *w.s);
  // The WRITE is no affected task, so nothing makes the reset wait for its data.
  reset_scope_seen seen;
  collect(*w.s, tmf_itt, w.itt, seen, ctx.times().silence, false);
  seen.tmf_before_data = seen.tmf.has_value();
  if (answer_r2t(ctx, w)) return ctx.error_after("answering the R2T", *w.s);
  collect(*w.s, tmf_itt, w.itt, seen, ctx.times().wait, true);
  if (!seen.tmf) return unexpected(seen.last, "the LOGICAL UNIT RESET's TMF Response");
  const auto response = pdu::task_mgmt_response_view(*seen.tmf).raw_response();
  if (response != function_complete)
    return verdict::fail("the LOGICAL UNIT RESET of " + lun_name(second_lun(ctx)) + " got TMF response " +
                         std::to_string(response) + ", expected 0");
  if (!seen.write_status)
    return verdict::fail("the WRITE on " + lun_name(ctx.target().lun) + " had no status after a reset of " +
                         lun_name(second_lun(ctx)) + ": " + seen.last.describe());
  const pdu::scsi_response_view status(*seen.write_status);
  if (status.raw_response() != 0 || status.raw_status() != 0)
    return verdict::fail("the WRITE on " + lun_name(ctx.target().lun) + " ended with response " +
                         std::to_string(status.raw_response()) + " status " + std::to_string(status.raw_status()));
  return verdict::pass(seen.tmf_before_data ? "the reset answered while the WRITE waited for its data"
                                            : "the reset answered only after the WRITE's data came");
}

}  // namespace
}  // namespace touchstone::conformance::cases
