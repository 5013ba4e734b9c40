// A file-backed store: pread/pwrite, fdatasync, punch-hole UNMAP and
// SEEK_DATA/SEEK_HOLE block status, so thin provisioning is real.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "file_io.hpp"
#include "touchstone/scsi/async_store.hpp"

namespace touchstone::scsi {
namespace {

using file_io::os_failure;

class file_store final : public block_store {
 public:
  file_store(int fd, std::uint32_t block_size, std::uint64_t block_count, bool thin)
      : fd_(fd), block_size_(block_size), block_count_(block_count), thin_(thin) {}
  ~file_store() override {
    async_.reset();  // waits for its I/O, which uses fd_
    ::close(fd_);
  }
  file_store(const file_store&) = delete;
  file_store& operator=(const file_store&) = delete;

  std::uint32_t block_size() const override { return block_size_; }
  std::uint64_t block_count() const override { return block_count_; }

  store_result read(std::uint64_t lba, std::span<std::uint8_t> out) override {
    if (auto r = check_io(*this, lba, out.size()); !r) return r;
    return file_io::read_blocks(fd_, block_size_, lba, out);
  }

  store_result write(std::uint64_t lba, std::span<const std::uint8_t> in) override {
    if (auto r = check_io(*this, lba, in.size()); !r) return r;
    return file_io::write_blocks(fd_, block_size_, lba, in);
  }

  store_result sync() override { return file_io::datasync(fd_); }

  store_result unmap(std::uint64_t lba, std::uint64_t count) override {
    if (lba > block_count_ || block_count_ - lba < count)
      return fail(store_error{store_errc::out_of_range, lba, 0});
    if (!thin_) return fail(store_error{store_errc::unsupported, lba, 0});
    if (count == 0) return ok;
    if (::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset(lba),
                    static_cast<off_t>(count * block_size_)) != 0)
      return fail(os_failure(lba, errno));
    return ok;
  }

  result<block_extent, store_error> block_status(std::uint64_t lba) override {
    if (lba >= block_count_) return fail(store_error{store_errc::out_of_range, lba, 0});
    const off_t at = offset(lba);
    const off_t end = offset(block_count_);
    off_t data = ::lseek(fd_, at, SEEK_DATA);
    if (data < 0 && errno != ENXIO) return fail(os_failure(lba, errno));
    if (data < 0 || data >= end) data = end;  // ENXIO: a hole to the end
    if (data > at) {
      // [at, data) is a hole; a block partly holding data counts as mapped.
      std::uint64_t blocks = static_cast<std::uint64_t>(data - at) / block_size_;
      if (blocks > 0) return block_extent{lba, blocks, block_state::deallocated};
    }
    off_t hole = ::lseek(fd_, at, SEEK_HOLE);
    if (hole < 0 || hole > end) hole = end;
    std::uint64_t bytes = static_cast<std::uint64_t>(hole - at);
    std::uint64_t blocks = (bytes + block_size_ - 1) / block_size_;
    return block_extent{lba, std::max<std::uint64_t>(blocks, 1), block_state::mapped};
  }

  bool thin_provisioned() const override { return thin_; }
  async_store* async() override { return async_.get(); }

  // io_uring unless refused or the thread pool is asked for.
  void start_async(async_backend requested, unsigned threads, std::chrono::microseconds inline_limit) {
    const inline_file file{fd_, inline_limit};
    if (effective_backend(requested) != async_backend::thread_pool) {
      if (auto uring = make_io_uring_async_store(*this, file, threads)) {
        async_ = std::move(*uring);
        return;
      }
    }
    async_ = make_thread_pool_async_store(*this, threads, file);
  }

 private:
  off_t offset(std::uint64_t lba) const { return static_cast<off_t>(lba * block_size_); }

  int fd_;
  std::uint32_t block_size_;
  std::uint64_t block_count_;
  bool thin_;
  std::unique_ptr<async_store> async_;
};

// Whether the file system can punch holes: try on a zero-length range past the end.
bool can_punch_holes(int fd, off_t size) {
  return ::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, size, 1) == 0 ||
         errno != EOPNOTSUPP;
}

}  // namespace

result<std::unique_ptr<block_store>, store_error> open_file_store(const file_store_options& o) {
  if (o.block_size != 512 && o.block_size != 4096)
    return fail(store_error{store_errc::bad_length, 0, EINVAL});
  int flags = (o.read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC;
  if (o.create && !o.read_only) flags |= O_CREAT;
  int fd = ::open(o.path.c_str(), flags, 0600);
  if (fd < 0) return fail(store_error{store_errc::io_error, 0, errno});
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return fail(store_error{store_errc::io_error, 0, err});
  }
  std::uint64_t count = o.block_count != 0 ? o.block_count
                                           : static_cast<std::uint64_t>(st.st_size) / o.block_size;
  const off_t size = static_cast<off_t>(count * o.block_size);
  if (!o.read_only && st.st_size < size && ::ftruncate(fd, size) != 0) {
    int err = errno;
    ::close(fd);
    return fail(store_error{store_errc::io_error, 0, err});
  }
  const bool thin = !o.read_only && can_punch_holes(fd, size);
  auto store = std::make_unique<file_store>(fd, o.block_size, count, thin);
  store->start_async(o.backend, o.threads, o.inline_write_limit);
  return std::unique_ptr<block_store>(std::move(store));
}

}  // namespace touchstone::scsi
