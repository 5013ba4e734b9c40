// The asynchronous path of blocking stores (async_store.hpp), on both
// backends: io_uring and the thread pool. Reads see earlier completed
// writes, syncs complete, many operations may be in flight at once, errors
// arrive as store_error values, and `done` never runs inside the call.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "temp_file.hpp"
#include "touchstone/scsi/async_store.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

using namespace std::chrono_literals;

// Waits for one callback (bounded: a lost completion fails, never hangs).
struct completion {
  std::promise<store_result> promise;
  std::future<store_result> future = promise.get_future();
  std::thread::id caller = std::this_thread::get_id();
  bool on_caller_thread = false;

  store_done callback() {
    return [this](store_result r) {
      on_caller_thread = std::this_thread::get_id() == caller;
      promise.set_value(r);
    };
  }
  store_result wait() {
    REQUIRE(future.wait_for(20s) == std::future_status::ready);
    CHECK_FALSE(on_caller_thread);
    return future.get();
  }
};

std::unique_ptr<block_store> open_store(const temp_file& f, async_backend backend,
                                        bool read_only = false,
                                        std::chrono::microseconds inline_limit = 2ms) {
  auto s = open_file_store({.path = f.path, .block_size = 4096, .block_count = 256,
                            .read_only = read_only, .backend = backend, .threads = 4,
                            .inline_write_limit = inline_limit});
  REQUIRE(s);
  REQUIRE((*s)->async() != nullptr);
  return std::move(*s);
}

byte_buffer block_of(std::uint32_t n, std::uint8_t seed) {
  byte_buffer b(n * 4096);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(seed + i / 4096 + i % 251);
  return b;
}

// Whether the file system under `f` takes buffered RWF_NOWAIT writes (ext4
// on Linux 6.18 answers EOPNOTSUPP; XFS takes them).
bool takes_nowait_writes(const temp_file& f) {
  const int fd = ::open(f.path.c_str(), O_WRONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  std::uint8_t byte = 0;
  iovec v{&byte, 1};
  const bool takes = ::pwritev2(fd, &v, 1, 0, RWF_NOWAIT) == 1 || errno != EOPNOTSUPP;
  ::close(fd);
  return takes;
}

}  // namespace

TEST_CASE("async store: the backend asked for, or the thread pool where io_uring is refused",
          "[scsi][store][async]") {
  temp_file f;
  CHECK(open_store(f, async_backend::thread_pool)->async()->backend() == async_backend::thread_pool);
  const auto uring = open_store(f, async_backend::io_uring)->async()->backend();
  if (uring != async_backend::io_uring) WARN("io_uring refused here: the thread pool serves");
  CHECK(parse_async_backend("thread-pool") == async_backend::thread_pool);
  CHECK(parse_async_backend("io_uring") == async_backend::io_uring);
  CHECK_FALSE(parse_async_backend("uring"));
  // Memory and null stores have no asynchronous path: they stay inline.
  CHECK(make_memory_store(512, 8)->async() == nullptr);
  CHECK(make_null_store(512, 8)->async() == nullptr);
  auto over_memory = fault_store(make_memory_store(512, 8));
  CHECK(over_memory.async() == nullptr);
  auto over_file = fault_store(open_store(f, async_backend::io_uring));
  REQUIRE(over_file.async() != nullptr);
  CHECK(over_file.async()->backend() == async_backend::thread_pool);
}

TEST_CASE("async store: read after write, sync, try_read, on both backends", "[scsi][store][async]") {
  for (auto backend : {async_backend::io_uring, async_backend::thread_pool}) {
    CAPTURE(name(backend));
    temp_file f;
    auto store = open_store(f, backend);
    auto& io = *store->async();
    const auto data = block_of(3, 1);
    completion w;
    io.write(10, data, w.callback());
    REQUIRE(w.wait());
    completion s;
    io.sync(s.callback());
    REQUIRE(s.wait());
    byte_buffer out(3 * 4096);
    completion r;
    io.read(10, out, r.callback());
    REQUIRE(r.wait());
    CHECK(out == data);
    // What the page cache holds is read without blocking.
    byte_buffer again(3 * 4096);
    auto now = io.try_read(10, again);
    if (now) {
      REQUIRE(*now);
      CHECK(again == data);
    }
    // The synchronous calls see the same medium.
    byte_buffer sync_out(3 * 4096);
    REQUIRE(store->read(10, sync_out));
    CHECK(sync_out == data);
  }
}

TEST_CASE("async store: try_write writes on the caller's thread until a write is slow",
          "[scsi][store][async]") {
  for (auto backend : {async_backend::io_uring, async_backend::thread_pool}) {
    CAPTURE(name(backend));
    temp_file f;
    const auto data = block_of(2, 7);
    {
      auto store = open_store(f, backend);
      auto now = store->async()->try_write(4, data);
      REQUIRE(now);
      REQUIRE(*now);
      byte_buffer out(2 * 4096);
      REQUIRE(store->read(4, out));
      CHECK(out == data);
      // Checked like write(): past the end is refused here, not written.
      auto past = store->async()->try_write(255, data);
      REQUIRE(past);
      CHECK_FALSE(*past);
    }
    // Limit 0: never inline.
    CHECK_FALSE(open_store(f, backend, false, 0us)->async()->try_write(4, data));
    // A limit no write meets: the first write runs (and is timed), the next
    // go to the store threads for the cool-down.
    auto slow = open_store(f, backend, false, 1us);
    auto first = slow->async()->try_write(6, data);
    REQUIRE(first);
    CHECK(*first);
    if (takes_nowait_writes(f))
      WARN("this file system takes RWF_NOWAIT writes: nothing was timed");
    else
      CHECK_FALSE(slow->async()->try_write(6, data));
  }
  // A fault store has no file: its writes always go to store threads.
  temp_file g;
  fault_store faults(open_store(g, async_backend::io_uring));
  CHECK_FALSE(faults.async()->try_write(0, block_of(1, 1)));
}

TEST_CASE("async store: many operations in flight at once all complete", "[scsi][store][async]") {
  for (auto backend : {async_backend::io_uring, async_backend::thread_pool}) {
    CAPTURE(name(backend));
    temp_file f;
    auto store = open_store(f, backend);
    auto& io = *store->async();
    std::vector<byte_buffer> data;
    std::vector<std::unique_ptr<completion>> writes;
    for (std::uint8_t i = 0; i < 64; ++i) {
      data.push_back(block_of(1, i));
      writes.push_back(std::make_unique<completion>());
      io.write(i * 2, data.back(), writes.back()->callback());
      if (i % 16 == 0) {
        writes.push_back(std::make_unique<completion>());
        io.sync(writes.back()->callback());
      }
    }
    for (auto& w : writes) REQUIRE(w->wait());
    std::vector<byte_buffer> out(64, byte_buffer(4096));
    std::vector<std::unique_ptr<completion>> reads;
    for (std::size_t i = 0; i < 64; ++i) {
      reads.push_back(std::make_unique<completion>());
      io.read(i * 2, out[i], reads.back()->callback());
    }
    for (std::size_t i = 0; i < 64; ++i) {
      REQUIRE(reads[i]->wait());
      CHECK(out[i] == data[i]);
    }
  }
}

TEST_CASE("async store: errors arrive as store_error through the callback", "[scsi][store][async]") {
  for (auto backend : {async_backend::io_uring, async_backend::thread_pool}) {
    CAPTURE(name(backend));
    temp_file f;
    { auto create = open_store(f, backend); }
    auto store = open_store(f, backend, /*read_only=*/true);
    auto& io = *store->async();
    byte_buffer out(2 * 4096);
    completion past_end;
    io.read(255, out, past_end.callback());
    auto r = past_end.wait();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == store_errc::out_of_range);
    completion odd;
    io.write(0, byte_buffer(100), odd.callback());
    r = odd.wait();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == store_errc::bad_length);
    // A read-only file refuses the write: EBADF from the OS.
    completion refused;
    io.write(4, block_of(1, 3), refused.callback());
    r = refused.wait();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == store_errc::io_error);
    CHECK(r.error().os_error == EBADF);
  }
}

TEST_CASE("async store: a fault store over a file fails and delays on store threads",
          "[scsi][store][async]") {
  temp_file f;
  fault_store faults(open_store(f, async_backend::io_uring));
  faults.fail_range(20, 2, io_direction::write);
  auto& io = *faults.async();
  completion bad;
  io.write(19, block_of(2, 5), bad.callback());
  auto r = bad.wait();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == store_errc::medium_error);
  CHECK(r.error().lba == 20);
  faults.clear();
  faults.set_latency(50ms);
  const auto before = faults.started();
  completion slow;
  io.sync(slow.callback());
  // The call returned at once; the sync sleeps on a store thread.
  REQUIRE(slow.wait());
  CHECK(faults.started() == before + 1);
}
