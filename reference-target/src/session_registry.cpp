// TSIH allocation for the sessions of one target node, and the target
// catalog SendTargets reads.
#include <algorithm>

#include "touchstone/target/config.hpp"

namespace touchstone::target {

//= rfc7143#section-11.13.3
//# For a new session, the target MUST generate a non-zero TSIH
std::uint16_t session_registry::allocate() {
  std::lock_guard lock(mutex_);
  for (std::uint32_t tries = 0; tries < 0x10000; ++tries) {
    const std::uint16_t candidate = next_++;
    if (next_ == 0) next_ = 1;
    if (candidate != 0 && live_.insert(candidate).second) return candidate;
  }
  return 0;  // every TSIH in use: the caller answers "out of resources"
}

void session_registry::release(std::uint16_t tsih) {
  std::lock_guard lock(mutex_);
  live_.erase(tsih);
}

std::size_t session_registry::count() const {
  std::lock_guard lock(mutex_);
  return live_.size();
}

bool target_listing::allows(std::string_view initiator) const {
  return allowed_initiators.empty() ||
         std::find(allowed_initiators.begin(), allowed_initiators.end(), initiator) !=
             allowed_initiators.end();
}

void target_catalog::set(std::vector<target_listing> targets) {
  std::lock_guard lock(mutex_);
  targets_ = std::move(targets);
}

std::vector<target_listing> target_catalog::snapshot() const {
  std::lock_guard lock(mutex_);
  return targets_;
}

bool session_registry::exists(std::uint16_t tsih) const {
  std::lock_guard lock(mutex_);
  return live_.contains(tsih);
}

}  // namespace touchstone::target
