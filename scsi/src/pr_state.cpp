// Persistent reservation state: registrations, the holder, and the access
// check the core runs before every command.
#include "pr_state.hpp"

#include <algorithm>
#include <utility>

namespace touchstone::scsi {

bool is_valid_pr_type(std::uint8_t code) {
  return std::any_of(all_pr_types.begin(), all_pr_types.end(),
                     [code](pr_type t) { return static_cast<std::uint8_t>(t) == code; });
}

bool is_all_registrants(pr_type t) {
  return t == pr_type::write_exclusive_all_registrants ||
         t == pr_type::exclusive_access_all_registrants;
}

bool is_registrants_only(pr_type t) {
  return t == pr_type::write_exclusive_registrants_only ||
         t == pr_type::exclusive_access_registrants_only;
}

pr_command_kind pr_command_kind_of(const command_entry& e) {
  switch (e.access) {
    case reservation_access::allowed:
      return pr_command_kind::allowed;
    case reservation_access::reads:
      return pr_command_kind::reads;
    case reservation_access::writes:
      return pr_command_kind::writes;
    case reservation_access::own_rules:
      break;
  }
  switch (e.opcode) {
    case 0x5E:
      return pr_command_kind::persistent_reserve_in;
    case 0x5F:
      return pr_command_kind::persistent_reserve_out;
    case 0x16:  // RESERVE(6)
    case 0x56:  // RESERVE(10)
      return pr_command_kind::spc2_reserve;
    case 0x17:  // RELEASE(6)
    case 0x57:  // RELEASE(10)
      return pr_command_kind::spc2_release;
    default:
      return pr_command_kind::allowed;  // the family's own rules decide
  }
}

bool persistent_reservation_or_registration_exists(logical_unit& lu) {
  const auto* e = lu.find_extension<pr::extension>();
  return e != nullptr && (!e->current.registrations.empty() || e->current.held.has_value());
}

namespace pr {

const registration* state::find(const it_nexus& it) const {
  auto found = std::find_if(registrations.begin(), registrations.end(),
                            [&](const registration& r) { return r.covers(it); });
  return found == registrations.end() ? nullptr : &*found;
}

registration* state::find(const it_nexus& it) {
  return const_cast<registration*>(std::as_const(*this).find(it));
}

//= spc4#5.13.10
//# the holder: every registered I_T nexus for the all registrants types, else
//# the I_T nexus that established the reservation
bool state::is_holder(const it_nexus& it) const {
  if (!held) return false;
  return is_all_registrants(held->type) ? registered(it) : held->holder == it;
}

pr_relation state::relation_of(const it_nexus& it) const {
  if (is_holder(it)) return pr_relation::holder;
  return registered(it) ? pr_relation::registered : pr_relation::not_registered;
}

//= spc4#6.15.3
//# READ RESERVATION: the holder's key; zero for the all registrants types
std::uint64_t state::holder_key() const {
  if (!held || is_all_registrants(held->type)) return 0;
  const registration* r = find(held->holder);
  return r != nullptr ? r->key : 0;
}

std::vector<it_nexus> state::registered_nexuses(const it_nexus* except) const {
  std::vector<it_nexus> out;
  for (const auto& r : registrations) {
    if (except == nullptr || !r.covers(*except)) out.push_back(r.it);
  }
  return out;
}

access_decision extension::check_access(const command_context& ctx) const {
  saw(ctx.nx);
  //= spc4#5.13.1
  //# without a registration there is no persistent reservation: nothing conflicts
  if (current.registrations.empty()) return access_decision::allowed;
  const pr_verdict v = pr_access(pr_command_kind_of(ctx.entry), current.type(),
                                 current.relation_of(ctx.nx.it));
  return v == pr_verdict::conflict ? access_decision::reservation_conflict
                                   : access_decision::allowed;
}

extension& extension_of(command_context& ctx) {
  auto& e = ctx.lu->extension<extension>();
  e.saw(ctx.nx);
  return e;
}

}  // namespace pr
}  // namespace touchstone::scsi
