// The embedded default: with no URL, touchstone-conform is meant to start the
// reference target in-process on an ephemeral port with an in-memory LUN and
// run against it. The reference target is not built yet, so this hook says
// so; when it exists, start_embedded_target() starts it and fills `target`.
#pragma once

#include <string>

#include "touchstone/conformance/target.hpp"

namespace touchstone::conformance {

class embedded_target {
 public:
  virtual ~embedded_target() = default;
  virtual const target_config& target() const = 0;
};

// nullptr and why when no embedded target can be started.
std::unique_ptr<embedded_target> start_embedded_target(std::string& why);

}  // namespace touchstone::conformance
