// Persistent reservations: reserving (spc4#5.13.9) and releasing
// (spc4#5.13.11.2) across I_T nexuses.
#include "pr_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

//= spc4#6.15.3 type=test
//# READ RESERVATION: the holder's RESERVATION KEY, SCOPE and TYPE
TOUCHSTONE_CASE({.id = "pr.reserve.read-reservation-shows-holder",
                 .title = "after RESERVE, another nexus's READ RESERVATION shows the holder's key, LU_SCOPE, the type",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.reserve.read-reservation-shows-holder", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = expect_reservation(w, *b, pr_type::none, 0, "before RESERVE"); bad(v)) return v;
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = expect_good(reserve(w, a, pr_type::exclusive_access), "RESERVE Exclusive Access"); bad(v)) return v;
    return expect_reservation(w, *b, pr_type::exclusive_access, a.key, "READ RESERVATION by B");
  });
}

//= spc4#5.13.9 type=test
//# RESERVE from an I_T nexus that is not registered: RESERVATION CONFLICT
TOUCHSTONE_CASE({.id = "pr.reserve.unregistered-conflict",
                 .title = "RESERVE from an unregistered I_T nexus: RESERVATION CONFLICT, no reservation",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.reserve.unregistered-conflict", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    // B is not registered; it presents A's key, which is not its own.
    const auto o = pr_out(w, *b, pr_out_action::reserve, pr_type::write_exclusive, {.key = a.key});
    if (auto v = expect_conflict(o, "RESERVE by an unregistered nexus"); bad(v)) return v;
    return expect_reservation(w, a, pr_type::none, 0, "after the refused RESERVE");
  });
}

//= spc4#5.13.9 type=test
//# a RESERVE that conflicts with a persistent reservation held by another
//# I_T nexus: RESERVATION CONFLICT
TOUCHSTONE_CASE({.id = "pr.reserve.held-by-other-conflict",
                 .title = "a registrant RESERVEs while another nexus holds the reservation: RESERVATION CONFLICT",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.reserve.held-by-other-conflict", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE by A"); bad(v)) return v;
    if (auto v = expect_conflict(reserve(w, *b, pr_type::write_exclusive), "RESERVE same type by B"); bad(v))
      return v;
    if (auto v = expect_conflict(reserve(w, *b, pr_type::exclusive_access), "RESERVE another type by B"); bad(v))
      return v;
    return expect_reservation(w, *b, pr_type::write_exclusive, a.key, "after B's refused RESERVEs");
  });
}

//= spc4#5.13.9 type=test
//# the holder reserving again with the same SCOPE and TYPE: GOOD, nothing
//# changes; with another TYPE: RESERVATION CONFLICT
TOUCHSTONE_CASE({.id = "pr.reserve.holder-again",
                 .title = "the holder RESERVEs again: same type GOOD, another type RESERVATION CONFLICT",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.reserve.holder-again", [&](pr_world& w, pr_party& a) -> verdict {
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE by A"); bad(v)) return v;
    if (auto v = expect_good(reserve(w, a, pr_type::write_exclusive), "RESERVE again, same type"); bad(v)) return v;
    if (auto v = expect_conflict(reserve(w, a, pr_type::exclusive_access), "RESERVE again, another type"); bad(v))
      return v;
    return expect_reservation(w, a, pr_type::write_exclusive, a.key, "after the holder's second RESERVEs");
  });
}

//= spc4#5.13.11.2 type=test
//# the holder's RELEASE with the reservation's SCOPE and TYPE releases the
//# reservation; the registrations stay
TOUCHSTONE_CASE({.id = "pr.release.by-holder",
                 .title = "RELEASE by the holder: no reservation, both registrations remain, B may WRITE",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.release.by-holder", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::exclusive_access), "RESERVE by A"); bad(v)) return v;
    if (auto v = expect_good(release(w, a, pr_type::exclusive_access), "RELEASE by the holder"); bad(v)) return v;
    if (auto v = expect_reservation(w, *b, pr_type::none, 0, "after RELEASE"); bad(v)) return v;
    if (auto v = expect_keys(w, *b, {a.key, b->key}, "after RELEASE"); bad(v)) return v;
    return expect_access(w, *b, true, true, "a registrant after RELEASE");
  });
}

//= spc4#5.13.11.2 type=test
//# the holder releasing with another SCOPE or TYPE: ILLEGAL REQUEST,
//# INVALID RELEASE OF PERSISTENT RESERVATION; the reservation stays
TOUCHSTONE_CASE({.id = "pr.release.wrong-type",
                 .title = "RELEASE with another TYPE: CHECK CONDITION 26h/04h, the reservation stays",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.release.wrong-type", [&](pr_world& w, pr_party& a) -> verdict {
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE Write Exclusive"); bad(v)) return v;
    if (auto v = expect_sense(release(w, a, pr_type::exclusive_access), "RELEASE Exclusive Access",
                              sense_illegal_request, 0x26, 0x04);
        bad(v))
      return v;
    return expect_reservation(w, a, pr_type::write_exclusive, a.key, "after the refused RELEASE");
  });
}

//= spc4#5.13.11.2 type=test
//# RELEASE from a registered I_T nexus that does not hold the reservation:
//# GOOD, nothing released
TOUCHSTONE_CASE({.id = "pr.release.by-non-holder",
                 .title = "RELEASE by a registrant that is not the holder: GOOD and the reservation stays",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.release.by-non-holder", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE by A"); bad(v)) return v;
    if (auto v = expect_good(release(w, *b, pr_type::write_exclusive), "RELEASE by B"); bad(v)) return v;
    return expect_reservation(w, a, pr_type::write_exclusive, a.key, "after B's RELEASE");
  });
}

//= spc4#5.13.11.2 type=test
//# RELEASE with a RESERVATION KEY that is not the I_T nexus's key:
//# RESERVATION CONFLICT
TOUCHSTONE_CASE({.id = "pr.release.wrong-key-conflict",
                 .title = "the holder RELEASEs with a wrong RESERVATION KEY: RESERVATION CONFLICT, nothing released",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.release.wrong-key-conflict", [&](pr_world& w, pr_party& a) -> verdict {
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE by A"); bad(v)) return v;
    const auto o = pr_out(w, a, pr_out_action::release, pr_type::write_exclusive, {.key = w.spare_key()});
    if (auto v = expect_conflict(o, "RELEASE with a wrong key"); bad(v)) return v;
    return expect_reservation(w, a, pr_type::write_exclusive, a.key, "after the refused RELEASE");
  });
}

//= spc4#5.13.11.2 type=test
//# releasing a Registrants Only or All Registrants reservation: RESERVATIONS
//# RELEASED for every other registered I_T nexus
TOUCHSTONE_CASE({.id = "pr.release.registrants-only-unit-attention",
                 .title = "RELEASE of a Registrants Only reservation: the other registrant gets UA 2Ah/04h",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.release.registrants-only-unit-attention", [&](pr_world& w, pr_party& a) -> verdict {
    const auto type = pr_type::write_exclusive_registrants_only;
    if (auto v = require_type(w, a, type); bad(v)) return v;
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    if (auto v = step(reserve(w, a, type), "RESERVE by A"); bad(v)) return v;
    if (auto v = expect_good(release(w, a, type), "RELEASE by the holder"); bad(v)) return v;
    return expect_unit_attention(w, *b, 0x2a, 0x04, "RESERVATIONS RELEASED");
  });
}

}  // namespace
}  // namespace touchstone::conformance::cases
