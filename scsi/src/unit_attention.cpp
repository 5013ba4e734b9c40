// Unit attention queues per I_T nexus.
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

}  // namespace

asc_ascq asc_of(unit_attention ua) { return ua_codes[static_cast<std::size_t>(ua)]; }

bool is_reset_class(unit_attention ua) { return ua <= unit_attention::it_nexus_loss; }

void unit_attention_queue::touch(const it_nexus& it) {
  if (known_.insert(it).second && power_on_for_new_nexus_)
    establish(it, unit_attention::power_on_reset);
}

void unit_attention_queue::establish(const it_nexus& it, unit_attention ua) {
  known_.insert(it);
  auto& q = queued_[it];
  if (std::find(q.begin(), q.end(), ua) != q.end()) return;
  //= sam5#5.14
  //# a reset condition supersedes the conditions it makes stale: they are cleared
  if (is_reset_class(ua)) {
    std::erase_if(q, [ua](unit_attention o) { return !is_reset_class(o) || o > ua; });
  }
  q.push_back(ua);
}

void unit_attention_queue::establish_all(unit_attention ua, const it_nexus* except) {
  for (const auto& it : known_) {
    if (except == nullptr || it != *except) establish(it, ua);
  }
}

std::optional<unit_attention> unit_attention_queue::peek(const it_nexus& it) const {
  auto found = queued_.find(it);
  if (found == queued_.end() || found->second.empty()) return std::nullopt;
  const auto& q = found->second;
  //= sam5#5.14
  //# the reset conditions are reported first, by precedence; the others in the
  //# order they were established
  auto reset = std::min_element(q.begin(), q.end());
  return is_reset_class(*reset) ? *reset : q.front();
}

std::optional<unit_attention> unit_attention_queue::pop(const it_nexus& it) {
  auto ua = peek(it);
  if (ua) clear(it, *ua);
  return ua;
}

void unit_attention_queue::clear(const it_nexus& it, unit_attention ua) {
  auto found = queued_.find(it);
  if (found == queued_.end()) return;
  std::erase(found->second, ua);
}

std::vector<unit_attention> unit_attention_queue::pending(const it_nexus& it) const {
  std::vector<unit_attention> out;
  auto copy = *this;
  while (auto ua = copy.pop(it)) out.push_back(*ua);
  return out;
}

}  // namespace touchstone::scsi
