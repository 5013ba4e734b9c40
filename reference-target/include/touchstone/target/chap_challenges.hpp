// The CHAP challenges this target issued recently, shared by every connection
// of an instance: a challenge an initiator sends back to the target, on this
// connection or another one, is a reflection attack (RFC 7143 section 9.2.1).
// Bounded: the oldest challenge is forgotten first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace touchstone::target {

class chap_challenge_log {
 public:
  static constexpr std::size_t default_capacity = 4096;
  explicit chap_challenge_log(std::size_t capacity = default_capacity) : capacity_(capacity) {}

  void remember(const std::vector<std::uint8_t>& challenge) {
    std::lock_guard lock(mutex_);
    recent_.push_back(challenge);
    while (recent_.size() > capacity_) recent_.pop_front();
  }
  bool issued(const std::vector<std::uint8_t>& challenge) const {
    std::lock_guard lock(mutex_);
    for (const auto& c : recent_)
      if (c == challenge) return true;
    return false;
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return recent_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::deque<std::vector<std::uint8_t>> recent_;
};

}  // namespace touchstone::target
