// A program group: several session programs run at once, each on its own
// connection with its own login (its own ISID, or the same one to reinstate
// a session), their steps interleaved by a schedule (docs/fuzzing.md,
// "Several sessions at once"). The JSON form extends the program's: a group
// of one is saved as an ordinary program file, and an ordinary program file
// loads as a group of one. No I/O here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/fuzz/program.hpp"
#include "touchstone/fuzz/program_json.hpp"
#include "touchstone/pdu/result.hpp"

namespace touchstone::fuzz {

inline constexpr std::string_view group_format = "touchstone-session-group/1";
inline constexpr std::size_t max_group_sessions = 4;
// One entry per step of every session, and one more per session (a session
// without steps still logs in).
inline constexpr std::size_t max_schedule = max_group_sessions * (max_steps + 1);

struct program_group {
  // 1..max_group_sessions programs; session i runs on connection i.
  std::vector<program> sessions;
  // Session indexes, one per turn. A session's first turn connects, runs
  // its login plan and sends its first step (if it has one); each later
  // turn sends its next step. Turns naming a session with no step left are
  // skipped; steps the schedule leaves out run after it, session by session.
  std::vector<std::uint8_t> schedule;
  // Per session (or empty): -1, or k < this session's index: the session
  // logs in with the TSIH the target gave session k (its plan's tsih is
  // ignored), with k's CID a connection reinstatement (rfc7143 6.3.4).
  // Known only when k has logged in, so the executor fills it in.
  std::vector<std::int8_t> tsih_from;
  friend bool operator==(const program_group&, const program_group&) = default;
};

// The order the executor takes turns in (the schedule made whole, as
// above): sum over sessions of max(1, steps) entries.
std::vector<std::uint8_t> turn_order(const program_group& g);

// Every session's steps in one program (session by session; the first
// session's login plan): what a check over all the steps a group sends
// looks at, e.g. whether any of them may change data.
program all_steps(const program_group& g);

// The first bound a group breaks ("schedule[3]: session 5, the group has
// 2"), or an empty string.
std::string bound_violation(const program_group& g);
// Into the bounds: sessions beyond the limit dropped, each member clamped,
// schedule entries naming no session dropped, the schedule cut.
void clamp_to_bounds(program_group& g);

// A group of one session is saved as that program's own JSON.
std::string save_json(const program_group& g);
// Loads a group file, or a program file as a group of one.
result<program_group, load_error> load_group_json(std::string_view text);

}  // namespace touchstone::fuzz
