// Arrival order of overlapping I/O on one logical unit. Ranges join in the
// order their commands arrive; one may start once no older range that
// overlaps it is still present (two shared ranges, reads, may overlap).
// Non-overlapping I/O runs side by side; a READ after a WRITE of the same
// blocks sees the write, two WRITEs to a block land in arrival order.
// Not locked: the owner guards it. Its size is bounded by the commands in
// flight on the LU (the transports' command windows).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace touchstone::scsi {

template <class Key>
class range_tracker {
 public:
  // Adds `key`'s range; true if it may start now (no older overlap).
  bool add(Key key, std::uint64_t lba, std::uint64_t blocks, bool exclusive) {
    entry e{key, lba, blocks, exclusive, false};
    e.started = !blocked(e, entries_.size());
    if (!e.started) ++waiting_;
    entries_.push_back(e);
    return e.started;
  }

  // True if a range like this one would have to wait now.
  bool would_wait(std::uint64_t lba, std::uint64_t blocks, bool exclusive) const {
    return blocked(entry{Key{}, lba, blocks, exclusive, false}, entries_.size());
  }

  // Removes `key` (started or not); returns the keys that may start now, in
  // arrival order, each once.
  std::vector<Key> remove(Key key) {
    std::vector<Key> ready;
    const auto at = std::find_if(entries_.begin(), entries_.end(),
                                 [&](const entry& e) { return e.key == key; });
    if (at == entries_.end()) return ready;
    if (!at->started) --waiting_;
    entries_.erase(at);
    if (waiting_ == 0) return ready;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].started || blocked(entries_[i], i)) continue;
      entries_[i].started = true;
      --waiting_;
      ready.push_back(entries_[i].key);
    }
    return ready;
  }

  std::size_t size() const { return entries_.size(); }
  std::size_t waiting() const { return waiting_; }

 private:
  struct entry {
    Key key;
    std::uint64_t lba, blocks;
    bool exclusive;
    bool started;
  };

  static bool overlap(const entry& a, const entry& b) {
    return a.lba < b.lba + b.blocks && b.lba < a.lba + a.blocks;
  }
  // Whether an entry older than position `before` conflicts with `e`.
  bool blocked(const entry& e, std::size_t before) const {
    for (std::size_t i = 0; i < before; ++i) {
      const entry& o = entries_[i];
      if ((o.exclusive || e.exclusive) && overlap(o, e)) return true;
    }
    return false;
  }

  std::vector<entry> entries_;  // arrival order
  std::size_t waiting_ = 0;
};

}  // namespace touchstone::scsi
