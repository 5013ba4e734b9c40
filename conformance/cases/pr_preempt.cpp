// Persistent reservations: preempting (spc4#5.13.11.4), PREEMPT AND ABORT
// (spc4#5.13.11.5) and CLEAR (spc4#5.13.11.6), with the unit attentions
// they leave for the other I_T nexuses.
#include "pr_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A registers and holds `held`; B registers. Then B preempts A with `action`.
struct preempted {
  pr_party* b = nullptr;
  scsi_outcome answer;
  verdict problem = verdict::pass();
};

preempted preempt_holder(pr_world& w, pr_party& a, pr_out_action action, pr_type held, pr_type wanted) {
  preempted p;
  p.b = w.join();
  if (!p.b) {
    p.problem = w.ctx().setup_error();
    return p;
  }
  if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return {p.b, {}, v};
  if (auto v = step(register_key(w, *p.b), "REGISTER by B"); bad(v)) return {p.b, {}, v};
  if (auto v = step(reserve(w, a, held), "RESERVE by A"); bad(v)) return {p.b, {}, v};
  p.answer = pr_out(w, *p.b, action, wanted, {.key = p.b->key, .service_action_key = a.key});
  return p;
}

// After B preempted holder A: B holds `type`, A's key is gone, A gets
// REGISTRATIONS PREEMPTED.
verdict judge_preempted(pr_world& w, pr_party& a, const preempted& p, pr_type type, std::string_view what) {
  if (auto v = expect_good(p.answer, what); bad(v)) return v;
  if (auto v = expect_reservation(w, *p.b, type, p.b->key, std::string("after ") + std::string(what)); bad(v))
    return v;
  if (auto v = expect_keys(w, *p.b, {p.b->key}, std::string("after ") + std::string(what)); bad(v)) return v;
  //= spc4#5.13.11.4.3 type=test
  //# every I_T nexus whose registration was removed gets REGISTRATIONS PREEMPTED
  return expect_unit_attention(w, a, 0x2a, 0x05, "REGISTRATIONS PREEMPTED for the preempted holder");
}

//= spc4#5.13.11.4.3 type=test
//# the SERVICE ACTION RESERVATION KEY names the holder: the registrations
//# with that key are removed and the preempting I_T nexus holds a
//# reservation of the TYPE in the CDB
TOUCHSTONE_CASE({.id = "pr.preempt.takes-reservation",
                 .title = "PREEMPT the holder's key: B holds a reservation of its own type, A unregistered with UA 2Ah/05h",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.preempt.takes-reservation", [&](pr_world& w, pr_party& a) -> verdict {
    const auto p = preempt_holder(w, a, pr_out_action::preempt, pr_type::write_exclusive, pr_type::exclusive_access);
    if (bad(p.problem)) return p.problem;
    if (auto v = judge_preempted(w, a, p, pr_type::exclusive_access, "PREEMPT"); bad(v)) return v;
    // A is unregistered now: under Exclusive Access its READ conflicts.
    return expect_access(w, a, false, false, "the preempted nexus");
  });
}

//= spc4#5.13.11.5 type=test
//# PREEMPT AND ABORT: as PREEMPT, and the tasks of the preempted I_T
//# nexuses are aborted
TOUCHSTONE_CASE({.id = "pr.preempt.and-abort",
                 .title = "PREEMPT AND ABORT the holder's key: B holds the reservation, A unregistered with UA 2Ah/05h",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.preempt.and-abort", [&](pr_world& w, pr_party& a) -> verdict {
    const auto p = preempt_holder(w, a, pr_out_action::preempt_and_abort, pr_type::exclusive_access,
                                  pr_type::write_exclusive);
    if (bad(p.problem)) return p.problem;
    return judge_preempted(w, a, p, pr_type::write_exclusive, "PREEMPT AND ABORT");
  });
}

//= spc4#5.13.11.4.3 type=test
//# the key names no holder (or no reservation exists): the registrations
//# with that key are removed, no reservation is created
TOUCHSTONE_CASE({.id = "pr.preempt.registrant-without-reservation",
                 .title = "PREEMPT with no reservation: only A's registration goes, no reservation appears",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.preempt.registrant-without-reservation", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    const auto o = pr_out(w, *b, pr_out_action::preempt, pr_type::write_exclusive,
                          {.key = b->key, .service_action_key = a.key});
    if (auto v = expect_good(o, "PREEMPT of a registrant"); bad(v)) return v;
    if (auto v = expect_keys(w, *b, {b->key}, "after PREEMPT"); bad(v)) return v;
    if (auto v = expect_reservation(w, *b, pr_type::none, 0, "after PREEMPT without a reservation"); bad(v))
      return v;
    return expect_unit_attention(w, a, 0x2a, 0x05, "REGISTRATIONS PREEMPTED for A");
  });
}

//= spc4#5.13.11.4.3 type=test
//# PREEMPT from an I_T nexus that is not registered: RESERVATION CONFLICT
TOUCHSTONE_CASE({.id = "pr.preempt.unregistered-conflict",
                 .title = "PREEMPT from an unregistered I_T nexus: RESERVATION CONFLICT, the holder keeps it",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.preempt.unregistered-conflict", [&](pr_world& w, pr_party& a) -> verdict {
    auto* c = w.join();
    if (!c) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE by A"); bad(v)) return v;
    const auto o = pr_out(w, *c, pr_out_action::preempt, pr_type::write_exclusive,
                          {.key = c->key, .service_action_key = a.key});
    if (auto v = expect_conflict(o, "PREEMPT by an unregistered nexus"); bad(v)) return v;
    if (auto v = expect_keys(w, a, {a.key}, "after the refused PREEMPT"); bad(v)) return v;
    return expect_reservation(w, a, pr_type::write_exclusive, a.key, "after the refused PREEMPT");
  });
}

//= spc4#5.13.11.4.3 type=test
//# a zero SERVICE ACTION RESERVATION KEY without an all registrants
//# reservation: ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST
TOUCHSTONE_CASE({.id = "pr.preempt.zero-key-invalid",
                 .title = "PREEMPT with SERVICE ACTION RESERVATION KEY 0 under Write Exclusive: CHECK CONDITION 26h/00h",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.preempt.zero-key-invalid", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive), "RESERVE by A"); bad(v)) return v;
    const auto o = pr_out(w, *b, pr_out_action::preempt, pr_type::write_exclusive,
                          {.key = b->key, .service_action_key = 0});
    if (auto v = expect_sense(o, "PREEMPT with a zero key", sense_illegal_request, 0x26, 0x00); bad(v)) return v;
    return expect_reservation(w, a, pr_type::write_exclusive, a.key, "after the refused PREEMPT");
  });
}

//= spc4#5.13.11.6 type=test
//# CLEAR releases the reservation and removes every registration; every
//# other registered I_T nexus gets RESERVATIONS PREEMPTED
TOUCHSTONE_CASE({.id = "pr.clear.removes-everything",
                 .title = "CLEAR: no key, no reservation, PRgeneration up, the other registrant gets UA 2Ah/03h",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-4.4.3.2"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.clear.removes-everything", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    if (auto v = step(reserve(w, a, pr_type::write_exclusive_registrants_only), "RESERVE by A"); bad(v)) return v;
    const auto before = read_keys(w, a);
    if (!before.ok()) return before.problem;
    const auto o = pr_out(w, a, pr_out_action::clear, pr_type::none, {.key = a.key});
    if (auto v = expect_good(o, "CLEAR"); bad(v)) return v;
    const auto after = read_keys(w, a);
    if (!after.ok()) return after.problem;
    if (!after.keys->keys.empty())
      return verdict::fail("after CLEAR READ KEYS still lists " + std::to_string(after.keys->keys.size()) + " key(s)");
    //= spc4#6.15.2 type=test
    //# PRgeneration incremented by a PERSISTENT RESERVE OUT command that performs a CLEAR
    if (after.keys->generation == before.keys->generation)
      return verdict::fail("CLEAR left PRgeneration at " + std::to_string(after.keys->generation));
    if (auto v = expect_reservation(w, a, pr_type::none, 0, "after CLEAR"); bad(v)) return v;
    return expect_unit_attention(w, *b, 0x2a, 0x03, "RESERVATIONS PREEMPTED for B");
  });
}

//= spc4#5.13.11.6 type=test
//# CLEAR with a RESERVATION KEY that is not the I_T nexus's key:
//# RESERVATION CONFLICT, nothing cleared
TOUCHSTONE_CASE({.id = "pr.clear.wrong-key-conflict",
                 .title = "CLEAR with a wrong RESERVATION KEY: RESERVATION CONFLICT, registrations remain",
                 .citations = {"rfc7143#section-4.2.4"},
                 .level = requirement_level::must,
                 .tags = {"reservations"}}) {
  return pr_case(ctx, "pr.clear.wrong-key-conflict", [&](pr_world& w, pr_party& a) -> verdict {
    auto* b = w.join();
    if (!b) return ctx.setup_error();
    if (auto v = step(register_key(w, a), "REGISTER by A"); bad(v)) return v;
    if (auto v = step(register_key(w, *b), "REGISTER by B"); bad(v)) return v;
    const auto o = pr_out(w, *b, pr_out_action::clear, pr_type::none, {.key = a.key});
    if (auto v = expect_conflict(o, "CLEAR by B with A's key"); bad(v)) return v;
    return expect_keys(w, a, {a.key, b->key}, "after the refused CLEAR");
  });
}

}  // namespace
}  // namespace touchstone::conformance::cases
