// Helpers for device_server::submit on blocking stores: a store whose
// writes wait at a gate the test opens (so I/O can be held in flight and the
// order things reach the medium observed), and a submitted command that
// owns its buffers and collects its one answer. Every wait is bounded.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"
#include "touchstone/scsi/async_store.hpp"

namespace touchstone::scsi::test {

using namespace std::chrono_literals;

// A memory store that blocks like a file: async() runs its calls on store
// threads; writes wait while the gate is closed. events() lists what
// reached it, in order: "w<lba>" a write entered, "W<lba>" it finished,
// "r<lba>" a read, "s" a sync.
class gate_store final : public block_store {
 public:
  explicit gate_store(std::uint64_t blocks) : inner_(make_memory_store(512, blocks)) {}
  ~gate_store() override {
    open_gate();
    async_.reset();
  }

  void close_gate() {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  void open_gate() {
    {
      std::lock_guard lock(mutex_);
      closed_ = false;
    }
    gate_.notify_all();
  }
  void fail_writes(bool on) {
    std::lock_guard lock(mutex_);
    fail_writes_ = on;
  }
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::size_t count(const std::string& event) const {
    auto all = events();
    return static_cast<std::size_t>(std::count(all.begin(), all.end(), event));
  }
  // Waits (bounded) until `event` has happened `n` times.
  bool wait_for(const std::string& event, std::size_t n = 1) const {
    for (int i = 0; i < 2000; ++i) {
      if (count(event) >= n) return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }

  std::uint32_t block_size() const override { return inner_->block_size(); }
  std::uint64_t block_count() const override { return inner_->block_count(); }
  store_result read(std::uint64_t lba, std::span<std::uint8_t> out) override {
    note("r" + std::to_string(lba));
    return inner_->read(lba, out);
  }
  store_result write(std::uint64_t lba, std::span<const std::uint8_t> in) override {
    note("w" + std::to_string(lba));
    bool failing = false;
    {
      std::unique_lock lock(mutex_);
      gate_.wait_for(lock, 20s, [this] { return !closed_; });
      failing = fail_writes_;
    }
    auto r = failing ? store_result(fail(store_error{store_errc::medium_error, lba, 0}))
                     : inner_->write(lba, in);
    note("W" + std::to_string(lba));
    return r;
  }
  store_result sync() override {
    note("s");
    return inner_->sync();
  }
  store_result unmap(std::uint64_t lba, std::uint64_t count) override { return inner_->unmap(lba, count); }
  result<block_extent, store_error> block_status(std::uint64_t lba) override {
    return inner_->block_status(lba);
  }
  bool thin_provisioned() const override { return inner_->thin_provisioned(); }
  async_store* async() override {
    std::call_once(once_, [this] { async_ = make_thread_pool_async_store(*this, 8); });
    return async_.get();
  }

 private:
  void note(std::string e) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(e));
  }

  std::unique_ptr<block_store> inner_;
  mutable std::mutex mutex_;
  std::condition_variable gate_;
  bool closed_ = false;
  bool fail_writes_ = false;
  std::vector<std::string> events_;
  std::once_flag once_;
  std::unique_ptr<async_store> async_;
};

// One submitted command: its buffers live as long as it does; its answer is
// the one submit() returned or the one its completion delivered.
struct submitted {
  byte_buffer cdb, data;
  nexus nx;
  std::optional<response> now;
  std::promise<response> later;
  std::future<response> future = later.get_future();
  std::atomic<int> completions{0};

  bool answered() const { return now || future.wait_for(0s) == std::future_status::ready; }
  response wait() {
    if (now) return *now;
    REQUIRE(future.wait_for(20s) == std::future_status::ready);
    return future.get();
  }
};

inline std::unique_ptr<submitted> submit(fixture& f, byte_buffer cdb, byte_buffer data = {},
                                         task_attribute attribute = task_attribute::simple,
                                         const nexus* on = nullptr) {
  auto s = std::make_unique<submitted>();
  s->cdb = std::move(cdb);
  s->data = std::move(data);
  s->nx = on ? *on : f.nx;
  request r;
  r.cdb = s->cdb;
  r.data_out = s->data;
  r.attribute = attribute;
  r.tag = f.next_tag++;
  r.expected_data_in_length = 1u << 20;
  auto* raw = s.get();
  s->now = f.server.submit(s->nx, r, [raw](response answer) {
    ++raw->completions;
    raw->later.set_value(std::move(answer));
  });
  return s;
}

}  // namespace touchstone::scsi::test
