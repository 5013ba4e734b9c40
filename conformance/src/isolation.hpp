// Running one function in a child process with a hard deadline: the child's
// verdict comes back through a pipe; a child that outlives the deadline is
// killed, and one that dies is reported. Internal to the runner.
#pragma once

#include <functional>

#include "touchstone/conformance/runner.hpp"

namespace touchstone::conformance {

case_result run_isolated(const std::function<case_result()>& body, milliseconds hard_limit);

}  // namespace touchstone::conformance
