// Persistent reservations: what each reservation type lets the holder, a
// registered I_T nexus and an unregistered one do (spc4#5.13.1, the table of
// commands allowed in the presence of each type). Three parties, each its
// own I_T nexus (RFC 7143 4.2.4: InitiatorName + ISID). READ is always
// checked; WRITE only on a LUN granted --writable.
#include "pr_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// What a type allows beyond the holder (who may always READ and WRITE).
struct type_rules {
  pr_type type;
  bool registrant_reads;
  bool registrant_writes;
  bool others_read;  // unregistered I_T nexuses never WRITE under any type
};

// A registers and reserves `type`, B registers, C does not; then each READs
// (and WRITEs) one block.
verdict type_access(case_context& ctx, std::string_view id, const type_rules& rules) {
  return pr_case(ctx, id, [&](pr_world& w, pr_party& a) -> verdict {
    if (auto v = require_type(w, a, rules.type); bad(v)) return v;
    auto* b = w.join();
    auto* c = w.join(false);  // the configured name again, another ISID
    if (!b || !c) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    if (auto v = expect_good(reserve(w, a, rules.type), std::string("RESERVE ") + cdb::name(rules.type));
        bad(v))
      return v;
    if (auto v = expect_access(w, a, true, true, "the holder"); bad(v)) return v;
    if (auto v = expect_access(w, *b, rules.registrant_reads, rules.registrant_writes, "a registrant"); bad(v))
      return v;
    if (auto v = expect_access(w, *c, rules.others_read, false, "an unregistered I_T nexus"); bad(v)) return v;
    return verdict::pass(ctx.target().writable ? "" : "READ checked; WRITE needs --writable");
  });
}

//= spc4#5.13.1 table 52 type=test
//# Write Exclusive: reads are allowed for every I_T nexus; only the
//# reservation holder may write
//= rfc7143#section-4.2.4 type=test
//# Any persistent state (e.g., persistent reservations) on the target that
//# is associated with a SCSI initiator port is identified based on this
//# value pair.
TOUCHSTONE_CASE({.id = "pr.type.write-exclusive",
                 .title = "Write Exclusive: all READ; only the holder WRITEs, others get RESERVATION CONFLICT",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-4.4.3.2", "spc4#5.13.1"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return type_access(ctx, "pr.type.write-exclusive", {pr_type::write_exclusive, true, false, true});
}

//= spc4#5.13.1 table 52 type=test
//# Exclusive Access: only the reservation holder may read or write, a
//# registrant too is in conflict
TOUCHSTONE_CASE({.id = "pr.type.exclusive-access",
                 .title = "Exclusive Access: only the holder READs and WRITEs; a registrant gets RESERVATION CONFLICT",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-4.4.3.2", "spc4#5.13.1"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return type_access(ctx, "pr.type.exclusive-access", {pr_type::exclusive_access, false, false, false});
}

//= spc4#5.13.1 table 52 type=test
//# Write Exclusive - Registrants Only: registered I_T nexuses may write,
//# every I_T nexus may read
TOUCHSTONE_CASE({.id = "pr.type.write-exclusive-registrants-only",
                 .title = "Write Exclusive - Registrants Only: registrants WRITE, the unregistered only READ",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-4.4.3.2", "spc4#5.13.1"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return type_access(ctx, "pr.type.write-exclusive-registrants-only",
                     {pr_type::write_exclusive_registrants_only, true, true, true});
}

//= spc4#5.13.1 table 52 type=test
//# Exclusive Access - Registrants Only: registered I_T nexuses may read
//# and write, unregistered ones neither
TOUCHSTONE_CASE({.id = "pr.type.exclusive-access-registrants-only",
                 .title = "Exclusive Access - Registrants Only: registrants READ and WRITE, the unregistered neither",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-4.4.3.2", "spc4#5.13.1"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return type_access(ctx, "pr.type.exclusive-access-registrants-only",
                     {pr_type::exclusive_access_registrants_only, true, true, false});
}

//= spc4#5.13.1 table 52 type=test
//# Write Exclusive - All Registrants: every registrant is a holder and may
//# write; every I_T nexus may read
TOUCHSTONE_CASE({.id = "pr.type.write-exclusive-all-registrants",
                 .title = "Write Exclusive - All Registrants: every registrant WRITEs, the unregistered only READ",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-4.4.3.2", "spc4#5.13.1"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return type_access(ctx, "pr.type.write-exclusive-all-registrants",
                     {pr_type::write_exclusive_all_registrants, true, true, true});
}

//= spc4#5.13.1 table 52 type=test
//# Exclusive Access - All Registrants: every registrant is a holder; the
//# unregistered may neither read nor write
TOUCHSTONE_CASE({.id = "pr.type.exclusive-access-all-registrants",
                 .title = "Exclusive Access - All Registrants: every registrant READs and WRITEs, the unregistered neither",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-4.4.3.2", "spc4#5.13.1"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return type_access(ctx, "pr.type.exclusive-access-all-registrants",
                     {pr_type::exclusive_access_all_registrants, true, true, false});
}

//= spc4#5.13.10 type=test
//# For a persistent reservation of the type Write Exclusive - All
//# Registrants or Exclusive Access - All Registrants, the reservation key
//# shall be set to zero
TOUCHSTONE_CASE({.id = "pr.type.all-registrants-key-zero",
                 .title = "READ RESERVATION of an all registrants reservation reports key 0",
                 .citations = {"rfc7143#section-4.4.3.2"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.type.all-registrants-key-zero", [&](pr_world& w, pr_party& a) -> verdict {
    const auto type = pr_type::write_exclusive_all_registrants;
    if (auto v = require_type(w, a, type); bad(v)) return v;
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(reserve(w, a, type), "RESERVE Write Exclusive - All Registrants"); bad(v)) return v;
    return expect_reservation(w, a, type, 0, "an all registrants reservation");
  });
}

//= spc4#5.13.10 type=test
//# an all registrants reservation remains while any registration remains:
//# when its creator unregisters, the other registrants still hold it
TOUCHSTONE_CASE({.id = "pr.type.all-registrants-outlives-creator",
                 .title = "the creator of an all registrants reservation unregisters: the reservation remains for B",
                 .citations = {"rfc7143#section-4.4.3.2"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.type.all-registrants-outlives-creator", [&](pr_world& w, pr_party& a) -> verdict {
    const auto type = pr_type::exclusive_access_all_registrants;
    if (auto v = require_type(w, a, type); bad(v)) return v;
    auto* b = w.join();
    auto* c = w.join(false);
    if (!b || !c) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    if (auto v = step(reserve(w, a, type), "RESERVE by A"); bad(v)) return v;
    const auto unregister = pr_out(w, a, pr_out_action::register_key, pr_type::none, {.key = a.key});
    if (auto v = step(unregister, "REGISTER with SERVICE ACTION RESERVATION KEY 0 (unregister A)"); bad(v)) return v;
    // Only that it is there: the key it reports is pr.type.all-registrants-key-zero's matter.
    const auto held = read_reservation(w, *b);
    if (!held.ok()) return held.problem;
    if (!held.reservation->reserved || held.reservation->type != type)
      return verdict::fail(std::string("after A unregistered READ RESERVATION shows ") +
                           (held.reservation->reserved ? cdb::name(held.reservation->type) : "no reservation"));
    if (auto v = expect_access(w, *b, true, true, "the remaining registrant"); bad(v)) return v;
    return expect_access(w, *c, false, false, "an unregistered I_T nexus");
  });
}

}  // namespace
}  // namespace touchstone::conformance::cases
