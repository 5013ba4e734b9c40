// Running cases: needs first (unmet: skip with the reason), then the case in
// a child process with a hard timeout (a hang or a crash is an error verdict
// and the run goes on), then, after an error, a probe: a target that stopped
// answering ends the run with a clear message.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "touchstone/conformance/case.hpp"
#include "touchstone/conformance/session.hpp"
#include "touchstone/conformance/target.hpp"

namespace touchstone::conformance {

struct case_result {
  const registered_case* which = nullptr;
  verdict outcome;
  double seconds = 0;
  std::vector<std::string> target_violations;  // validator findings, one line each
  std::string capture;  // the pcap written of the case's traffic, if any
  std::string record_note;  // what run_options::record said, if anything
};

class case_context;

struct run_options {
  milliseconds timeout{30000};  // per case, hard
  milliseconds wait{3000};      // per expected answer
  milliseconds silence{1000};   // per "expect no answer"
  bool isolate = true;          // fork per case
  bool probe_after_error = true;
  // A pcap of each failing (and error) case's traffic goes to
  // pcap_dir/<case id>.pcap; with pcap_all, of every case that ran.
  std::string pcap_dir;
  bool pcap_all = false;
  // Cases run side by side in up to `jobs` children (--jobs); those that
  // change what other cases see (runs_alone) still run by themselves.
  int jobs = 1;
  // Called after each case that ran, in the process that ran it (the child
  // when isolated, like the pcaps), while its connections' traffic is still
  // there: touchstone-conform --record writes the case's session program.
  // What it returns (a line for the log, or nothing) comes back in
  // case_result::record_note.
  std::function<std::string(const registered_case&, const case_context&)> record;
};

struct run_events {
  std::function<void(const registered_case&, std::size_t index, std::size_t total)> started;
  std::function<void(const case_result&, std::size_t index, std::size_t total)> finished;
};

struct run_summary {
  std::vector<case_result> results;
  // Why the run ended early, if it did: the case that was running when the
  // target stopped answering (with those beside it under --jobs) and the
  // one before it, either of which may be the cause.
  std::string stopped;
  // Then: the cases never started, in run order (the reports list them as
  // "not run"; --from resumes at the first).
  std::vector<const registered_case*> not_run;
  double seconds = 0;
};

run_summary run_cases(const std::vector<const registered_case*>& cases, const target_config& target,
                      const run_options& options, const run_events& events = {});

// One case, needs checked, isolated as options say.
case_result run_case(const registered_case& c, const target_config& target,
                     const run_options& options);

// Whether a case must run with no other case beside it under --jobs: it is
// marked serial, is destructive, or belongs to a family that changes state
// other sessions see (task management, reservations, resets, unit attentions).
bool runs_alone(const registered_case& c);

// Whether the target still logs in and answers a ping; why not otherwise.
bool target_answers(const target_config& target, const run_options& options, std::string& why);

}  // namespace touchstone::conformance
