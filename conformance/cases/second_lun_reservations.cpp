// A persistent reservation belongs to its logical unit: one held on the LUN
// under test conflicts nothing on the second LUN (needs --second-lun N).
// The frame (pr_case) skips targets without persistent reservations and
// clears the LUN under test afterwards; nothing is registered on the second.
#include <algorithm>

#include "pr_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

constexpr std::uint16_t pr_in_allocation = 8192;

scsi_outcome read_on(session& s, std::uint16_t lun, std::uint32_t block) {
  scsi_request r;
  r.lun = lun;
  r.cdb = cdb::read10(0, 1);
  r.read = true;
  r.expected_length = block;
  return run_scsi(s, r);
}

// READ KEYS on `lun` lists `key`: nullopt when the LU does not answer it.
std::optional<bool> lists_key(session& s, std::uint16_t lun, std::uint64_t key) {
  scsi_request r;
  r.lun = lun;
  r.cdb = cdb::pr_in(pr_in_action::read_keys, pr_in_allocation);
  r.read = true;
  r.expected_length = pr_in_allocation;
  const auto o = run_scsi(s, r);
  if (!o.good()) return std::nullopt;
  const auto keys = cdb::parse_read_keys(o.data);
  if (!keys) return std::nullopt;
  return std::find(keys->keys.begin(), keys->keys.end(), key) != keys->keys.end();
}

//= rfc7143#section-4.4.3.2 type=test
//# persistent reservations, based on the
//# PERSISTENT RESERVE IN and PERSISTENT RESERVE OUT commands [SPC3].
//= spc4#5.13.1 type=test
// (from memory) persistent reservations and registrations are held by a
// logical unit: a reservation restricts access to that logical unit only.
//= spc4#5.13.10 type=test
// (from memory, table of commands under a reservation) READ from a nexus
// that is not the holder meets RESERVATION CONFLICT under Exclusive Access.
TOUCHSTONE_CASE({.id = "luns.reservation.per-lu",
                 .title = "an Exclusive Access reservation on the LUN under test: another nexus reads the second LUN GOOD",
                 .citations = {"rfc7143#section-4.4.3.2", "rfc7143#section-4.4.2", "spc4#5.13.1"},
                 .level = requirement_level::must,
                 .tags = {"luns", "reservations"},
                 .needs = {need::second_lun}}) {
  return pr_case(ctx, "luns.reservation.per-lu", [&](pr_world& w, pr_party& a) -> verdict {
    const auto other_lun = *ctx.target().second_lun;
    if (auto v = require_type(w, a, pr_type::exclusive_access); bad(v)) return v;
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (!clear_unit_attentions(*b->s, other_lun))
      return ctx.error_after("TEST UNIT READY on the second LUN never GOOD", *b->s);
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::exclusive_access), "RESERVE (Exclusive Access) by A"); bad(v)) return v;
    // The reservation is in force on its own LU: B's READ there conflicts.
    if (auto v = expect_conflict(read_block(w, *b), "READ of the LUN under test by B"); bad(v))
      return verdict::error("the reservation does not hold on its own LU, so the case cannot tell: " + v.message);
    if (auto v = expect_good(read_on(*b->s, other_lun, w.block()), "READ of the second LUN by B"); bad(v)) return v;
    if (lists_key(*b->s, other_lun, a.key).value_or(false))
      return verdict::fail("READ KEYS on the second LUN lists A's key, registered on the LUN under test only");
    return verdict::pass();
  });
}

}  // namespace
}  // namespace touchstone::conformance::cases
