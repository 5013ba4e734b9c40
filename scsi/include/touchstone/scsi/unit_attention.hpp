// Unit attention conditions, queued per I_T nexus on one logical unit, and
// reported in SPC-4 precedence order. The queue keeps state for a bounded
// number of I_T nexuses (see unit_attention_queue).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
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
//
// BOUNDED. Every I_T nexus that ever ended a session would otherwise stay
// here (its I_T NEXUS LOSS OCCURRED waits for a return that may never come),
// so the queue keeps at most `max_nexuses` of them. To admit one more it
// forgets one, least recently used first, from the first non-empty of:
//   1. a nexus whose conditions a nexus the LU never saw gets as well: with
//      `power_on_for_new_nexus`, only reset conditions (29h/xx) pending; it
//      returns to 29h/00h POWER ON, RESET, OR BUS DEVICE RESET OCCURRED, the
//      general form of the 29h/01h, 29h/03h or 29h/07h it held (sam5#5.14,
//      spc4 table of ASC codes; cited from memory). Without
//      `power_on_for_new_nexus`: nothing pending (a new nexus sees nothing);
//   2. a nexus with a condition a new nexus would not see (2Ah/xx, 3Fh/xx,
//      2Fh/xx, 47h/7Fh): it returns to 29h/00h, which tells it that every
//      state of the LU may have changed, so it reads again what the lost
//      condition named; only ever when the bound is exceeded, oldest first;
//   3. a nexus with nothing pending while a new nexus would see 29h/00h (a
//      live one, told everything): its next command sees a 29h/00h nothing
//      caused. Only when more nexuses than the bound are in that state.
// A nexus used (touched by a command, a condition established, reported or
// cleared) is the most recently used of its kind. Below the bound nothing is
// ever forgotten, and the queue behaves as an unbounded one. PR
// registrations live in the PR state, not here: a forgotten nexus keeps them.
// (docs/target.md, "Bounded state", says the same for operators.)
class unit_attention_queue {
 public:
  static constexpr std::size_t default_max_nexuses = 4096;

  // A nexus this LU has not seen yet (or has forgotten) starts with POWER
  // ON, RESET (29h/00h) when `power_on_for_new_nexus` (sam5#5.14: it has not
  // been told of the power on yet).
  explicit unit_attention_queue(bool power_on_for_new_nexus = true,
                                std::size_t max_nexuses = default_max_nexuses);
  // Entries refer to each other: a copy would not.
  unit_attention_queue(const unit_attention_queue&) = delete;
  unit_attention_queue& operator=(const unit_attention_queue&) = delete;

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

  // The I_T nexuses the queue keeps state for (at most max_nexuses()).
  std::size_t tracked_nexuses() const { return entries_.size(); }
  std::size_t max_nexuses() const { return max_nexuses_; }
  // At least 1; forgets nexuses (in the order above) down to the new bound.
  void set_max_nexuses(std::size_t n);
  // Nexuses forgotten to keep the bound, since the queue was made.
  std::uint64_t forgotten() const { return forgotten_; }

 private:
  // The order nexuses are forgotten in (class comment, 1 to 3).
  enum class standing : std::uint8_t { as_new, pending, told };
  using lru_list = std::list<const it_nexus*>;  // least recently used first
  struct entry {
    std::vector<unit_attention> queue;  // in order established
    standing where = standing::told;
    lru_list::iterator pos;
  };

  entry& enter(const it_nexus& it, bool* created);
  void used(entry& e);
  standing standing_of(const std::vector<unit_attention>& q) const;
  void forget_one();

  bool power_on_for_new_nexus_;
  std::size_t max_nexuses_;
  std::uint64_t forgotten_ = 0;
  std::map<it_nexus, entry> entries_;
  std::array<lru_list, 3> lru_;  // by standing
};

}  // namespace touchstone::scsi
