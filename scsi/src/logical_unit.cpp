// Logical unit state shared by every command family.
#include "touchstone/scsi/logical_unit.hpp"

#include "io_runner.hpp"

namespace touchstone::scsi {

logical_unit::logical_unit(lu_config config, std::shared_ptr<block_store> store)
    : config_(std::move(config)),
      store_(std::move(store)),
      uas_(true, config_.max_tracked_nexuses),
      io_queue_(std::make_unique<lu_io_queue>()) {
  pages_.set_wce(config_.write_cache);
}

logical_unit::~logical_unit() { io_queue_->wait_idle(); }

void logical_unit::establish_ua(const it_nexus& it, unit_attention ua) {
  std::lock_guard lock(ua_mutex_);
  uas_.establish(it, ua);
}

void logical_unit::establish_ua_all(unit_attention ua, const it_nexus* except) {
  std::lock_guard lock(ua_mutex_);
  uas_.establish_all(ua, except);
}

std::optional<unit_attention> logical_unit::peek_ua(const it_nexus& it) {
  std::lock_guard lock(ua_mutex_);
  return uas_.peek(it);
}

std::optional<unit_attention> logical_unit::pop_ua(const it_nexus& it) {
  std::lock_guard lock(ua_mutex_);
  return uas_.pop(it);
}

void logical_unit::clear_ua(const it_nexus& it, unit_attention ua) {
  std::lock_guard lock(ua_mutex_);
  uas_.clear(it, ua);
}

std::vector<unit_attention> logical_unit::pending_uas(const it_nexus& it) {
  std::lock_guard lock(ua_mutex_);
  return uas_.pending(it);
}

void logical_unit::touch(const it_nexus& it) {
  std::lock_guard lock(ua_mutex_);
  uas_.touch(it);
}

std::size_t logical_unit::tracked_nexuses() const {
  std::lock_guard lock(ua_mutex_);
  return uas_.tracked_nexuses();
}

std::uint64_t logical_unit::forgotten_nexuses() const {
  std::lock_guard lock(ua_mutex_);
  return uas_.forgotten();
}

void logical_unit::set_max_tracked_nexuses(std::size_t n) {
  std::lock_guard lock(ua_mutex_);
  uas_.set_max_nexuses(n);
}

access_decision logical_unit::check_access(const command_context& ctx) const {
  for (const auto& [key, ext] : extensions_) {
    if (ext->check_access(ctx) == access_decision::reservation_conflict)
      return access_decision::reservation_conflict;
  }
  return access_decision::allowed;
}

void logical_unit::notify(const lu_event& ev) {
  for (auto& [key, ext] : extensions_) ext->on_event(*this, ev);
}

}  // namespace touchstone::scsi
