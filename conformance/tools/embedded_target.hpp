// The embedded default: with no URL, touchstone-conform starts the reference
// target itself (127.0.0.1, an ephemeral port, two in-memory LUNs: LUN 0 of
// 64 MiB, writable, and LUN 1 of 16 MiB), runs against it and stops it. A
// second server on its own port serves iqn.2026-11.org.touchstone:target-chap
// (LUN 0 of 16 MiB) whose Normal and Discovery sessions require CHAP, with
// accounts (mutual included) whose secrets are drawn afresh for every run:
// the target_config's chap_target, where the CHAP cases go. Only
// the tool links touchstone::target; the conformance library stays
// independent of the target it judges.
//
// The target runs in a child of the runner forked at start-up, before any
// thread exists, from the same executable (no exec): the case processes the
// runner forks later inherit none of its sockets, threads or locks and only
// connect to the port, and a target that crashes ends its own process, which
// the runner reports as a target that stopped answering (with the reports
// still written) instead of taking the run down with it. The child dies with
// the runner (PR_SET_PDEATHSIG) and is stopped with SIGTERM at the end.
#pragma once

#include <memory>
#include <string>

#include "touchstone/conformance/target.hpp"
#include "touchstone/target/mutant.hpp"

namespace touchstone::conformance {

class embedded_target {
 public:
  virtual ~embedded_target() = default;
  virtual const target_config& target() const = 0;
  virtual std::string url() const = 0;  // iscsi://127.0.0.1:PORT/IQN/0
};

// nullptr and why when the target cannot be started. `mutants`: the
// deliberate departures both servers make (--mutant, mutant.hpp).
std::unique_ptr<embedded_target> start_embedded_target(std::string& why, const target::mutant_set& mutants = {});

}  // namespace touchstone::conformance
