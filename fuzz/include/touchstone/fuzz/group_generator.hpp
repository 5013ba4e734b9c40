// Program groups from a seeded PRNG (docs/fuzzing.md, "Several sessions at
// once"), of the kinds issue 12 names: persistent reservations from 2-3
// I_T nexuses, session and connection reinstatement, and the same program
// racing on 2-4 sessions. And their mutation: a member mutated as a program
// is, the schedule reordered, ISIDs made equal or distinct. Deterministic.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

#include "touchstone/fuzz/mutator.hpp"
#include "touchstone/fuzz/program_group.hpp"

namespace touchstone::fuzz {

enum class group_kind : std::uint8_t {
  reservations,              // REGISTER/RESERVE/... from one nexus, I/O from the others
  session_reinstatement,     // a second login with the same ISID and TSIH 0
  connection_reinstatement,  // the same ISID, the first session's TSIH and CID
  racing,                    // one program on 2-4 sessions, interleaved
};
std::string_view name(group_kind k);

// PERSISTENT RESERVE OUT (spc4#6.16, from memory): service action, TYPE
// (scope LU), the 24-byte basic parameter list with the two keys, sent as
// immediate data; numbering follow.
step pr_out_step(std::uint8_t action, std::uint8_t type, std::uint64_t key, std::uint64_t service_action_key);

// Whether any step of g is a PERSISTENT RESERVE OUT (a reservation it
// made may outlive it: registrations persist past the nexus's end).
bool sends_pr_out(const program_group& g);
// A nexus of its own (TEST UNIT READY for its unit attention, REGISTER AND
// IGNORE EXISTING KEY, CLEAR): what the campaign runs after a group that
// sent PR OUT, so a reservation left behind does not meet every later
// session (as conformance/cases/pr_helpers.hpp's frame does).
program reservation_cleanup();

class group_generator {
 public:
  explicit group_generator(std::uint64_t seed, generator_options options = {});

  program_group next();  // a kind drawn at random
  program_group next(group_kind k);

 private:
  program_group reservations();
  program_group reinstatement(bool connection);
  program_group racing();
  program member(std::uint64_t isid, std::size_t steps);

  generator gen_;  // member steps; owns the engine
};

class group_mutator {
 public:
  explicit group_mutator(std::uint64_t seed, generator_options options = {});
  // One mutation in place; the group keeps its bounds.
  void mutate(program_group& g);

 private:
  void mutate_schedule(program_group& g);
  void mutate_isids(program_group& g);

  mutator members_;
  std::mt19937_64 rng_;
};

// A schedule with each session's turns (max(1, steps)) in a random order.
std::vector<std::uint8_t> shuffled_schedule(const program_group& g, std::mt19937_64& r);

}  // namespace touchstone::fuzz
