// Running one function in a child process with a hard deadline: the child's
// verdict comes back through a pipe; a child that outlives the deadline is
// killed, and one that dies is reported. Internal to the runner.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "touchstone/conformance/runner.hpp"

namespace touchstone::conformance {

case_result run_isolated(const std::function<case_result()>& body, milliseconds hard_limit);

// One child under way, for the parallel runner: started, fed by poll() on
// fd(), finished once (after EOF or the deadline).
class isolated_child {
 public:
  isolated_child(const std::function<case_result()>& body, milliseconds hard_limit);
  isolated_child(const isolated_child&) = delete;
  isolated_child& operator=(const isolated_child&) = delete;
  ~isolated_child();

  int fd() const { return fd_; }  // -1 once the result is in (or fork failed)
  deadline until() const { return until_; }
  // Reads what is ready; false once the child closed its end.
  bool read_ready();
  // The result: reaps the child, killing it first if it is still running.
  case_result finish();

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  deadline until_;
  std::string text_;
  std::string failure_;  // pipe/fork errors
  bool eof_ = false;
};

// The stop of a run whose target no longer answers after cases[at] (and
// `beside`, the cases still running then): summary.stopped names them and
// the case before cases[at]; summary.not_run gets cases[first_unstarted..].
void note_stop(run_summary& summary, const std::vector<const registered_case*>& cases, std::size_t at,
               const std::vector<std::size_t>& beside, std::size_t first_unstarted, const std::string& why);

// run_cases with options.jobs > 1 (parallel_runner.cpp).
run_summary run_cases_parallel(const std::vector<const registered_case*>& cases, const target_config& target,
                               const run_options& options, const run_events& events);

}  // namespace touchstone::conformance
