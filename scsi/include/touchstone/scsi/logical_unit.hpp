// A logical unit: a backing store, its identity and limits, mode pages,
// unit attentions per I_T nexus, its task set, and the extensions other
// command families hang their per-LU state on (reservations, ...).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "touchstone/scsi/block_store.hpp"
#include "touchstone/scsi/mode_pages.hpp"
#include "touchstone/scsi/task_set.hpp"
#include "touchstone/scsi/unit_attention.hpp"

namespace touchstone::scsi {

struct command_context;
class logical_unit;
class lu_io_queue;

struct lu_config {
  lun_t lun = 0;
  bool read_only = false;
  bool write_cache = true;  // default WCE
  // Identity for INQUIRY and VPD pages.
  std::string vendor = "TOUCHSTN";       // 8 bytes, space padded
  std::string product = "VIRTUAL-DISK";  // 16 bytes
  std::string revision = "0001";         // 4 bytes
  std::string serial;                    // VPD 80h; empty: derived from the LUN
  std::uint64_t naa = 0;                 // VPD 83h NAA designator; 0: derived
  // Block Limits (VPD B0h); 0 = no limit reported.
  std::uint32_t max_transfer_length = 0;           // blocks
  std::uint32_t optimal_transfer_length = 0;       // blocks
  std::uint32_t max_unmap_lba_count = 0x100000;    // blocks (libiscsi: at most 1 Mi)
  std::uint32_t max_unmap_descriptors = 256;
  std::uint32_t unmap_granularity = 1;             // blocks
  std::uint64_t max_write_same_length = 0x400000;  // blocks
  std::uint8_t max_compare_and_write_length = 1;   // blocks
  // WSNZ (VPD B0h): WRITE SAME with NUMBER OF LOGICAL BLOCKS 0 is refused
  // (false: 0 means through the last LBA).
  bool write_same_no_zero = false;
  // The I_T nexuses the unit attention queue keeps state for, at most
  // (unit_attention.hpp says which it forgets first, and why that is sound).
  std::size_t max_tracked_nexuses = unit_attention_queue::default_max_nexuses;
  //= spc4#5.13.7
  //# a registration the device server has no room for: INSUFFICIENT REGISTRATION RESOURCES
  // (from memory). Registrations outlive their I_T nexus, so this bounds a
  // table initiators fill; far more than any sane configuration needs.
  std::size_t max_pr_registrations = 4096;
};

// Events the LU passes to its extensions.
enum class lu_event_kind : std::uint8_t {
  logical_unit_reset,  // LOGICAL UNIT RESET or power on
  it_nexus_loss,       // I_T NEXUS RESET or loss of the nexus (`it` set)
};
struct lu_event {
  lu_event_kind kind;
  const it_nexus* it = nullptr;
};

enum class access_decision : std::uint8_t { allowed, reservation_conflict };

// Per-LU state of a command family. The PR and the SPC-2 RESERVE/RELEASE
// families each keep theirs in one; check_access runs before every command
// (after the unit attention check), with the LU's execution lock held.
class lu_extension {
 public:
  virtual ~lu_extension() = default;
  virtual access_decision check_access(const command_context&) const {
    return access_decision::allowed;
  }
  virtual void on_event(logical_unit&, const lu_event&) {}
};

class logical_unit {
 public:
  logical_unit(lu_config config, std::shared_ptr<block_store> store);
  // Waits for the commands still running on the store's threads.
  ~logical_unit();
  logical_unit(const logical_unit&) = delete;
  logical_unit& operator=(const logical_unit&) = delete;

  lun_t lun() const { return config_.lun; }
  const lu_config& config() const { return config_; }
  block_store& store() { return *store_; }
  const block_store& store() const { return *store_; }
  std::uint32_t block_size() const { return store_->block_size(); }
  std::uint64_t block_count() const { return store_->block_count(); }
  bool read_only() const { return config_.read_only; }
  // START STOP UNIT: a stopped LU answers medium access with NOT READY.
  bool stopped() const { return stopped_.load(); }
  void set_stopped(bool s) { stopped_.store(s); }

  // Guarded by the execution lock (held while a command runs).
  mode_pages& pages() { return pages_; }
  const mode_pages& pages() const { return pages_; }
  task_set& tasks() { return tasks_; }

  // Unit attentions (internally locked; callable from any thread).
  void establish_ua(const it_nexus& it, unit_attention ua);
  void establish_ua_all(unit_attention ua, const it_nexus* except = nullptr);
  std::optional<unit_attention> peek_ua(const it_nexus& it);
  std::optional<unit_attention> pop_ua(const it_nexus& it);
  void clear_ua(const it_nexus& it, unit_attention ua);
  std::vector<unit_attention> pending_uas(const it_nexus& it);
  void touch(const it_nexus& it);
  // The I_T nexuses the unit attention queue keeps state for (at most
  // config().max_tracked_nexuses, or what set_max_tracked_nexuses set), and
  // how many it forgot to stay within that bound.
  std::size_t tracked_nexuses() const;
  std::uint64_t forgotten_nexuses() const;
  void set_max_tracked_nexuses(std::size_t n);

  // The extension of type T (derived from lu_extension), created on first use.
  // Call with the execution lock held (from a handler or check_access).
  template <class T>
  T& extension() {
    if (auto* e = find_extension<T>()) return *e;
    auto owned = std::make_unique<T>();
    T& ref = *owned;
    extensions_.emplace_back(key<T>(), std::move(owned));
    return ref;
  }
  template <class T>
  T* find_extension() {
    for (auto& [k, e] : extensions_)
      if (k == key<T>()) return static_cast<T*>(e.get());
    return nullptr;
  }
  access_decision check_access(const command_context& ctx) const;
  void notify(const lu_event& ev);

  // The execution lock: commands on one LU run one at a time, so a handler
  // sees the medium, mode pages and extensions without racing other commands
  // (COMPARE AND WRITE is atomic for free).
  std::unique_lock<std::mutex> lock_execution() { return std::unique_lock(exec_mutex_); }

  // Commands on a blocking store (device_server::submit): their order of
  // arrival, the ranges in flight (private to the device server).
  lu_io_queue& io_queue() { return *io_queue_; }

 private:
  template <class T>
  static const void* key() {
    static const char tag = 0;
    return &tag;
  }

  lu_config config_;
  std::shared_ptr<block_store> store_;
  std::atomic<bool> stopped_{false};
  mode_pages pages_;
  task_set tasks_;
  mutable std::mutex ua_mutex_;
  unit_attention_queue uas_;
  std::mutex exec_mutex_;
  std::vector<std::pair<const void*, std::unique_ptr<lu_extension>>> extensions_;
  std::unique_ptr<lu_io_queue> io_queue_;
};

}  // namespace touchstone::scsi
