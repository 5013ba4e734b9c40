// A wrapper that records the operations reaching a store, for durability tests.
#include "touchstone/scsi/block_store.hpp"

namespace touchstone::scsi {

recording_store::recording_store(std::shared_ptr<block_store> inner) : inner_(std::move(inner)) {}

void recording_store::record(op o, std::uint64_t lba, std::uint64_t count) {
  std::lock_guard lock(mutex_);
  events_.push_back(event{o, lba, count});
  if (o == op::write || o == op::unmap) ++unsynced_;
  if (o == op::sync) {
    ++syncs_;
    unsynced_ = 0;
  }
}

std::vector<recording_store::event> recording_store::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::uint64_t recording_store::syncs() const {
  std::lock_guard lock(mutex_);
  return syncs_;
}

std::uint64_t recording_store::unsynced_writes() const {
  std::lock_guard lock(mutex_);
  return unsynced_;
}

void recording_store::reset() {
  std::lock_guard lock(mutex_);
  events_.clear();
  syncs_ = 0;
  unsynced_ = 0;
}

std::uint32_t recording_store::block_size() const { return inner_->block_size(); }
std::uint64_t recording_store::block_count() const { return inner_->block_count(); }

store_result recording_store::read(std::uint64_t lba, std::span<std::uint8_t> out) {
  auto r = inner_->read(lba, out);
  if (r) record(op::read, lba, out.size() / block_size());
  return r;
}

store_result recording_store::write(std::uint64_t lba, std::span<const std::uint8_t> in) {
  auto r = inner_->write(lba, in);
  if (r) record(op::write, lba, in.size() / block_size());
  return r;
}

store_result recording_store::sync() {
  auto r = inner_->sync();
  if (r) record(op::sync, 0, 0);
  return r;
}

store_result recording_store::unmap(std::uint64_t lba, std::uint64_t count) {
  auto r = inner_->unmap(lba, count);
  if (r) record(op::unmap, lba, count);
  return r;
}

result<block_extent, store_error> recording_store::block_status(std::uint64_t lba) {
  return inner_->block_status(lba);
}

bool recording_store::thin_provisioned() const { return inner_->thin_provisioned(); }

}  // namespace touchstone::scsi
