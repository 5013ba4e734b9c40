// The thread-pool backend: a blocking store's own read/write/sync on store
// threads (async_store.hpp). Where io_uring is refused, and for wrappers of
// blocking stores (fault_store over a file).
#include "file_io.hpp"
#include "inline_writes.hpp"
#include "thread_pool.hpp"
#include "touchstone/scsi/async_store.hpp"

namespace touchstone::scsi {
namespace {

class pool_async_store final : public async_store {
 public:
  pool_async_store(block_store& store, unsigned threads, inline_file file)
      : store_(store),
        nowait_fd_(file.fd),
        writes_(file.fd, store.block_size(), file.fd < 0 ? std::chrono::microseconds{0}
                                                         : file.inline_write_limit),
        pool_(threads) {}

  void read(std::uint64_t lba, std::span<std::uint8_t> out, store_done done) override {
    pool_.post([this, lba, out, done = std::move(done)] { done(store_.read(lba, out)); });
  }
  void write(std::uint64_t lba, bytes_view in, store_done done) override {
    pool_.post([this, lba, in, done = std::move(done)] { done(store_.write(lba, in)); });
  }
  void sync(store_done done) override {
    pool_.post([this, done = std::move(done)] { done(store_.sync()); });
  }
  std::optional<store_result> try_read(std::uint64_t lba, std::span<std::uint8_t> out) override {
    if (nowait_fd_ < 0) return std::nullopt;
    if (auto r = check_io(store_, lba, out.size()); !r) return r;
    return file_io::read_nowait(nowait_fd_, store_.block_size(), lba, out);
  }
  std::optional<store_result> try_write(std::uint64_t lba, bytes_view in) override {
    if (auto r = check_io(store_, lba, in.size()); !r) return r;
    return writes_.try_write(lba, in);
  }
  void run_blocking(std::function<void()> work) override { pool_.post(std::move(work)); }
  async_backend backend() const override { return async_backend::thread_pool; }

 private:
  block_store& store_;
  int nowait_fd_;
  inline_writes writes_;
  thread_pool pool_;  // last: joined before the rest goes
};

}  // namespace

std::unique_ptr<async_store> make_thread_pool_async_store(block_store& store, unsigned threads,
                                                         inline_file file) {
  return std::make_unique<pool_async_store>(store, threads, file);
}

}  // namespace touchstone::scsi
