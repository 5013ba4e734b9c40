// PERSISTENT RESERVE OUT: RESERVE, RELEASE and CLEAR.
#include "pr_out.hpp"

namespace touchstone::scsi::pr {

outcome do_reserve(out_context& o, const basic_list& p) {
  if (auto r = o.require_registered_with(p.key); !r) return r;
  state& s = o.next;
  if (s.held) {
    //= spc4#5.13.9
    //# the holder reserving again with the same SCOPE and TYPE: GOOD, nothing
    //# changes; any other RESERVE while a reservation exists: RESERVATION CONFLICT
    const bool same = s.held->type == o.cdb.type && s.held->scope == o.cdb.scope;
    if (s.is_holder(o.me()) && same) return ok;
    return fail(conflict());
  }
  //= spc4#5.13.9
  //# RESERVE establishes the reservation for this I_T nexus; PRgeneration unchanged
  s.held = reservation{o.me(), o.cdb.type, o.cdb.scope};
  return ok;
}

outcome do_release(out_context& o, const basic_list& p) {
  if (auto r = o.require_registered_with(p.key); !r) return r;
  state& s = o.next;
  //= spc4#5.13.11.2
  //# no reservation, or a reservation this I_T nexus does not hold: GOOD, nothing released
  if (!s.held || !s.is_holder(o.me())) return ok;
  if (s.held->type != o.cdb.type || s.held->scope != o.cdb.scope)
    return fail(failure{failure::kind::invalid_release});
  const pr_type released = s.held->type;
  s.held.reset();
  //= spc4#5.13.11.2
  //# releasing a Registrants Only or All Registrants reservation: RESERVATIONS
  //# RELEASED for every other registered I_T nexus
  if (released != pr_type::write_exclusive && released != pr_type::exclusive_access)
    o.fx.ua_all(s.registered_nexuses(&o.me()), unit_attention::reservations_released);
  return ok;
}

outcome do_clear(out_context& o, const basic_list& p) {
  if (auto r = o.require_registered_with(p.key); !r) return r;
  state& s = o.next;
  //= spc4#5.13.11.6
  //# CLEAR releases the reservation and removes every registration; every other
  //# registered I_T nexus gets RESERVATIONS PREEMPTED; PRgeneration incremented
  o.fx.ua_all(s.registered_nexuses(&o.me()), unit_attention::reservations_preempted);
  s.registrations.clear();
  s.held.reset();
  ++s.generation;
  return ok;
}

}  // namespace touchstone::scsi::pr
