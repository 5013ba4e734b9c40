// The numbered responses a connection keeps at ErrorRecoveryLevel 1 or more
// until the initiator's ExpStatSN acknowledges them, for a Status SNACK to
// ask for again (RFC 7143 section 11.16; the handler is snack_status.cpp).
//
// Bounded twice, in count and in bytes: past either bound the oldest is
// dropped, and a later SNACK for it is refused with "SNACK reject" (the RFC
// sets no bound; an initiator that never acknowledges must not make the
// target hold its responses without limit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::target {

class status_retention {
 public:
  static constexpr std::size_t default_max_count = 256;
  static constexpr std::size_t default_max_bytes = std::size_t{4} << 20;

  explicit status_retention(std::size_t max_count = default_max_count,
                            std::size_t max_bytes = default_max_bytes)
      : max_count_(max_count), max_bytes_(max_bytes) {}

  // Keeps a copy of `p`, sent with `stat_sn`. A StatSN not after the newest
  // kept one (a resend) is not kept twice.
  void retain(std::uint32_t stat_sn, const pdu::pdu& p);
  // Frees every response before `exp_stat_sn` (serial arithmetic).
  void acknowledge(std::uint32_t exp_stat_sn);
  // The responses kept from `first` on, `count` of them in StatSN order, or
  // nothing when any of them is not kept (never sent, acknowledged, dropped).
  // At most size() entries are looked at, whatever `count` says.
  std::vector<const pdu::pdu*> run(std::uint32_t first, std::uint32_t count) const;

  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }
  bool empty() const { return entries_.empty(); }

 private:
  struct entry {
    std::uint32_t stat_sn;
    pdu::pdu response;
  };
  static std::size_t weight(const pdu::pdu& p) { return p.bhs.size() + p.ahs.size() + p.data.size(); }
  void drop_oldest();

  std::size_t max_count_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::deque<entry> entries_;
};

}  // namespace touchstone::target
