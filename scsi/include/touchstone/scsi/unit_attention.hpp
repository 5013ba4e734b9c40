// Unit attention conditions, queued per I_T nexus on one logical unit, and
// reported in SPC-4 precedence order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "touchstone/scsi/nexus.hpp"
#include "touchstone/scsi/types.hpp"

namespace touchstone::scsi {

// Ordered by precedence: lower values are reported first (sam5#5.14, the
// reset conditions ahead of every other); the rest in order established.
enum class unit_attention : std::uint8_t {
  power_on_reset,           // 29h/00h
  power_on,                 // 29h/01h
  bus_device_reset,         // 29h/03h (LOGICAL UNIT RESET)
  it_nexus_loss,            // 29h/07h
  commands_cleared_by_another_initiator,  // 2Fh/00h
  commands_cleared_by_device_server,      // 2Fh/02h
  commands_cleared_by_protocol_event,     // 47h/7Fh
  mode_parameters_changed,  // 2Ah/01h
  reservations_preempted,   // 2Ah/03h
  reservations_released,    // 2Ah/04h
  registrations_preempted,  // 2Ah/05h
  capacity_data_changed,    // 2Ah/09h
  inquiry_data_changed,     // 3Fh/03h
  reported_luns_changed,    // 3Fh/0Eh
};

asc_ascq asc_of(unit_attention ua);
bool is_reset_class(unit_attention ua);

// Not thread-safe by itself: the logical unit guards it.
class unit_attention_queue {
 public:
  // A nexus this LU has not seen yet starts with POWER ON, RESET (29h/00h)
  // when `power_on_for_new_nexus` (sam5#5.14: it has not been told of the
  // power on yet).
  explicit unit_attention_queue(bool power_on_for_new_nexus = true)
      : power_on_for_new_nexus_(power_on_for_new_nexus) {}

  // Records the nexus as known (first sight may queue POWER ON).
  void touch(const it_nexus& it);
  void establish(const it_nexus& it, unit_attention ua);
  // For every known nexus, except `except` when given.
  void establish_all(unit_attention ua, const it_nexus* except = nullptr);
  // The condition that would be reported next, without clearing it.
  std::optional<unit_attention> peek(const it_nexus& it) const;
  // Reports and clears it (REQUEST SENSE, or CHECK CONDITION on a command).
  std::optional<unit_attention> pop(const it_nexus& it);
  void clear(const it_nexus& it, unit_attention ua);
  std::vector<unit_attention> pending(const it_nexus& it) const;

 private:
  bool power_on_for_new_nexus_;
  std::set<it_nexus> known_;
  std::map<it_nexus, std::vector<unit_attention>> queued_;  // in order established
};

}  // namespace touchstone::scsi
