// The embedded reference target (no URL) started again, so a crash or hang
// finding against it can be minimised: the old child is stopped (SIGTERM,
// then SIGKILL after 5 s, as embedded_target's destructor does), a new one
// forked, and `target` pointed at it (a new port and new CHAP secrets).
// It forks: call it only while the process runs one thread, as
// start_embedded_target says.
#pragma once

#include <functional>
#include <memory>
#include <ostream>

#include "../../conformance/tools/embedded_target.hpp"
#include "touchstone/fuzz/net/executor.hpp"

namespace touchstone::fuzz::tool {

// The restart for reproducer and minimise_finding; false when the new
// target did not start (why goes to `log`).
std::function<bool()> embedded_restart(std::unique_ptr<conformance::embedded_target>& embedded,
                                       net::run_target& target, std::ostream& log);

}  // namespace touchstone::fuzz::tool
