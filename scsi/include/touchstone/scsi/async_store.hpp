// The asynchronous path to a blocking store (a file): I/O started from any
// thread, finished on the store's own threads, so a caller that must not
// block (a network thread) never waits for the disk. Memory and null stores
// have none (block_store::async() is null): they are fast and run inline.
//
// Two backends: io_uring (liburing; one ring, one thread reaping its
// completions) and a thread pool doing pread/pwrite/fdatasync, used where
// io_uring is refused (EPERM/ENOSYS under some seccomp profiles and
// containers) or when asked for. Both run `done` exactly once per call, on
// one of the store's threads, never inside the call that started the I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "touchstone/scsi/block_store.hpp"

namespace touchstone::scsi {

using store_done = std::function<void(store_result)>;

std::string_view name(async_backend b);
// "io_uring" / "thread-pool" / "auto"; nullopt for anything else.
std::optional<async_backend> parse_async_backend(std::string_view text);
// `requested`, unless it is automatic and TOUCHSTONE_IO_BACKEND names another.
async_backend effective_backend(async_backend requested);

class async_store {
 public:
  virtual ~async_store() = default;
  // The buffers stay the caller's and must live until `done` has run.
  virtual void read(std::uint64_t lba, std::span<std::uint8_t> out, store_done done) = 0;
  virtual void write(std::uint64_t lba, bytes_view in, store_done done) = 0;
  // Everything written (completed) before the call is on stable storage
  // when `done` sees ok.
  virtual void sync(store_done done) = 0;
  // A read that can finish without blocking (the data is in the page
  // cache) finishes here; nullopt: it would block, use read().
  virtual std::optional<store_result> try_read(std::uint64_t lba, std::span<std::uint8_t> out);
  // A write done here while the store's writes are fast (inline_writes in
  // scsi/src says when); nullopt: use write().
  virtual std::optional<store_result> try_write(std::uint64_t lba, bytes_view in);
  // Blocking work (a command that calls the store synchronously) on the
  // store's threads.
  virtual void run_blocking(std::function<void()> work) = 0;
  virtual async_backend backend() const = 0;
};

// The file under a store, for the calls that may finish on the caller's
// thread: try_read() reads it with RWF_NOWAIT; try_write() writes it while
// writes take at most `inline_write_limit` (0: never).
struct inline_file {
  int fd = -1;
  std::chrono::microseconds inline_write_limit{0};
};

// Runs `store`'s synchronous calls on up to `threads` threads (started as
// work arrives); with no file, try_read/try_write always say nullopt.
// `store` must outlive the result.
std::unique_ptr<async_store> make_thread_pool_async_store(block_store& store, unsigned threads,
                                                         inline_file file = {});

// io_uring on `file.fd` (block addressed by `store`'s geometry), with a
// thread pool of `threads` for run_blocking. Fails with the errno of
// io_uring_queue_init (EPERM, ENOSYS, ENOMEM) when the kernel refuses.
result<std::unique_ptr<async_store>, int> make_io_uring_async_store(block_store& store, inline_file file,
                                                                    unsigned threads);

// The store threads of a backend: 16, as many FUA writes as can wait on a
// flush at once (the block layer merges concurrent flushes).
inline constexpr unsigned default_store_threads = 16;

}  // namespace touchstone::scsi
