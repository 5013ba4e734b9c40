// Shared checks, and the null store.
#include "touchstone/scsi/block_store.hpp"

#include <algorithm>

namespace touchstone::scsi {

store_result check_io(const block_store& s, std::uint64_t lba, std::size_t bytes) {
  if (bytes % s.block_size() != 0) return fail(store_error{store_errc::bad_length, lba, 0});
  const std::uint64_t blocks = bytes / s.block_size();
  if (lba > s.block_count() || s.block_count() - lba < blocks)
    return fail(store_error{store_errc::out_of_range, lba, 0});
  return ok;
}

namespace {

class null_store final : public block_store {
 public:
  null_store(std::uint32_t block_size, std::uint64_t block_count)
      : block_size_(block_size), block_count_(block_count) {}
  std::uint32_t block_size() const override { return block_size_; }
  std::uint64_t block_count() const override { return block_count_; }
  store_result read(std::uint64_t lba, std::span<std::uint8_t> out) override {
    if (auto r = check_io(*this, lba, out.size()); !r) return r;
    std::fill(out.begin(), out.end(), std::uint8_t{0});
    return ok;
  }
  store_result write(std::uint64_t lba, std::span<const std::uint8_t> in) override {
    return check_io(*this, lba, in.size());
  }
  store_result sync() override { return ok; }
  store_result unmap(std::uint64_t lba, std::uint64_t count) override {
    if (lba > block_count_ || block_count_ - lba < count)
      return fail(store_error{store_errc::out_of_range, lba, 0});
    return ok;
  }
  result<block_extent, store_error> block_status(std::uint64_t lba) override {
    if (lba >= block_count_) return fail(store_error{store_errc::out_of_range, lba, 0});
    return block_extent{lba, block_count_ - lba, block_state::mapped};
  }
  bool thin_provisioned() const override { return false; }

 private:
  std::uint32_t block_size_;
  std::uint64_t block_count_;
};

}  // namespace

std::unique_ptr<block_store> make_null_store(std::uint32_t block_size, std::uint64_t block_count) {
  return std::make_unique<null_store>(block_size, block_count);
}

}  // namespace touchstone::scsi
