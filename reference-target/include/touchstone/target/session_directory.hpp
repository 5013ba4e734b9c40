// The live sessions of one target node, for the events that end sessions
// other than the one they arrive on (TARGET COLD RESET now; session
// reinstatement next). A connection enrolls when its session enters the Full
// Feature Phase and polls its flag on every input (on_pdu, on_tick).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

namespace touchstone::target {

struct target_node;

class session_directory {
 public:
  using flag = std::shared_ptr<std::atomic<bool>>;

  // The directory of `node`. Kept beside the node until target_node (in
  // config.hpp, owned with the config work) grows a member for it.
  static session_directory& of(const target_node& node);

  flag enroll(std::uint16_t tsih);
  void leave(std::uint16_t tsih);
  // Asks every other session to terminate; returns how many were asked.
  std::size_t terminate_all_except(std::uint16_t tsih);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::uint16_t, flag> sessions_;
};

}  // namespace touchstone::target
