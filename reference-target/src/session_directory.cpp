// The live sessions of a node (see session_directory.hpp).
#include "touchstone/target/session_directory.hpp"

#include <spdlog/fmt/fmt.h>

#include "touchstone/target/config.hpp"

namespace touchstone::target {

session_directory& session_directory::of(const target_node& node) {
  static std::mutex mutex;
  static std::map<const target_node*, std::unique_ptr<session_directory>> directories;
  std::lock_guard lock(mutex);
  auto& slot = directories[&node];
  if (!slot) slot = std::make_unique<session_directory>();
  return *slot;
}

//= rfc7143#section-6.3.5
//# Session reinstatement is the process of an initiator logging in with an
//# ISID that is possibly active from the target's perspective for that initiator
std::string session_key(std::string_view initiator, std::uint64_t isid, std::string_view target,
                        std::uint16_t tpgt) {
  return fmt::format("{},i,0x{:012x},{},t,0x{:04x}", initiator, isid, target, tpgt);
}

session_directory::flag session_directory::enroll(std::uint16_t tsih, std::string key) {
  std::lock_guard lock(mutex_);
  auto f = std::make_shared<std::atomic<termination>>(termination::none);
  sessions_[tsih] = entry{std::move(key), f};
  return f;
}

void session_directory::leave(std::uint16_t tsih) {
  std::lock_guard lock(mutex_);
  sessions_.erase(tsih);
}

std::size_t session_directory::terminate_all_except(std::uint16_t tsih) {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (auto& [id, e] : sessions_) {
    if (id == tsih) continue;
    e.state->store(termination::target_reset);
    ++n;
  }
  return n;
}

bool session_directory::reinstate(const std::string& key, std::uint16_t tsih) {
  std::lock_guard lock(mutex_);
  bool found = false;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->first != tsih && it->second.key == key) {
      it->second.state->store(termination::reinstated);
      it = sessions_.erase(it);
      found = true;
    } else {
      ++it;
    }
  }
  return found;
}

std::size_t session_directory::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace touchstone::target
