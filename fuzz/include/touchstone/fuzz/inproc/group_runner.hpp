// Runs a program group (touchstone/fuzz/program_group.hpp) in-process: each
// member session on its own connection of ONE reference-target node, so they
// share its session registry and directory and its LU, and session
// reinstatement, connection reinstatement and reservations from several
// I_T nexuses happen as over TCP (docs/fuzzing.md, "target_program").
//
//  - turns in turn_order(g): a member's first turn connects, logs in as its
//    plan says (with the TSIH of the session tsih_from names, once that one
//    has logged in) and sends its first step; later turns send its next
//    step; a member whose connection is over takes no more turns;
//  - after every turn, each connection the session directory woke (its
//    session reinstated, its connection replaced, a TARGET COLD RESET) is
//    ticked, as the transport's waker does: it closes then, before its
//    next turn;
//  - one synthetic clock for the node; every oracle of a single program
//    applies per connection (session_driver.hpp); at the end the held jobs
//    finish, time passes, every connection goes away, and the node must
//    hold no session;
//  - the target as for one program; CHAP when any member's plan asks for
//    it, every member then answering it.
#pragma once

#include <cstdint>
#include <vector>

#include "touchstone/fuzz/program_group.hpp"
#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz::inproc {

// What one member saw, for tests; bounded by the group (a step each).
struct session_record {
  bool logged_in = false;
  std::uint16_t tsih = 0;
  std::vector<std::vector<pdu::pdu>> answers;  // per step sent: what the target sent
  bool closed = false;                          // the connection closed before the end
  bool closed_by_other = false;                 // ...when another connection woke it
};

struct group_record {
  std::vector<session_record> sessions;
};

void run_group(const program_group& g, group_record* record = nullptr);

}  // namespace touchstone::fuzz::inproc
