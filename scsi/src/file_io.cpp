// File I/O shared by the file store and its asynchronous backends.
#include "file_io.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace touchstone::scsi::file_io {

store_error os_failure(std::uint64_t lba, int err) {
  //= sbc3#4.15
  //# EIO from the medium is an unrecovered error at that LBA
  return store_error{err == EIO ? store_errc::medium_error
                     : err == ENOSPC ? store_errc::no_space
                                     : store_errc::io_error,
                     lba, err};
}

store_result read_blocks(int fd, std::uint32_t block_size, std::uint64_t lba,
                         std::span<std::uint8_t> out, std::size_t from) {
  const auto base = static_cast<off_t>(lba * block_size);
  for (std::size_t done = from; done < out.size();) {
    const ssize_t n = ::pread(fd, out.data() + done, out.size() - done, base + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(os_failure(lba + done / block_size, errno));
    if (n == 0) {  // past the end of a short file: zeros
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(done), out.end(), std::uint8_t{0});
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return ok;
}

store_result write_blocks(int fd, std::uint32_t block_size, std::uint64_t lba,
                          std::span<const std::uint8_t> in, std::size_t from) {
  const auto base = static_cast<off_t>(lba * block_size);
  for (std::size_t done = from; done < in.size();) {
    const ssize_t n = ::pwrite(fd, in.data() + done, in.size() - done, base + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(os_failure(lba + done / block_size, n < 0 ? errno : EIO));
    done += static_cast<std::size_t>(n);
  }
  return ok;
}

store_result datasync(int fd) {
  while (::fdatasync(fd) != 0) {
    if (errno != EINTR) return fail(os_failure(0, errno));
  }
  return ok;
}

std::optional<store_result> read_nowait(int fd, std::uint32_t block_size, std::uint64_t lba,
                                        std::span<std::uint8_t> out) {
  const auto base = static_cast<off_t>(lba * block_size);
  for (std::size_t done = 0; done < out.size();) {
    iovec v{out.data() + done, out.size() - done};
    const ssize_t n = ::preadv2(fd, &v, 1, base + static_cast<off_t>(done), RWF_NOWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EOPNOTSUPP)) return std::nullopt;
    if (n < 0) return store_result(fail(os_failure(lba + done / block_size, errno)));
    if (n == 0) {  // past the end of a short file: zeros
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(done), out.end(), std::uint8_t{0});
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return store_result(ok);
}

}  // namespace touchstone::scsi::file_io
