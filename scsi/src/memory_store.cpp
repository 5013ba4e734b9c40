// A sparse in-memory store: 64 KiB chunks allocated on first write, with a
// per-block mapped bit so UNMAP and GET LBA STATUS are exact.
#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "touchstone/scsi/block_store.hpp"

namespace touchstone::scsi {
namespace {

constexpr std::size_t chunk_bytes = 64 * 1024;

class memory_store final : public block_store {
 public:
  memory_store(std::uint32_t block_size, std::uint64_t block_count)
      : block_size_(block_size),
        block_count_(block_count),
        blocks_per_chunk_(chunk_bytes / block_size) {}

  std::uint32_t block_size() const override { return block_size_; }
  std::uint64_t block_count() const override { return block_count_; }

  store_result read(std::uint64_t lba, std::span<std::uint8_t> out) override {
    if (auto r = check_io(*this, lba, out.size()); !r) return r;
    std::lock_guard lock(mutex_);
    for_each_run(lba, out.size() / block_size_, [&](chunk* c, std::size_t first, std::size_t n,
                                                     std::size_t at) {
      auto* dst = out.data() + at * block_size_;
      if (c == nullptr)
        std::memset(dst, 0, n * block_size_);
      else
        std::memcpy(dst, c->data.data() + first * block_size_, n * block_size_);
    });
    return ok;
  }

  store_result write(std::uint64_t lba, std::span<const std::uint8_t> in) override {
    if (auto r = check_io(*this, lba, in.size()); !r) return r;
    std::lock_guard lock(mutex_);
    for (std::uint64_t i = 0; i < in.size() / block_size_;) {
      chunk& c = chunk_at(lba + i, true);
      std::size_t first = (lba + i) % blocks_per_chunk_;
      std::size_t n = std::min<std::uint64_t>(blocks_per_chunk_ - first, in.size() / block_size_ - i);
      std::memcpy(c.data.data() + first * block_size_, in.data() + i * block_size_, n * block_size_);
      std::fill_n(c.mapped.begin() + static_cast<std::ptrdiff_t>(first), n, true);
      i += n;
    }
    return ok;
  }

  store_result sync() override { return ok; }

  store_result unmap(std::uint64_t lba, std::uint64_t count) override {
    if (lba > block_count_ || block_count_ - lba < count)
      return fail(store_error{store_errc::out_of_range, lba, 0});
    std::lock_guard lock(mutex_);
    for_each_run(lba, count, [&](chunk* c, std::size_t first, std::size_t n, std::size_t) {
      if (c == nullptr) return;
      std::memset(c->data.data() + first * block_size_, 0, n * block_size_);
      std::fill_n(c->mapped.begin() + static_cast<std::ptrdiff_t>(first), n, false);
    });
    std::erase_if(chunks_, [](const auto& kv) {
      return std::none_of(kv.second.mapped.begin(), kv.second.mapped.end(), [](bool b) { return b; });
    });
    return ok;
  }

  result<block_extent, store_error> block_status(std::uint64_t lba) override {
    if (lba >= block_count_) return fail(store_error{store_errc::out_of_range, lba, 0});
    std::lock_guard lock(mutex_);
    const block_state first = state(lba);
    std::uint64_t end = lba + 1;
    while (end < block_count_) {
      if (chunks_.count(end / blocks_per_chunk_) == 0) {
        if (first != block_state::deallocated) break;
        end = (end / blocks_per_chunk_ + 1) * blocks_per_chunk_;  // skip the absent chunk
        continue;
      }
      if (state(end) != first) break;
      ++end;
    }
    return block_extent{lba, std::min(end, block_count_) - lba, first};
  }

  bool thin_provisioned() const override { return true; }

 private:
  struct chunk {
    std::vector<std::uint8_t> data;
    std::vector<bool> mapped;
  };

  chunk& chunk_at(std::uint64_t lba, bool create) {
    auto [it, added] = chunks_.try_emplace(lba / blocks_per_chunk_);
    if (added && create) {
      it->second.data.assign(blocks_per_chunk_ * block_size_, 0);
      it->second.mapped.assign(blocks_per_chunk_, false);
    }
    return it->second;
  }

  block_state state(std::uint64_t lba) const {
    auto it = chunks_.find(lba / blocks_per_chunk_);
    if (it == chunks_.end()) return block_state::deallocated;
    return it->second.mapped[lba % blocks_per_chunk_] ? block_state::mapped
                                                      : block_state::deallocated;
  }

  // Calls f(chunk or null, first block in chunk, blocks, offset in blocks) per chunk run.
  template <class F>
  void for_each_run(std::uint64_t lba, std::uint64_t count, F f) {
    for (std::uint64_t i = 0; i < count;) {
      auto it = chunks_.find((lba + i) / blocks_per_chunk_);
      std::size_t first = (lba + i) % blocks_per_chunk_;
      std::size_t n = std::min<std::uint64_t>(blocks_per_chunk_ - first, count - i);
      f(it == chunks_.end() ? nullptr : &it->second, first, n, i);
      i += n;
    }
  }

  std::uint32_t block_size_;
  std::uint64_t block_count_;
  std::uint64_t blocks_per_chunk_;
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, chunk> chunks_;
};

}  // namespace

std::unique_ptr<block_store> make_memory_store(std::uint32_t block_size, std::uint64_t block_count) {
  return std::make_unique<memory_store>(block_size, block_count);
}

}  // namespace touchstone::scsi
