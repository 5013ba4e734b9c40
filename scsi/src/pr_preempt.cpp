// PERSISTENT RESERVE OUT: PREEMPT and PREEMPT AND ABORT.
#include "pr_out.hpp"

namespace touchstone::scsi::pr {
namespace {

std::vector<registration> without(std::vector<registration> regs, const it_nexus& me) {
  std::erase_if(regs, [&](const registration& r) { return r.covers(me); });
  return regs;
}

//= spc4#5.13.11.4.3
//# an all registrants reservation and a zero SERVICE ACTION RESERVATION KEY:
//# every other registration is removed and the preempting I_T nexus holds a
//# new reservation of the CDB's SCOPE and TYPE
std::vector<registration> preempt_all_registrants(out_context& o) {
  auto removed = remove_registrations(o.next, [&](const registration& r) { return !r.covers(o.me()); });
  o.next.held = reservation{o.me(), o.cdb.type, o.cdb.scope};
  return removed;
}

//= spc4#5.13.11.4.3
//# the SERVICE ACTION RESERVATION KEY names the holder: the registrations with
//# that key (but the preempting I_T nexus's) go, the reservation passes to the
//# preempting I_T nexus with the CDB's SCOPE and TYPE; if those changed, the
//# remaining registrants get RESERVATIONS RELEASED
std::vector<registration> preempt_holder(out_context& o, std::uint64_t sa_key) {
  const reservation old = *o.next.held;
  auto removed = remove_registrations(
      o.next, [&](const registration& r) { return r.key == sa_key && !r.covers(o.me()); });
  o.next.held = reservation{o.me(), o.cdb.type, o.cdb.scope};
  if (old.type != o.cdb.type || old.scope != o.cdb.scope)
    o.fx.ua_all(o.next.registered_nexuses(&o.me()), unit_attention::reservations_released);
  return removed;
}

//= spc4#5.13.11.4.3
//# the key names no holder (or no reservation exists): the registrations with
//# that key go; none with that key: RESERVATION CONFLICT
result<std::vector<registration>, failure> preempt_registrations(out_context& o,
                                                                 std::uint64_t sa_key) {
  auto removed = remove_registrations(o.next, [&](const registration& r) { return r.key == sa_key; });
  if (removed.empty()) return fail(conflict());
  return removed;
}

result<std::vector<registration>, failure> preempt(out_context& o, const basic_list& p) {
  const state& s = o.next;
  if (s.held && is_all_registrants(s.held->type) && p.sa_key == 0)
    return preempt_all_registrants(o);
  //= spc4#5.13.11.4.3
  //# a zero SERVICE ACTION RESERVATION KEY without an all registrants
  //# reservation: ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST
  if (p.sa_key == 0) return fail(bad_list_field(8));
  if (s.held && !is_all_registrants(s.held->type) && s.holder_key() == p.sa_key)
    return preempt_holder(o, p.sa_key);
  return preempt_registrations(o, p.sa_key);
}

}  // namespace

outcome do_preempt(out_context& o, const basic_list& p, bool abort) {
  if (auto r = o.require_registered_with(p.key); !r) return r;
  auto removed = preempt(o, p);
  if (!removed) return fail(removed.error());
  //= spc4#5.13.11.4.3
  //# every I_T nexus whose registration was removed gets REGISTRATIONS PREEMPTED
  auto others = without(std::move(*removed), o.me());
  o.fx.ua_all(others, unit_attention::registrations_preempted);
  if (abort) o.fx.abort_tasks_of = std::move(others);
  //= spc4#6.15.2
  //# PRgeneration: incremented by each PREEMPT / PREEMPT AND ABORT that completes
  ++o.next.generation;
  return ok;
}

}  // namespace touchstone::scsi::pr
