// The live sessions of a node (see session_directory.hpp).
#include "touchstone/target/session_directory.hpp"

#include <algorithm>
#include <utility>

#include <spdlog/fmt/fmt.h>

namespace touchstone::target {

//= rfc7143#section-6.3.5
//# Session reinstatement is the process of an initiator logging in with an
//# ISID that is possibly active from the target's perspective for that initiator
std::string session_key(std::string_view initiator, std::uint64_t isid, std::string_view target,
                        std::uint16_t tpgt) {
  return fmt::format("{},i,0x{:012x},{},t,0x{:04x}", initiator, isid, target, tpgt);
}

//= rfc7143#section-7.4.2.1
//# UNNAMED ISID RULE: Targets MUST enforce the uniqueness of the
//# following 4-tuple for Unnamed Discovery sessions: <InitiatorName,
//# ISID, NULL, TargetAddress>.
std::string unnamed_discovery_key(std::string_view initiator, std::uint64_t isid, std::string_view portal) {
  return fmt::format("{},i,0x{:012x},NULL,{}", initiator, isid, portal);
}

void abort_notice::post(task_abort what) {
  std::lock_guard lock(mutex_);
  if (std::find(aborts_.begin(), aborts_.end(), what) == aborts_.end()) aborts_.push_back(what);
  pending_.store(true, std::memory_order_release);
}

std::vector<task_abort> abort_notice::take() {
  if (!pending_.load(std::memory_order_acquire)) return {};
  std::lock_guard lock(mutex_);
  pending_.store(false, std::memory_order_relaxed);
  return std::exchange(aborts_, {});
}

session_directory::flag session_directory::enroll(std::uint16_t tsih, std::string key,
                                                  live_session session, waker wake) {
  std::lock_guard lock(mutex_);
  auto f = std::make_shared<std::atomic<termination>>(termination::none);
  sessions_[tsih] = entry{std::move(key), f, std::move(session), std::move(wake)};
  return f;
}

void session_directory::end(entry& e, termination why) {
  e.state->store(why);
  if (e.wake) e.wake();
}

void session_directory::leave(std::uint16_t tsih, const flag& mine) {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(tsih);
  if (it != sessions_.end() && it->second.state == mine) sessions_.erase(it);
}

std::optional<live_session> session_directory::find(std::uint16_t tsih) const {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(tsih);
  if (it == sessions_.end()) return std::nullopt;
  return it->second.session;
}

std::size_t session_directory::terminate_all_except(std::uint16_t tsih) {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (auto& [id, e] : sessions_) {
    if (id == tsih) continue;
    end(e, termination::target_reset);
    ++n;
  }
  return n;
}

std::optional<pdu::session_kind> session_directory::reinstate(const std::string& key, std::uint16_t tsih) {
  std::lock_guard lock(mutex_);
  std::optional<pdu::session_kind> found;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->first != tsih && it->second.key == key) {
      end(it->second, termination::reinstated);
      found = it->second.session.params.session_type;
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  return found;
}

session_directory::flag session_directory::replace_connection(std::uint16_t tsih,
                                                              std::uint16_t cid, waker wake) {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(tsih);
  if (it == sessions_.end()) return nullptr;
  end(it->second, termination::connection_reinstated);
  it->second.state = std::make_shared<std::atomic<termination>>(termination::none);
  it->second.wake = std::move(wake);
  it->second.aborts = std::make_shared<abort_notice>();
  it->second.session.cid = cid;
  return it->second.state;
}

std::size_t session_directory::abort_tasks_except(std::uint16_t tsih, task_abort what) {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (auto& [id, e] : sessions_) {
    if (id == tsih || e.session.params.session_type != pdu::session_kind::normal) continue;
    e.aborts->post(what);
    // The waker posts to the connection's own thread: nothing here re-enters.
    if (e.wake) e.wake();
    ++n;
  }
  return n;
}

std::shared_ptr<abort_notice> session_directory::notice(std::uint16_t tsih) const {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(tsih);
  return it == sessions_.end() ? nullptr : it->second.aborts;
}

std::size_t session_directory::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::size_t session_directory::others(const std::string& key) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [id, e] : sessions_)
    if (e.key != key && e.session.params.session_type == pdu::session_kind::normal) ++n;
  return n;
}

}  // namespace touchstone::target
