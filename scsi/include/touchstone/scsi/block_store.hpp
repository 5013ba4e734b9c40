// Backing stores behind one small interface, addressed in logical blocks.
// Errors are values (store_error); a medium error carries the failing LBA.
// Implementations are thread-safe for concurrent calls. A store whose calls
// block (a file) also offers an asynchronous path (async(), async_store.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "touchstone/scsi/bytes.hpp"
#include "touchstone/scsi/result.hpp"

namespace touchstone::scsi {

class async_store;

// How a blocking store does its asynchronous I/O (async_store.hpp).
enum class async_backend : std::uint8_t {
  automatic,    // io_uring, else the thread pool (TOUCHSTONE_IO_BACKEND=thread-pool forces it)
  io_uring,     // io_uring, else the thread pool
  thread_pool,  // the thread pool only
};

enum class store_errc : std::uint8_t {
  medium_error,  // unrecoverable read/write error at `lba`
  io_error,      // anything else the OS reported
  out_of_range,  // the caller asked past block_count()
  no_space,      // thin provisioning could not allocate
  unsupported,   // e.g. unmap on a store that cannot deallocate
  bad_length,    // buffer not a multiple of the block size
};

struct store_error {
  store_errc code = store_errc::io_error;
  std::uint64_t lba = 0;  // first failing LBA (medium_error)
  int os_error = 0;       // errno, when the OS reported it
};

using store_result = result<void, store_error>;

enum class io_direction : std::uint8_t { read, write };

//= sbc3#4.7.1
//# a logical block is mapped or deallocated (anchored is not offered)
enum class block_state : std::uint8_t { mapped, deallocated };

struct block_extent {
  std::uint64_t lba = 0;
  std::uint64_t count = 0;
  block_state state = block_state::mapped;
};

class block_store {
 public:
  virtual ~block_store() = default;
  virtual std::uint32_t block_size() const = 0;
  virtual std::uint64_t block_count() const = 0;
  // Buffers hold whole blocks: size() == n * block_size().
  virtual store_result read(std::uint64_t lba, std::span<std::uint8_t> out) = 0;
  virtual store_result write(std::uint64_t lba, std::span<const std::uint8_t> in) = 0;
  // Everything written so far is on stable storage when this returns ok.
  virtual store_result sync() = 0;
  // Deallocate; later reads return zeros (LBPRZ).
  virtual store_result unmap(std::uint64_t lba, std::uint64_t count) = 0;
  // The longest run of blocks in one state starting at `lba`.
  virtual result<block_extent, store_error> block_status(std::uint64_t lba) = 0;
  // True if unmap() really deallocates (the LU reports LBPME=1).
  virtual bool thin_provisioned() const = 0;
  // The asynchronous path of a store whose calls block (file): its commands
  // run off the caller's thread. Null (memory, null): calls are fast, inline.
  virtual async_store* async() { return nullptr; }
};

// Sparse memory in 64 KiB chunks, allocated on first write.
std::unique_ptr<block_store> make_memory_store(std::uint32_t block_size, std::uint64_t block_count);

// Reads zeros, discards writes; for protocol benchmarks.
std::unique_ptr<block_store> make_null_store(std::uint32_t block_size, std::uint64_t block_count);

struct file_store_options {
  std::string path;
  std::uint32_t block_size = 512;
  std::uint64_t block_count = 0;  // 0: use the file's size; else create/extend to this
  bool create = true;
  bool read_only = false;
  // The asynchronous path (async_store.hpp): io_uring unless refused or
  // thread_pool asked for (or TOUCHSTONE_IO_BACKEND=thread-pool), with
  // `threads` store threads.
  async_backend backend = async_backend::automatic;
  unsigned threads = 16;
  // A write that can run on the caller's thread does while writes take at
  // most this long (inline_writes in scsi/src); 0: every write goes to a
  // store thread.
  std::chrono::microseconds inline_write_limit{2000};
};
// pread/pwrite, fdatasync, fallocate(PUNCH_HOLE|KEEP_SIZE), SEEK_DATA/SEEK_HOLE.
result<std::unique_ptr<block_store>, store_error> open_file_store(const file_store_options& o);

// A store wrapping another, for tests: fails chosen I/Os, adds latency
// (reads, writes and syncs). It blocks where what it wraps blocks: over a
// file its async() runs its own calls on store threads.
class fault_store final : public block_store {
 public:
  explicit fault_store(std::shared_ptr<block_store> inner);
  ~fault_store() override;
  // Fail the nth read or write from now (1 = the next one), once.
  void fail_nth_io(std::uint64_t n, store_errc code = store_errc::medium_error);
  // Fail every I/O in `direction` touching [lba, lba + count).
  void fail_range(std::uint64_t lba, std::uint64_t count, io_direction direction,
                  store_errc code = store_errc::medium_error);
  void fail_sync(bool on);
  void set_latency(std::chrono::microseconds latency);
  void clear();
  // Reads, writes and syncs that have reached this store so far.
  std::uint64_t started() const;

  std::uint32_t block_size() const override;
  std::uint64_t block_count() const override;
  store_result read(std::uint64_t lba, std::span<std::uint8_t> out) override;
  store_result write(std::uint64_t lba, std::span<const std::uint8_t> in) override;
  store_result sync() override;
  store_result unmap(std::uint64_t lba, std::uint64_t count) override;
  result<block_extent, store_error> block_status(std::uint64_t lba) override;
  bool thin_provisioned() const override;
  async_store* async() override;

 private:
  struct range_fault {
    std::uint64_t lba, count;
    io_direction direction;
    store_errc code;
  };
  store_result check(std::uint64_t lba, std::uint64_t blocks, io_direction d);

  std::shared_ptr<block_store> inner_;
  mutable std::mutex mutex_;
  std::uint64_t countdown_ = 0;
  store_errc nth_code_ = store_errc::medium_error;
  std::vector<range_fault> ranges_;
  bool fail_sync_ = false;
  std::chrono::microseconds latency_{0};
  std::uint64_t started_ = 0;
  std::once_flag async_once_;
  std::unique_ptr<async_store> async_;
};

// A store wrapping another that records what reached it, for durability tests:
// a write is durable once a sync() follows it.
class recording_store final : public block_store {
 public:
  enum class op : std::uint8_t { read, write, sync, unmap };
  struct event {
    recording_store::op op;
    std::uint64_t lba = 0;
    std::uint64_t count = 0;
  };
  explicit recording_store(std::shared_ptr<block_store> inner);
  std::vector<event> events() const;
  std::uint64_t syncs() const;
  // Writes not yet followed by a sync.
  std::uint64_t unsynced_writes() const;
  void reset();

  std::uint32_t block_size() const override;
  std::uint64_t block_count() const override;
  store_result read(std::uint64_t lba, std::span<std::uint8_t> out) override;
  store_result write(std::uint64_t lba, std::span<const std::uint8_t> in) override;
  store_result sync() override;
  store_result unmap(std::uint64_t lba, std::uint64_t count) override;
  result<block_extent, store_error> block_status(std::uint64_t lba) override;
  bool thin_provisioned() const override;

 private:
  void record(op o, std::uint64_t lba, std::uint64_t count);
  std::shared_ptr<block_store> inner_;
  mutable std::mutex mutex_;
  std::vector<event> events_;
  std::uint64_t syncs_ = 0;
  std::uint64_t unsynced_ = 0;
};

// Bounds and length checks every store applies first.
store_result check_io(const block_store& s, std::uint64_t lba, std::size_t bytes);

}  // namespace touchstone::scsi
