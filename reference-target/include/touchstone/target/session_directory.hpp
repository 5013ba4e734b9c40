// The live sessions of one target node, for the events that end sessions
// other than the one they arrive on: TARGET COLD RESET and session
// reinstatement (section 6.3.5). A connection enrolls when its session enters
// the Full Feature Phase and polls its flag on every input (on_pdu, on_tick).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace touchstone::target {

struct target_node;

// Why another session asked this one to end.
enum class termination : std::uint8_t { none, target_reset, reinstated };

class session_directory {
 public:
  using flag = std::shared_ptr<std::atomic<termination>>;

  // The directory of `node`. Kept beside the node until target_node (in
  // config.hpp, owned with the config work) grows a member for it.
  static session_directory& of(const target_node& node);

  // `key` names the session as section 6.3.5 does: InitiatorName, ISID,
  // TargetName and portal group tag (see session_key()).
  flag enroll(std::uint16_t tsih, std::string key);
  void leave(std::uint16_t tsih);
  // Asks every other session to terminate; returns how many were asked.
  std::size_t terminate_all_except(std::uint16_t tsih);
  // Asks the live session with `key` (other than `tsih`) to end as reinstated.
  bool reinstate(const std::string& key, std::uint16_t tsih);
  std::size_t size() const;

 private:
  struct entry {
    std::string key;
    flag state;
  };
  mutable std::mutex mutex_;
  std::map<std::uint16_t, entry> sessions_;
};

std::string session_key(std::string_view initiator, std::uint64_t isid, std::string_view target,
                        std::uint16_t tpgt);

}  // namespace touchstone::target
