// Unit attention queues per I_T nexus, bounded (see unit_attention.hpp).
#include "touchstone/scsi/unit_attention.hpp"

#include <algorithm>
#include <array>

namespace touchstone::scsi {
namespace {

constexpr std::array<asc_ascq, 14> ua_codes = {
    asc::power_on_reset_or_bus_device_reset,
    asc::power_on_occurred,
    asc::bus_device_reset_function_occurred,
    asc::i_t_nexus_loss_occurred,
    asc::commands_cleared_by_another_initiator,
    asc::commands_cleared_by_device_server,
    asc::commands_cleared_by_iscsi_protocol_event,
    asc::mode_parameters_changed,
    asc::reservations_preempted,
    asc::reservations_released,
    asc::registrations_preempted,
    asc::capacity_data_has_changed,
    asc::inquiry_data_has_changed,
    asc::reported_luns_data_has_changed,
};

// The condition reported next; `q` is not empty.
unit_attention next_of(const std::vector<unit_attention>& q) {
  //= sam5#5.14
  //# the reset conditions are reported first, by precedence; the others in the
  //# order they were established
  auto reset = std::min_element(q.begin(), q.end());
  return is_reset_class(*reset) ? *reset : q.front();
}

// False when `ua` was pending already.
bool add(std::vector<unit_attention>& q, unit_attention ua) {
  if (std::find(q.begin(), q.end(), ua) != q.end()) return false;
  //= sam5#5.14
  //# a reset condition supersedes the conditions it makes stale: they are cleared
  if (is_reset_class(ua)) {
    std::erase_if(q, [ua](unit_attention o) { return !is_reset_class(o) || o > ua; });
  }
  q.push_back(ua);
  return true;
}

}  // namespace

asc_ascq asc_of(unit_attention ua) { return ua_codes[static_cast<std::size_t>(ua)]; }

bool is_reset_class(unit_attention ua) { return ua <= unit_attention::it_nexus_loss; }

unit_attention_queue::unit_attention_queue(bool power_on_for_new_nexus, std::size_t max_nexuses)
    : power_on_for_new_nexus_(power_on_for_new_nexus), max_nexuses_(std::max<std::size_t>(max_nexuses, 1)) {}

void unit_attention_queue::touch(const it_nexus& it) {
  bool created = false;
  entry& e = enter(it, &created);
  if (created && power_on_for_new_nexus_) add(e.queue, unit_attention::power_on_reset);
  used(e);
}

void unit_attention_queue::establish(const it_nexus& it, unit_attention ua) {
  entry& e = enter(it, nullptr);
  if (add(e.queue, ua)) used(e);
}

void unit_attention_queue::establish_all(unit_attention ua, const it_nexus* except) {
  for (auto& [it, e] : entries_) {
    if ((except == nullptr || it != *except) && add(e.queue, ua)) used(e);
  }
}

std::optional<unit_attention> unit_attention_queue::peek(const it_nexus& it) const {
  auto found = entries_.find(it);
  if (found == entries_.end() || found->second.queue.empty()) return std::nullopt;
  return next_of(found->second.queue);
}

std::optional<unit_attention> unit_attention_queue::pop(const it_nexus& it) {
  auto ua = peek(it);
  if (ua) clear(it, *ua);
  return ua;
}

void unit_attention_queue::clear(const it_nexus& it, unit_attention ua) {
  auto found = entries_.find(it);
  if (found == entries_.end()) return;
  if (std::erase(found->second.queue, ua) != 0) used(found->second);
}

std::vector<unit_attention> unit_attention_queue::pending(const it_nexus& it) const {
  std::vector<unit_attention> out;
  auto found = entries_.find(it);
  if (found == entries_.end()) return out;
  auto q = found->second.queue;
  while (!q.empty()) {
    out.push_back(next_of(q));
    std::erase(q, out.back());
  }
  return out;
}

void unit_attention_queue::set_max_nexuses(std::size_t n) {
  max_nexuses_ = std::max<std::size_t>(n, 1);
  while (entries_.size() > max_nexuses_) forget_one();
}

unit_attention_queue::entry& unit_attention_queue::enter(const it_nexus& it, bool* created) {
  if (auto found = entries_.find(it); found != entries_.end()) return found->second;
  // Room first, so the nexus being entered is never the one forgotten.
  while (entries_.size() >= max_nexuses_) forget_one();
  const auto pos = entries_.try_emplace(it).first;
  entry& e = pos->second;
  e.where = standing_of(e.queue);
  e.pos = lru_[static_cast<std::size_t>(e.where)].insert(lru_[static_cast<std::size_t>(e.where)].end(),
                                                           &pos->first);
  if (created != nullptr) *created = true;
  return e;
}

void unit_attention_queue::used(entry& e) {
  const auto from = static_cast<std::size_t>(e.where);
  e.where = standing_of(e.queue);
  auto& to = lru_[static_cast<std::size_t>(e.where)];
  to.splice(to.end(), lru_[from], e.pos);
}

unit_attention_queue::standing unit_attention_queue::standing_of(
    const std::vector<unit_attention>& q) const {
  if (!power_on_for_new_nexus_) return q.empty() ? standing::as_new : standing::pending;
  if (q.empty()) return standing::told;
  return std::all_of(q.begin(), q.end(), is_reset_class) ? standing::as_new : standing::pending;
}

void unit_attention_queue::forget_one() {
  for (auto& list : lru_) {
    if (list.empty()) continue;
    const auto oldest = entries_.find(*list.front());
    list.pop_front();
    entries_.erase(oldest);
    ++forgotten_;
    return;
  }
}

}  // namespace touchstone::scsi
