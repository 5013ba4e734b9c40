// Whether a file's pages are still dirty in the page cache, through the
// cachestat(2) system call (Linux 6.5; glibc 2.36 has no wrapper, hence the
// kernel ABI below). A SIGKILL keeps the page cache, so the kill -9 tests
// ask it what a power loss at that moment would have lost: a block acknowledged
// durable whose page is dirty (or still being written back) was never synced.
#pragma once

#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>

namespace touchstone::target::test {

class page_cache_probe {
 public:
  explicit page_cache_probe(const std::string& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~page_cache_probe() {
    if (fd_ >= 0) ::close(fd_);
  }
  page_cache_probe(const page_cache_probe&) = delete;
  page_cache_probe& operator=(const page_cache_probe&) = delete;

  // Dirty or under writeback, for [offset, offset + length); nullopt where
  // the kernel has no cachestat or the file system keeps no such state (tmpfs:
  // its pages are never written anywhere).
  std::optional<bool> unsynced(std::uint64_t offset, std::uint64_t length) const {
    struct statfs fs {};
    if (fd_ < 0 || ::fstatfs(fd_, &fs) != 0 || fs.f_type == tmpfs_magic) return std::nullopt;
    range r{offset, length};
    stat s{};
    if (::syscall(sys_cachestat, fd_, &r, &s, 0) != 0) return std::nullopt;  // ENOSYS before 6.5
    return s.nr_dirty + s.nr_writeback > 0;
  }

 private:
  // include/uapi/linux/mman.h (Linux 6.5).
  struct range {
    std::uint64_t off, len;
  };
  struct stat {
    std::uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
  };
  static constexpr long sys_cachestat = 451;  // the same number on every architecture
  static constexpr long tmpfs_magic = 0x01021994;

  int fd_;
};

}  // namespace touchstone::target::test
