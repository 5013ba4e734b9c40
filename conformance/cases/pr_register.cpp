// Persistent reservations: registering (spc4#5.13.7) — REGISTER, REGISTER
// AND IGNORE EXISTING KEY, unregistering, wrong keys, PRgeneration, and the
// I_T nexus identity iSCSI gives registrations (InitiatorName + ISID,
// RFC 7143 4.2.4) and their persistence across sessions (4.4.3.2).
#include "pr_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

//= spc4#6.15.2 type=test
//# READ KEYS: the PRGENERATION field and a reservation key for each
//# registered I_T nexus
//= spc4#6.15.2 type=test
//# PRgeneration incremented by each PERSISTENT RESERVE OUT command that
//# performs a REGISTER
TOUCHSTONE_CASE({.id = "pr.register.read-keys-lists-each",
                 .title = "two I_T nexuses REGISTER: READ KEYS lists both keys, PRgeneration up by one each",
                 .citations = {"rfc7143#section-4.2.4", "spc4#6.15.2"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.register.read-keys-lists-each", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    const auto before = read_keys(w, a);
    if (!before.ok()) return before.problem;
    if (auto v = expect_good(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = expect_good(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    const auto after = read_keys(w, *b);
    if (!after.ok()) return after.problem;
    if (auto v = expect_keys(w, a, {a.key, b->key}, "after two REGISTERs"); bad(v)) return v;
    const auto grew = after.keys->generation - before.keys->generation;
    if (grew != 2)
      return verdict::fail("PRgeneration went from " + std::to_string(before.keys->generation) + " to " +
                           std::to_string(after.keys->generation) + " over two REGISTERs, expected +2");
    return verdict::pass();
  });
}

//= spc4#5.13.11.3 type=test
//# REGISTER with a zero SERVICE ACTION RESERVATION KEY unregisters the I_T
//# nexus: its key leaves READ KEYS
TOUCHSTONE_CASE({.id = "pr.register.unregister",
                 .title = "REGISTER with SERVICE ACTION RESERVATION KEY 0 removes the registration",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.register.unregister", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    const auto o = pr_out(w, a, pr_out_action::register_key, pr_type::none, {.key = a.key});
    if (auto v = expect_good(o, "REGISTER with key 0 by A"); bad(v)) return v;
    return expect_keys(w, *b, {b->key}, "after A unregistered");
  });
}

//= spc4#5.13.7 type=test
//# REGISTER from a registered I_T nexus whose RESERVATION KEY is not its
//# key: RESERVATION CONFLICT
TOUCHSTONE_CASE({.id = "pr.register.wrong-key-conflict",
                 .title = "a registered I_T nexus REGISTERs with a RESERVATION KEY not its own: RESERVATION CONFLICT",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.register.wrong-key-conflict", [&](pr_world& w, pr_party& a) -> verdict {
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    const auto o = pr_out(w, a, pr_out_action::register_key, pr_type::none,
                          {.key = w.spare_key(), .service_action_key = w.spare_key(1)});
    if (auto v = expect_conflict(o, "REGISTER with a wrong RESERVATION KEY"); bad(v)) return v;
    return expect_keys(w, a, {a.key}, "after the refused REGISTER");
  });
}

//= spc4#5.13.7 type=test
//# REGISTER from an unregistered I_T nexus with a non-zero RESERVATION KEY:
//# RESERVATION CONFLICT
TOUCHSTONE_CASE({.id = "pr.register.unregistered-nonzero-key-conflict",
                 .title = "an unregistered I_T nexus REGISTERs with a non-zero RESERVATION KEY: RESERVATION CONFLICT",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.register.unregistered-nonzero-key-conflict", [&](pr_world& w, pr_party& a) -> verdict {
    const auto o = pr_out(w, a, pr_out_action::register_key, pr_type::none,
                          {.key = w.spare_key(), .service_action_key = a.key});
    if (auto v = expect_conflict(o, "REGISTER with RESERVATION KEY set from an unregistered nexus"); bad(v))
      return v;
    return expect_keys(w, a, {}, "after the refused REGISTER");
  });
}

//= spc4#5.13.7 type=test
//# REGISTER AND IGNORE EXISTING KEY: the RESERVATION KEY field is ignored,
//# the registration takes the SERVICE ACTION RESERVATION KEY
TOUCHSTONE_CASE({.id = "pr.register.ignore-existing-key",
                 .title = "REGISTER AND IGNORE EXISTING KEY replaces a key whatever RESERVATION KEY says",
                 .citations = {"rfc7143#section-4.4.3.2", "spc4#5.13.7"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.register.ignore-existing-key", [&](pr_world& w, pr_party& a) -> verdict {
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    const auto o = pr_out(w, a, pr_out_action::register_and_ignore, pr_type::none,
                          {.key = w.spare_key(2), .service_action_key = w.spare_key()});
    if (auto v = expect_good(o, "REGISTER AND IGNORE EXISTING KEY"); bad(v)) return v;
    return expect_keys(w, a, {w.spare_key()}, "after REGISTER AND IGNORE EXISTING KEY");
  });
}

//= spc4#5.13.7 type=test
//# REGISTER with the right RESERVATION KEY and a non-zero SERVICE ACTION
//# RESERVATION KEY replaces the registered key
TOUCHSTONE_CASE({.id = "pr.register.replace-key",
                 .title = "REGISTER with the right key replaces it; the reservation follows the new key",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.register.replace-key", [&](pr_world& w, pr_party& a) -> verdict {
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE Write Exclusive"); bad(v)) return v;
    const auto o = pr_out(w, a, pr_out_action::register_key, pr_type::none,
                          {.key = a.key, .service_action_key = w.spare_key()});
    if (auto v = expect_good(o, "REGISTER replacing A's key"); bad(v)) return v;
    if (auto v = expect_keys(w, a, {w.spare_key()}, "after the key was replaced"); bad(v)) return v;
    return expect_reservation(w, a, pr_type::write_exclusive, w.spare_key(), "after the key was replaced");
  });
}

//= rfc7143#section-4.2.4 type=test
//# During session establishment, the target identifies the SCSI
//# initiator port (the "I" in the "I_T nexus") through the value pair
//# (InitiatorName, ISID).
TOUCHSTONE_CASE({.id = "pr.register.isid-distinguishes-nexus",
                 .title = "same InitiatorName, another ISID: another I_T nexus, not registered, its RESERVE conflicts",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-4.4.3"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.register.isid-distinguishes-nexus", [&](pr_world& w, pr_party& a) -> verdict {
    auto* twin = w.join(false);
    auto* first = &a;
    // Both on the configured name: A may have an InitiatorName of its own.
    if (!twin) return ctx.setup_error();
    if (first->initiator_name != twin->initiator_name) {
      first = w.join(false);
      if (!first) return ctx.setup_error();
    }
    if (auto v = step(register_key(w, *first), "REGISTER by the first ISID"); bad(v)) return v;
    // The twin uses the first nexus's key: it is not registered, so conflict.
    const auto o = pr_out(w, *twin, pr_out_action::reserve, pr_type::write_exclusive, {.key = first->key});
    if (auto v = expect_conflict(o, "RESERVE with the other ISID's key"); bad(v)) return v;
    if (auto v = expect_good(register_key(w, *twin), "REGISTER by the second ISID"); bad(v)) return v;
    return expect_keys(w, *twin, {first->key, twin->key}, "two ISIDs of one InitiatorName");
  });
}

//= rfc7143#section-4.4.3.2 type=test
//# State for persistent reservations is required to persist through
//# changes and failures at the iSCSI layer that result in I_T nexus
//# failures
TOUCHSTONE_CASE({.id = "pr.register.survives-logout",
                 .title = "a registration and reservation outlive the session: a new session of the nexus uses them",
                 .citations = {"rfc7143#section-4.4.3.2", "rfc7143#section-4.4.3.1"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.register.survives-logout", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE by A"); bad(v)) return v;
    // The session ends (a Logout Response is not what is judged here).
    (void)logout(*a.s);
    if (auto v = expect_reservation(w, *b, pr_type::write_exclusive, a.key, "after A logged out"); bad(v)) return v;
    if (!w.reconnect(a)) return ctx.setup_error();
    // The same nexus again: its key still works, and it still holds.
    if (auto v = expect_good(reserve(w, a, pr_type::write_exclusive), "RESERVE again from A's new session"); bad(v))
      return v;
    return expect_access(w, a, true, true, "the holder's new session");
  });
}

//= spc4#6.15.2 type=test
//# PRgeneration not incremented by a PERSISTENT RESERVE OUT command that
//# performs a RESERVE or RELEASE, nor by one that ends in an error
TOUCHSTONE_CASE({.id = "pr.register.generation-unchanged-by-reserve",
                 .title = "RESERVE, RELEASE and a refused REGISTER leave PRgeneration as it was",
                 .citations = {"rfc7143#section-4.4.3.2", "spc4#6.15.2"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.register.generation-unchanged-by-reserve", [&](pr_world& w, pr_party& a) -> verdict {
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    const auto before = read_keys(w, a);
    if (!before.ok()) return before.problem;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE"); bad(v)) return v;
    if (auto v = step(release(w, a, pr_type::write_exclusive), "RELEASE"); bad(v)) return v;
    const auto refused = pr_out(w, a, pr_out_action::register_key, pr_type::none,
                                {.key = w.spare_key(), .service_action_key = w.spare_key(1)});
    if (auto v = expect_conflict(refused, "REGISTER with a wrong key"); bad(v)) return verdict::error(v.message);
    const auto after = read_keys(w, a);
    if (!after.ok()) return after.problem;
    if (after.keys->generation != before.keys->generation)
      return verdict::fail("PRgeneration went from " + std::to_string(before.keys->generation) + " to " +
                           std::to_string(after.keys->generation) + " over RESERVE, RELEASE and a refused REGISTER");
    return verdict::pass();
  });
}

}  // namespace
}  // namespace touchstone::conformance::cases
