// Persistent reservations (spc4#5.13): the reservation types, how an I_T
// nexus relates to the reservation, THE access table the device server and
// the tests both read, APTPL configuration, and the accessor the SPC-2
// RESERVE/RELEASE family reads.
//
// The PR state of a logical unit lives in an lu_extension created by the
// first PERSISTENT RESERVE command or by enable_aptpl(); it is guarded by the
// LU's execution lock like every extension.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"
#include "touchstone/scsi/result.hpp"

namespace touchstone::scsi {

//= spc4#6.16.3 table 211
//# persistent reservation TYPE codes (none: no persistent reservation)
enum class pr_type : std::uint8_t {
  none = 0x0,
  write_exclusive = 0x1,
  exclusive_access = 0x3,
  write_exclusive_registrants_only = 0x5,
  exclusive_access_registrants_only = 0x6,
  write_exclusive_all_registrants = 0x7,
  exclusive_access_all_registrants = 0x8,
};

inline constexpr std::array<pr_type, 6> all_pr_types = {
    pr_type::write_exclusive,
    pr_type::exclusive_access,
    pr_type::write_exclusive_registrants_only,
    pr_type::exclusive_access_registrants_only,
    pr_type::write_exclusive_all_registrants,
    pr_type::exclusive_access_all_registrants,
};

bool is_valid_pr_type(std::uint8_t code);
//= spc4#5.13.10
//# all registrants types: every registered I_T nexus is a reservation holder
bool is_all_registrants(pr_type t);
bool is_registrants_only(pr_type t);

// How the I_T nexus sending a command stands to the persistent reservation.
enum class pr_relation : std::uint8_t { holder, registered, not_registered };

// The kind of a command as the access table sees it: the command table's
// reservation_access, with the own_rules commands the PR rules know by name.
enum class pr_command_kind : std::uint8_t {
  allowed,               // reservation_access::allowed
  reads,                 // reservation_access::reads
  writes,                // reservation_access::writes
  persistent_reserve_in,
  persistent_reserve_out,  // the service action checks its keys itself
  spc2_reserve,            // RESERVE(6)/(10)
  spc2_release,            // RELEASE(6)/(10)
};
pr_command_kind pr_command_kind_of(const command_entry& e);

enum class pr_verdict : std::uint8_t { allowed, conflict };

// One row of the access table: a command kind under a reservation type
// (none: registrations exist but no reservation), by relation.
struct pr_access_row {
  pr_command_kind kind;
  pr_type type;
  pr_verdict holder;
  pr_verdict registered;
  pr_verdict not_registered;
  pr_verdict verdict(pr_relation r) const;
};

// Every (kind, type) pair, once. Applies only while at least one
// registration exists: with none, no persistent reservation exists either
// and nothing conflicts on PR grounds.
std::span<const pr_access_row> pr_access_table();
pr_verdict pr_access(pr_command_kind kind, pr_type type, pr_relation relation);

// APTPL: the state is saved to `path` (atomically: temp file, fsync, rename,
// fsync of the directory) whenever it changes while the last APTPL bit
// received was one, and the file is removed when an APTPL bit of zero
// arrives. enable_aptpl restores what `path` holds (a missing file is an
// empty state) and must be called when the LU is created, before it serves
// commands, WITHOUT the execution lock held. Without it, PTPL_C is zero and
// APTPL=1 is refused.
enum class aptpl_error : std::uint8_t { io_error, corrupt };
result<void, aptpl_error> enable_aptpl(logical_unit& lu, std::string path);

//= spc4#5.13.3
//# for the SPC-2 RESERVE/RELEASE family: does a persistent reservation or a
//# registration exist? Call with the execution lock held.
bool persistent_reservation_or_registration_exists(logical_unit& lu);

}  // namespace touchstone::scsi
