// The executor: runs one session program (touchstone/fuzz/program.hpp) on
// one fresh connection to a target through the conformance engine. The login
// plan first (normal or discovery through the engine's login(), none, or
// scripted: the program's Login Requests sent as written with "$TARGET"
// replaced by the run's target name), then each step: numbering `follow`
// applied as program.hpp says, encoded with the digests in force (corrupted
// when the plan says), written in the plan's splits after its delay, its
// answers read until the step's task is answered or a short deadline passes.
// R2Ts are answered only by the program's own Data-Out steps. Every PDU the
// target sends goes through an answer_oracle and every (request, answer)
// pair is recorded in the caller's state_graph. Never throws, never hangs:
// every wait has a deadline and the whole run a cap.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "touchstone/conformance/target.hpp"
#include "touchstone/fuzz/net/findings.hpp"
#include "touchstone/fuzz/net/liveness.hpp"
#include "touchstone/fuzz/net/oracles.hpp"
#include "touchstone/fuzz/net/task_data.hpp"
#include "touchstone/fuzz/net/transitions.hpp"
#include "touchstone/fuzz/program.hpp"

namespace touchstone::fuzz::net {

// What a program runs against: the target (portal, name, LUN, CHAP from the
// run's URL and options).
struct run_target {
  conformance::target_config config;
};

struct run_options {
  // How long an expected answer is waited for (short: a fuzzer waits often).
  milliseconds answer_wait{250};
  // Connect and the engine's login exchanges.
  milliseconds login_wait{2000};
  // The whole run, whatever the program's delays and the target's stream.
  milliseconds cap{10000};
  // PDUs read after one step before the executor moves on (a target that
  // streams answers cannot keep a step going).
  std::size_t max_answers_per_step = 512;
  // A step's delay is cut to this (a campaign keeps its pace; a replay
  // honours every delay a program holds).
  milliseconds max_delay{max_delay_ms};
  // Keep every byte of the connection (for findings).
  bool keep_traffic = true;
  // The wait for the ping that checks a silent session (0: answer_wait). A
  // campaign that shortens answer_wait keeps this at --wait, so a slow
  // answer is never called a stall.
  milliseconds confirm_wait{0};
  // Keep each step's ITT and the tasks' Data-In data and statuses
  // (run_result::tasks, bounded): the data-integrity oracle reads them.
  bool keep_read_data = false;
};

struct run_result {
  session_end end = session_end::answered;
  // Whether a silent end can be the target's fault: false when a PDU we sent
  // had a BHS length field that disagrees with the bytes sent (the target is
  // then right to wait for more), or a step's delay ran into the cap.
  bool silence_is_targets = true;
  bool logged_in = false;  // the plan's login reached the Full Feature Phase
  std::string detail;      // how the run ended, in words
  // Transitions, in the order seen, without repeats; those new to the graph.
  std::vector<transition> reached;
  std::vector<transition> fresh;
  std::vector<departure> departures;
  // The last request and its phase, and what came back (finding signatures).
  phase last_phase = phase::login_security;
  request_kind last_request;
  answer last_answer{answer_kind::silence};
  // Every PDU sent (as encoded, corruptions included) and every observation.
  std::vector<pdu::byte_buffer> requests;
  std::vector<std::string> answers;
  captured_connection traffic;
  std::uint64_t pdus_sent = 0;
  std::uint64_t pdus_received = 0;
  std::uint64_t silences = 0;  // waits that ended at their deadline (each cost answer_wait)
  // How long each owed answer took, in microseconds (from the request's
  // last byte written to the answer read; at most 1024 per run).
  std::vector<std::uint32_t> answer_micros;
  // With run_options::keep_read_data (task_data.hpp).
  task_data tasks;
};

// Runs p on one fresh connection; records transitions in graph.
run_result run_program(const program& p, const run_target& target, state_graph& graph,
                       const run_options& options = {});

// The Login Request data with every "$TARGET" replaced by name.
pdu::byte_buffer with_target_name(const pdu::byte_buffer& data, std::string_view name);

}  // namespace touchstone::fuzz::net
