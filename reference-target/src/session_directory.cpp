// The live sessions of a node (see session_directory.hpp).
#include "touchstone/target/session_directory.hpp"

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

session_directory::flag session_directory::enroll(std::uint16_t tsih) {
  std::lock_guard lock(mutex_);
  auto f = std::make_shared<std::atomic<bool>>(false);
  sessions_[tsih] = f;
  return f;
}

void session_directory::leave(std::uint16_t tsih) {
  std::lock_guard lock(mutex_);
  sessions_.erase(tsih);
}

std::size_t session_directory::terminate_all_except(std::uint16_t tsih) {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (auto& [id, f] : sessions_) {
    if (id == tsih) continue;
    f->store(true);
    ++n;
  }
  return n;
}

std::size_t session_directory::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace touchstone::target
