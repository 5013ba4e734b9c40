// PERSISTENT RESERVE OUT: CDB and parameter list checks, the commit of the
// new state (APTPL save first), the effects on other I_T nexuses, and the
// registration of the whole PERSISTENT RESERVE family.
#include "pr_out.hpp"

#include <set>
#include <utility>

namespace touchstone::scsi::pr {

void register_persistent_reserve_in(command_table& t);

namespace {

using action_fn = outcome (*)(out_context&, const basic_list&);

struct action_spec {
  std::uint8_t code;
  std::string_view name;
  bool scope_and_type;  // the CDB's SCOPE and TYPE are used (and checked)
  bool basic;           // takes the basic 24-byte parameter list
  action_fn run;
};

//= spc4#6.16.2
//# which service actions use SCOPE/TYPE and which parameter list
constexpr action_spec actions[] = {
    {service_action::register_key, "PERSISTENT RESERVE OUT(REGISTER)", false, true,
     [](out_context& o, const basic_list& p) { return do_register(o, p, false); }},
    {service_action::reserve, "PERSISTENT RESERVE OUT(RESERVE)", true, true, do_reserve},
    {service_action::release, "PERSISTENT RESERVE OUT(RELEASE)", true, true, do_release},
    {service_action::clear, "PERSISTENT RESERVE OUT(CLEAR)", false, true, do_clear},
    {service_action::preempt, "PERSISTENT RESERVE OUT(PREEMPT)", true, true,
     [](out_context& o, const basic_list& p) { return do_preempt(o, p, false); }},
    {service_action::preempt_and_abort, "PERSISTENT RESERVE OUT(PREEMPT AND ABORT)", true, true,
     [](out_context& o, const basic_list& p) { return do_preempt(o, p, true); }},
    {service_action::register_and_ignore_existing_key,
     "PERSISTENT RESERVE OUT(REGISTER AND IGNORE EXISTING KEY)", false, true,
     [](out_context& o, const basic_list& p) { return do_register(o, p, true); }},
    {service_action::register_and_move, "PERSISTENT RESERVE OUT(REGISTER AND MOVE)", true, false,
     [](out_context& o, const basic_list&) { return do_register_and_move(o); }},
};

// persistent_reserve_out<Code> reads actions[Code]: the rows are in code order.
constexpr bool in_code_order() {
  for (std::size_t i = 0; i < std::size(actions); ++i)
    if (actions[i].code != i) return false;
  return true;
}
static_assert(in_code_order());

response respond(const command_context& ctx, const failure& f) {
  switch (f.what) {
    case failure::kind::conflict:
      return ctx.reservation_conflict();
    case failure::kind::invalid_field_in_cdb:
      return ctx.invalid_field_in_cdb(f.byte, f.bit);
    case failure::kind::invalid_field_in_list:
      return ctx.invalid_field_in_parameter_list(f.byte, f.bit);
    case failure::kind::parameter_list_length:
      return ctx.parameter_list_length_error();
    case failure::kind::invalid_release:
      //= spc4#5.13.11.2
      //# the holder releasing with another SCOPE or TYPE: ILLEGAL REQUEST,
      //# INVALID RELEASE OF PERSISTENT RESERVATION; the reservation stays
      return ctx.check_condition(sense_key::illegal_request,
                                 asc::invalid_release_of_persistent_reservation);
    case failure::kind::insufficient_resources:
      break;
  }
  return ctx.check_condition(sense_key::illegal_request, asc::insufficient_registration_resources);
}

outcome parse_cdb(bytes_view cdb, const action_spec& a, out_cdb& out) {
  out.scope = static_cast<std::uint8_t>(cdb[2] >> 4);
  const std::uint8_t type = cdb[2] & 0x0F;
  out.parameter_list_length = get_be32(&cdb[5]);
  if (!a.scope_and_type) return ok;
  //= spc4#6.15.3
  //# a SCOPE other than LU_SCOPE: ILLEGAL REQUEST, INVALID FIELD IN CDB
  if (out.scope != lu_scope) return fail(failure{failure::kind::invalid_field_in_cdb, 2, 7});
  //= spc4#6.15.3
  //# a reserved TYPE: ILLEGAL REQUEST, INVALID FIELD IN CDB
  if (!is_valid_pr_type(type)) return fail(failure{failure::kind::invalid_field_in_cdb, 2, 3});
  out.type = static_cast<pr_type>(type);
  return ok;
}

result<basic_list, failure> parse_basic(bytes_view list) {
  if (list.size() < basic_list_length) return fail(bad_list_length());
  //= spc4#6.16.3
  //# SPEC_I_PT=1 where the device server does not support it (SIP_C=0):
  //# ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST
  if (list[20] & 0x08) return fail(bad_list_field(20, 3));
  //= spc4#6.16.3
  //# SPEC_I_PT=0 and a PARAMETER LIST LENGTH other than 24: PARAMETER LIST LENGTH ERROR
  if (list.size() != basic_list_length) return fail(bad_list_length());
  basic_list p;
  p.key = get_be64(&list[0]);
  p.sa_key = get_be64(&list[8]);
  p.all_tg_pt = (list[20] & 0x04) != 0;
  p.aptpl = (list[20] & 0x01) != 0;
  return p;
}

//= spc4#5.13.5
//# APTPL: with the last valid APTPL bit one, the state survives power loss;
//# with it zero, nothing does
bool persist(const out_context& o) {
  if (o.ext.aptpl_path.empty()) return true;
  if (o.next.aptpl) return save_atomically(o.ext.aptpl_path, serialize(o.next));
  if (o.ext.current.aptpl) return remove_durably(o.ext.aptpl_path);
  return true;
}

//= spc4#5.13.11.5
//# PREEMPT AND ABORT: the tasks of the preempted I_T nexuses are aborted; with
//# TAS=0 each of them gets COMMANDS CLEARED BY ANOTHER INITIATOR, with TAS=1
//# the tasks end in TASK ABORTED status
void abort_preempted(command_context& ctx, const std::vector<registration>& preempted) {
  const bool tas = ctx.lu->pages().tas();
  const it_nexus me = ctx.nx.it;
  auto aborted = ctx.lu->tasks().abort_where(
      [&](const it_nexus& n) {
        if (n == me) return false;
        for (const auto& r : preempted)
          if (r.covers(n)) return true;
        return false;
      },
      tas);
  if (tas) return;
  std::set<it_nexus> told;
  for (const auto& a : aborted) {
    if (told.insert(a.it).second)
      ctx.lu->establish_ua(a.it, unit_attention::commands_cleared_by_another_initiator);
  }
}

void apply(command_context& ctx, const effects& fx) {
  for (const auto& [it, ua] : fx.uas) ctx.lu->establish_ua(it, ua);
  if (!fx.abort_tasks_of.empty()) abort_preempted(ctx, fx.abort_tasks_of);
}

response run_checked(command_context& ctx, const action_spec& a) {
  extension& ext = extension_of(ctx);
  out_context o{ctx, ext, {}, {}, ext.current, {}};
  if (auto parsed = parse_cdb(ctx.cdb(), a, o.cdb); !parsed) return respond(ctx, parsed.error());
  if (ctx.req.data_out.size() < o.cdb.parameter_list_length)
    return respond(ctx, bad_list_length());
  o.list = ctx.req.data_out.first(o.cdb.parameter_list_length);
  basic_list p;
  if (a.basic) {
    auto parsed = parse_basic(o.list);
    if (!parsed) return respond(ctx, parsed.error());
    p = *parsed;
  }
  if (auto done = a.run(o, p); !done) return respond(ctx, done.error());
  if (!persist(o)) return respond(ctx, failure{failure::kind::insufficient_resources});
  ext.current = std::move(o.next);
  apply(ctx, o.fx);
  return ctx.good();
}

template <std::uint8_t Code>
response persistent_reserve_out(command_context& ctx) {
  response r = run_checked(ctx, actions[Code]);
  r.data_out_length = get_be32(&ctx.cdb()[5]);
  return r;
}

template <std::size_t... I>
void add_out_actions(command_table& t, std::index_sequence<I...>) {
  (t.add({.opcode = 0x5F,
          .service_action = actions[I].code,
          .name = actions[I].name,
          .cdb_length = 10,
          .flags = cmd_flag::data_out | cmd_flag::store_io,  // the APTPL state file
          .access = reservation_access::own_rules,
          .run = persistent_reserve_out<static_cast<std::uint8_t>(I)>}),
   ...);
}

}  // namespace

outcome out_context::require_registered_with(std::uint64_t key) const {
  //= spc4#6.16.2
  //# an unregistered I_T nexus, or a RESERVATION KEY other than its registered
  //# key: RESERVATION CONFLICT
  const registration* mine = next.find(me());
  if (mine == nullptr || mine->key != key) return fail(conflict());
  return ok;
}

outcome out_context::check_aptpl(bool aptpl, std::uint16_t byte) const {
  //= spc4#6.16.3
  //# APTPL=1 where persist through power loss is not supported (PTPL_C=0):
  //# INVALID FIELD IN PARAMETER LIST
  if (aptpl && ext.aptpl_path.empty()) return fail(bad_list_field(byte, 0));
  return ok;
}

}  // namespace touchstone::scsi::pr

namespace touchstone::scsi {

void register_persistent_reservations(command_table& t) {
  pr::register_persistent_reserve_in(t);
  pr::add_out_actions(t, std::make_index_sequence<std::size(pr::actions)>{});
}

}  // namespace touchstone::scsi
