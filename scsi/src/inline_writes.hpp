// Writes to a file store done on the caller's thread while they are fast.
// Private to scsi/src.
//
// A buffered write normally only copies into the page cache (microseconds),
// and sending it to a store thread and back costs more than the write (4 KiB
// writes at depth 32: 33k IOPS through the store threads, 42k inline). But
// it can block: dirty-page throttling, a journal commit, a page to read
// first. So: where the file system takes RWF_NOWAIT writes (XFS, btrfs) a
// write that would block says so and goes to a store thread; where it does
// not (ext4 answers EOPNOTSUPP), the write runs inline and is timed, and one
// that took longer than `limit` sends every write of this store to the store
// threads for `cool_down`. A caller's thread is blocked at most once per
// cool-down by a slow medium.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "touchstone/scsi/block_store.hpp"

namespace touchstone::scsi {

class inline_writes {
 public:
  using clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds cool_down{1000};

  // limit 0: never inline (try_write always says nullopt).
  inline_writes(int fd, std::uint32_t block_size, std::chrono::microseconds limit)
      : fd_(fd), block_size_(block_size), limit_(limit) {}

  // The write done here, or nullopt: give it to a store thread.
  std::optional<store_result> try_write(std::uint64_t lba, bytes_view in);

  // Writes run inline now (not cooling down after a slow one).
  bool open() const;

 private:
  int fd_;
  std::uint32_t block_size_;
  std::chrono::microseconds limit_;
  std::atomic<bool> nowait_refused_{false};
  std::atomic<clock::rep> closed_until_{0};  // clock ticks since its epoch
};

}  // namespace touchstone::scsi
