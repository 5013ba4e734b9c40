// touchstone-conform --record DIR: each case's first connection, initiator
// side, as a session program of the network fuzzer (touchstone::fuzz) in
// DIR/<case id>.json.
#pragma once

#include <functional>
#include <string>

#include "touchstone/conformance/runner.hpp"

namespace touchstone::conformance {

// The run_options::record hook that writes into dir (which must exist).
std::function<std::string(const registered_case&, const case_context&)> program_recorder(std::string dir);

}  // namespace touchstone::conformance
