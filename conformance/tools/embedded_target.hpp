// The embedded default: with no URL, touchstone-conform starts the reference
// target in this process (a background thread, 127.0.0.1, an ephemeral port,
// two in-memory LUNs: LUN 0 of 64 MiB, writable, and LUN 1 of 16 MiB) and
// runs against it. Only the tool links touchstone::target; the conformance
// library stays independent of the target it judges.
//
// The runner forks one child per case after the target is started: the
// target keeps running in the parent's thread, the children only connect.
#pragma once

#include <memory>
#include <string>

#include "touchstone/conformance/target.hpp"

namespace touchstone::conformance {

class embedded_target {
 public:
  virtual ~embedded_target() = default;
  virtual const target_config& target() const = 0;
  virtual std::string url() const = 0;  // iscsi://127.0.0.1:PORT/IQN/0
};

// nullptr and why when the target cannot be started.
std::unique_ptr<embedded_target> start_embedded_target(std::string& why);

}  // namespace touchstone::conformance
