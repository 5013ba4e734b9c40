// PERSISTENT RESERVE OUT: REGISTER and REGISTER AND IGNORE EXISTING KEY.
#include "pr_out.hpp"

namespace touchstone::scsi::pr {
namespace {

//= spc4#5.13.11.3
//# unregistering: the registration goes; a holder's non all registrants
//# reservation is released, and for the Registrants Only types every other
//# registered I_T nexus gets RESERVATIONS RELEASED
void unregister(out_context& o) {
  const bool held_registrants_only = o.next.is_holder(o.me()) && is_registrants_only(o.next.type());
  (void)remove_registrations(o.next, [&](const registration& r) { return r.covers(o.me()); });
  if (held_registrants_only && !o.next.held)
    o.fx.ua_all(o.next.registered_nexuses(), unit_attention::reservations_released);
}

//= spc4#5.13.7
//# an unregistered I_T nexus registers the SERVICE ACTION RESERVATION KEY (a
//# zero key registers nothing); a registered one replaces its key, or
//# unregisters with a zero key
outcome register_new(out_context& o, const basic_list& p) {
  if (o.registrations_full())
    return fail(failure{failure::kind::insufficient_resources});
  registration r;
  r.it = o.me();
  r.key = p.sa_key;
  r.relative_target_port = o.ctx.nx.relative_target_port;
  r.all_tg_pt = p.all_tg_pt;
  o.next.registrations.push_back(std::move(r));
  return ok;
}

}  // namespace

outcome do_register(out_context& o, const basic_list& p, bool ignore_existing_key) {
  if (auto a = o.check_aptpl(p.aptpl, 20); !a) return a;
  registration* mine = o.next.find(o.me());
  if (mine == nullptr) {
    //= spc4#5.13.7
    //# REGISTER from an unregistered I_T nexus with a non-zero RESERVATION KEY:
    //# RESERVATION CONFLICT (REGISTER AND IGNORE EXISTING KEY ignores the field)
    if (!ignore_existing_key && p.key != 0) return fail(conflict());
    //= spc4#5.13.7
    //# a zero SERVICE ACTION RESERVATION KEY from an unregistered I_T nexus: GOOD, nothing done
    if (p.sa_key == 0) return ok;
    if (auto r = register_new(o, p); !r) return r;
  } else {
    //= spc4#5.13.7
    //# REGISTER from a registered I_T nexus whose RESERVATION KEY is not its key:
    //# RESERVATION CONFLICT
    if (!ignore_existing_key && p.key != mine->key) return fail(conflict());
    if (p.sa_key == 0) {
      unregister(o);
    } else {
      mine->key = p.sa_key;
    }
  }
  //= spc4#6.16.3
  //# APTPL: the last valid value received decides persistence
  o.next.aptpl = p.aptpl;
  //= spc4#6.15.2
  //# PRgeneration: incremented by each REGISTER / REGISTER AND IGNORE EXISTING KEY
  //# that completes
  ++o.next.generation;
  return ok;
}

}  // namespace touchstone::scsi::pr
