// A fault-injecting wrapper for tests: fail the nth I/O or an LBA range
// with a chosen error (medium errors carry the failing LBA), add latency.
#include <algorithm>
#include <optional>
#include <thread>

#include "touchstone/scsi/async_store.hpp"

namespace touchstone::scsi {

fault_store::fault_store(std::shared_ptr<block_store> inner) : inner_(std::move(inner)) {}

fault_store::~fault_store() { async_.reset(); }  // its threads call this store

async_store* fault_store::async() {
  if (inner_->async() == nullptr) return nullptr;
  std::call_once(async_once_, [this] { async_ = make_thread_pool_async_store(*this, default_store_threads); });
  return async_.get();
}

std::uint64_t fault_store::started() const {
  std::lock_guard lock(mutex_);
  return started_;
}

void fault_store::fail_nth_io(std::uint64_t n, store_errc code) {
  std::lock_guard lock(mutex_);
  countdown_ = n;
  nth_code_ = code;
}

void fault_store::fail_range(std::uint64_t lba, std::uint64_t count, io_direction direction,
                             store_errc code) {
  std::lock_guard lock(mutex_);
  ranges_.push_back(range_fault{lba, count, direction, code});
}

void fault_store::fail_sync(bool on) {
  std::lock_guard lock(mutex_);
  fail_sync_ = on;
}

void fault_store::set_latency(std::chrono::microseconds latency) {
  std::lock_guard lock(mutex_);
  latency_ = latency;
}

void fault_store::clear() {
  std::lock_guard lock(mutex_);
  countdown_ = 0;
  ranges_.clear();
  fail_sync_ = false;
  latency_ = std::chrono::microseconds{0};
}

store_result fault_store::check(std::uint64_t lba, std::uint64_t blocks, io_direction d) {
  std::chrono::microseconds latency{0};
  std::optional<store_error> failure;
  {
    std::lock_guard lock(mutex_);
    latency = latency_;
    ++started_;
    if (countdown_ > 0 && --countdown_ == 0) failure = store_error{nth_code_, lba, 0};
    for (const auto& r : ranges_) {
      if (failure || r.direction != d) continue;
      const std::uint64_t first = std::max(lba, r.lba);
      if (first < lba + blocks && first < r.lba + r.count) failure = store_error{r.code, first, 0};
    }
  }
  if (latency.count() > 0) std::this_thread::sleep_for(latency);
  if (failure) return fail(*failure);
  return ok;
}

std::uint32_t fault_store::block_size() const { return inner_->block_size(); }
std::uint64_t fault_store::block_count() const { return inner_->block_count(); }

store_result fault_store::read(std::uint64_t lba, std::span<std::uint8_t> out) {
  if (auto r = check(lba, out.size() / block_size(), io_direction::read); !r) return r;
  return inner_->read(lba, out);
}

store_result fault_store::write(std::uint64_t lba, std::span<const std::uint8_t> in) {
  if (auto r = check(lba, in.size() / block_size(), io_direction::write); !r) return r;
  return inner_->write(lba, in);
}

store_result fault_store::sync() {
  std::chrono::microseconds latency{0};
  bool failed = false;
  {
    std::lock_guard lock(mutex_);
    ++started_;
    latency = latency_;
    failed = fail_sync_;
  }
  if (latency.count() > 0) std::this_thread::sleep_for(latency);
  if (failed) return fail(store_error{store_errc::io_error, 0, 0});
  return inner_->sync();
}

store_result fault_store::unmap(std::uint64_t lba, std::uint64_t count) {
  return inner_->unmap(lba, count);
}

result<block_extent, store_error> fault_store::block_status(std::uint64_t lba) {
  return inner_->block_status(lba);
}

bool fault_store::thin_provisioned() const { return inner_->thin_provisioned(); }

}  // namespace touchstone::scsi
