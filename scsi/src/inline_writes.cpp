// Writes on the caller's thread while they are fast (inline_writes.hpp).
#include "inline_writes.hpp"

#include <sys/uio.h>

#include <cerrno>

#include "file_io.hpp"

namespace touchstone::scsi {
namespace {

enum class nowait_outcome : std::uint8_t { written, would_block, refused };

// pwritev2(RWF_NOWAIT) until `in` is written, or the reason it stopped (a
// part written before a would-block is written again by the store thread).
nowait_outcome write_nowait(int fd, std::uint32_t block_size, std::uint64_t lba, bytes_view in,
                            store_result& r) {
  const auto base = static_cast<off_t>(lba * block_size);
  for (std::size_t done = 0; done < in.size();) {
    iovec v{const_cast<std::uint8_t*>(in.data() + done), in.size() - done};
    const ssize_t n = ::pwritev2(fd, &v, 1, base + static_cast<off_t>(done), RWF_NOWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return nowait_outcome::would_block;
    if (n < 0 && errno == EOPNOTSUPP) return nowait_outcome::refused;
    if (n <= 0) {
      r = fail(file_io::os_failure(lba + done / block_size, n < 0 ? errno : EIO));
      return nowait_outcome::written;
    }
    done += static_cast<std::size_t>(n);
  }
  r = ok;
  return nowait_outcome::written;
}

}  // namespace

bool inline_writes::open() const {
  return limit_.count() > 0 && clock::now().time_since_epoch().count() >= closed_until_.load();
}

std::optional<store_result> inline_writes::try_write(std::uint64_t lba, bytes_view in) {
  if (!open()) return std::nullopt;
  if (!nowait_refused_.load()) {
    store_result r = ok;
    switch (write_nowait(fd_, block_size_, lba, in, r)) {
      case nowait_outcome::written: return r;
      case nowait_outcome::would_block: return std::nullopt;
      case nowait_outcome::refused: nowait_refused_.store(true); break;
    }
  }
  const auto start = clock::now();
  auto r = file_io::write_blocks(fd_, block_size_, lba, in);
  const auto end = clock::now();
  if (end - start > limit_) closed_until_.store((end + cool_down).time_since_epoch().count());
  return r;
}

}  // namespace touchstone::scsi
