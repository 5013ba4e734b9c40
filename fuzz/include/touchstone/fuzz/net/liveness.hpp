// Liveness of a black-box target, judged by fresh sessions. A probe is one
// normal session through the conformance engine (connect, login with the
// target's credentials, TEST UNIT READY, logout), each step with a deadline.
// The classifier, a table-driven state machine, takes how the fuzzed session
// ended and the probes after it, and names the outcome:
//   ok     the fuzzed session ended as sessions do, fresh sessions are served;
//   crash  every fresh session afterwards is refused or dropped (N probes
//          over at least T);
//   hang   no fresh session is served and at least one stalled (connected,
//          then no answer before a deadline) (N probes over at least T);
//   stall  the fuzzed session stopped being answered while fresh sessions
//          are served.
// A probe that is served ends the judgement at once; the others go on until
// N probes were made and T has passed. Probes and time are bounded.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "touchstone/conformance/observation.hpp"
#include "touchstone/conformance/target.hpp"

namespace touchstone::fuzz::net {

using conformance::milliseconds;

// How the fuzzed session ended, from the last thing it saw.
enum class session_end : std::uint8_t {
  answered,      // its last wait got a PDU (or it ended with a logout)
  closed,        // the target closed or reset it, or a socket error
  silent,        // an answer it waited for did not come before the deadline
  stream_error,  // the target's bytes broke framing
};
std::string_view name(session_end e);
session_end end_of(const conformance::observation& last);

enum class probe_result : std::uint8_t {
  served,   // every step answered (TEST UNIT READY with any status)
  refused,  // the connection was refused, or the login answered with a failure
  dropped,  // the connection closed or broke during a step
  stalled,  // a step's answer did not come before its deadline
};
std::string_view name(probe_result r);

struct probe_outcome {
  probe_result result = probe_result::refused;
  std::string step;    // "connect", "login", "TEST UNIT READY", "logout"
  std::string detail;  // what was seen
  milliseconds took{0};
};

// One probe session; step_deadline bounds every wait.
probe_outcome probe(const conformance::target_config& target, milliseconds step_deadline);

enum class verdict : std::uint8_t { pending, ok, crash, hang, stall };
std::string_view name(verdict v);

struct liveness_options {
  int probes = 3;                       // N: probes before crash or hang
  milliseconds span{2000};              // T: time they must cover
  milliseconds step_deadline{1000};     // each step of a probe
  // Whether the target's process has exited (a supervised target; empty:
  // nobody knows). After a probe that was not served it is asked while the
  // next probe is waited for: an exit is a crash at once, not after T.
  std::function<bool()> gone;
};

// The state machine: start from how the session ended, feed probe results
// with their times, ask for the verdict.
class liveness_classifier {
 public:
  liveness_classifier(session_end fuzzed, liveness_options o);

  // Returns the verdict so far (pending until one is reached).
  verdict on_probe(probe_result r, conformance::clock::time_point when);
  verdict current() const { return verdict_; }
  int probes() const { return probes_; }

 private:
  enum class state : std::uint8_t { fresh, refusing, stalling, served };
  static state next(state s, probe_result r);

  session_end fuzzed_;
  liveness_options options_;
  state state_ = state::fresh;
  verdict verdict_ = verdict::pending;
  int probes_ = 0;
  conformance::clock::time_point first_{};
};

struct liveness_report {
  verdict outcome = verdict::pending;
  std::vector<probe_outcome> probes;
  std::string summary;  // one line for the console and finding.json
  bool shared = false;  // the probe was another job's (shared_liveness.hpp)
};

// Probes the target after a session that ended as `fuzzed` until the
// classifier decides: at most o.probes probes, spread over o.span.
liveness_report judge_liveness(const conformance::target_config& target, session_end fuzzed,
                               const liveness_options& o = {});
// The report's one line: "ok: the session ended closed; probes: served (...)".
std::string liveness_summary(verdict outcome, session_end fuzzed, const std::vector<probe_outcome>& probes);

}  // namespace touchstone::fuzz::net
