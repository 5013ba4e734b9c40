// THE access table of persistent reservations: one row per command kind and
// reservation type, one verdict per relation of the I_T nexus to the
// reservation. check_access (pr_state.cpp) and the tests read it, nothing else.
#include <algorithm>

#include "touchstone/scsi/persistent_reservations.hpp"

namespace touchstone::scsi {
namespace {

using K = pr_command_kind;
using T = pr_type;
constexpr pr_verdict A = pr_verdict::allowed;
constexpr pr_verdict C = pr_verdict::conflict;

// Columns: holder, registered (not holder), not registered.
//= spc4#5.13.1
//# SPC commands allowed in the presence of various reservations: INQUIRY, REPORT
//# LUNS, REQUEST SENSE, TEST UNIT READY, PERSISTENT RESERVE IN/OUT, ... are
//# allowed from any I_T nexus; the rest conflict unless the reservation admits them
//= sbc3#4.17
//# SBC commands allowed in the presence of various reservations: reads conflict
//# only under the Exclusive Access types, writes under every type, from an I_T
//# nexus that is not the holder (Registrants Only / All Registrants: not registered)
//= spc4#5.13.3
//# CRH=1: while any registration exists, RESERVE conflicts from every I_T nexus;
//# RELEASE completes GOOD without releasing from the holder (or a registrant
//# under a Registrants Only or All Registrants reservation) and conflicts otherwise
constexpr std::array<pr_access_row, 49> table = {{
    {K::allowed, T::none, A, A, A},
    {K::allowed, T::write_exclusive, A, A, A},
    {K::allowed, T::exclusive_access, A, A, A},
    {K::allowed, T::write_exclusive_registrants_only, A, A, A},
    {K::allowed, T::exclusive_access_registrants_only, A, A, A},
    {K::allowed, T::write_exclusive_all_registrants, A, A, A},
    {K::allowed, T::exclusive_access_all_registrants, A, A, A},

    {K::reads, T::none, A, A, A},
    {K::reads, T::write_exclusive, A, A, A},
    {K::reads, T::exclusive_access, A, C, C},
    {K::reads, T::write_exclusive_registrants_only, A, A, A},
    {K::reads, T::exclusive_access_registrants_only, A, A, C},
    {K::reads, T::write_exclusive_all_registrants, A, A, A},
    {K::reads, T::exclusive_access_all_registrants, A, A, C},

    {K::writes, T::none, A, A, A},
    {K::writes, T::write_exclusive, A, C, C},
    {K::writes, T::exclusive_access, A, C, C},
    {K::writes, T::write_exclusive_registrants_only, A, A, C},
    {K::writes, T::exclusive_access_registrants_only, A, A, C},
    {K::writes, T::write_exclusive_all_registrants, A, A, C},
    {K::writes, T::exclusive_access_all_registrants, A, A, C},

    {K::persistent_reserve_in, T::none, A, A, A},
    {K::persistent_reserve_in, T::write_exclusive, A, A, A},
    {K::persistent_reserve_in, T::exclusive_access, A, A, A},
    {K::persistent_reserve_in, T::write_exclusive_registrants_only, A, A, A},
    {K::persistent_reserve_in, T::exclusive_access_registrants_only, A, A, A},
    {K::persistent_reserve_in, T::write_exclusive_all_registrants, A, A, A},
    {K::persistent_reserve_in, T::exclusive_access_all_registrants, A, A, A},

    {K::persistent_reserve_out, T::none, A, A, A},
    {K::persistent_reserve_out, T::write_exclusive, A, A, A},
    {K::persistent_reserve_out, T::exclusive_access, A, A, A},
    {K::persistent_reserve_out, T::write_exclusive_registrants_only, A, A, A},
    {K::persistent_reserve_out, T::exclusive_access_registrants_only, A, A, A},
    {K::persistent_reserve_out, T::write_exclusive_all_registrants, A, A, A},
    {K::persistent_reserve_out, T::exclusive_access_all_registrants, A, A, A},

    {K::spc2_reserve, T::none, C, C, C},
    {K::spc2_reserve, T::write_exclusive, C, C, C},
    {K::spc2_reserve, T::exclusive_access, C, C, C},
    {K::spc2_reserve, T::write_exclusive_registrants_only, C, C, C},
    {K::spc2_reserve, T::exclusive_access_registrants_only, C, C, C},
    {K::spc2_reserve, T::write_exclusive_all_registrants, C, C, C},
    {K::spc2_reserve, T::exclusive_access_all_registrants, C, C, C},

    {K::spc2_release, T::none, C, C, C},
    {K::spc2_release, T::write_exclusive, A, C, C},
    {K::spc2_release, T::exclusive_access, A, C, C},
    {K::spc2_release, T::write_exclusive_registrants_only, A, A, C},
    {K::spc2_release, T::exclusive_access_registrants_only, A, A, C},
    {K::spc2_release, T::write_exclusive_all_registrants, A, A, C},
    {K::spc2_release, T::exclusive_access_all_registrants, A, A, C},
}};

}  // namespace

pr_verdict pr_access_row::verdict(pr_relation r) const {
  switch (r) {
    case pr_relation::holder:
      return holder;
    case pr_relation::registered:
      return registered;
    case pr_relation::not_registered:
      break;
  }
  return not_registered;
}

std::span<const pr_access_row> pr_access_table() { return table; }

pr_verdict pr_access(pr_command_kind kind, pr_type type, pr_relation relation) {
  auto row = std::find_if(table.begin(), table.end(), [&](const pr_access_row& r) {
    return r.kind == kind && r.type == type;
  });
  return row == table.end() ? pr_verdict::allowed : row->verdict(relation);
}

}  // namespace touchstone::scsi
