// The recovery probe: before cases that need ErrorRecoveryLevel 1 or 2 or
// several connections per session (need::erl1, erl2, mcs), the runner logs
// in once offering ErrorRecoveryLevel=2 and MaxConnections=4 and keeps what
// the target negotiated (target_config::recovery). A case whose need it
// does not meet is skipped with what was negotiated; the cases themselves
// still negotiate for their own sessions and judge what they get.
#pragma once

#include "touchstone/conformance/session.hpp"
#include "touchstone/conformance/target.hpp"

namespace touchstone::conformance {

// Never fails: a login that does not succeed gives probed = false and the
// problem in words (the needs then skip with it).
recovery_capability probe_recovery(const target_config& target, const timing& times);

}  // namespace touchstone::conformance
