// The data transfer of one task, sans-I/O (RFC 7143 sections 11.7, 11.8,
// 13.10-13.19): the write side, Data-Out bursts and R2T generation, here;
// the read side, Data-In sequencing, in data_in_sequence.hpp. It decides
// nothing about errors: it says where a Data-Out fits, and the connection
// (data_out.cpp) answers, cites and logs, and builds the R2T PDUs.
//
// Every Data-Out belongs to a burst ("sequence" in 11.7.5): the unsolicited
// burst (TTT 0xffffffff: immediate data's continuation, InitialR2T=No) or
// the answer to one R2T. Both are a burst_cursor, accounted the same way.
// Recovery (ErrorRecoveryLevel 1, not implemented) would reuse it: a
// recovery R2T is open_r2t for the byte range to ask for again.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::target {

// One Data-Out burst: the bytes [start, end) it may carry, from start on.
struct burst_cursor {
  std::uint32_t ttt = pdu::reserved_tag;
  std::uint32_t r2t_sn = 0;      // an R2T's
  std::uint32_t start = 0;       // the buffer offset the burst starts at
  std::uint32_t end = 0;         // one past the last byte it may carry
  std::uint32_t received = 0;    // bytes taken, from start
  std::uint32_t next_data_sn = 0;
  bool solicited = false;        // an R2T's burst (else the unsolicited one)
  // A burst that ends short is an error: every R2T's, and the unsolicited
  // one's when EDTL is more than FirstBurstLength (section 11.4.7.2).
  bool must_fill = true;

  std::uint64_t next_offset() const { return std::uint64_t{start} + received; }
};

// Where one Data-Out falls in its burst; nothing is changed yet.
struct data_out_fit {
  std::uint32_t expected_data_sn = 0;
  std::uint64_t expected_offset = 0;
  bool beyond_burst = false;     // offset + length past the burst's end
  std::uint32_t accepted = 0;    // the bytes within the burst, from offset
};

// The next R2T's range, as the transfer would ask for it.
struct r2t_ask {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};

class task_transfer {
 public:
  // A write of `edtl` bytes whose command carried `immediate` bytes. With
  // `unsolicited` (F=0 on the command) Data-Out with TTT 0xffffffff
  // follows, up to min(EDTL, `first_burst`) bytes counted from offset 0.
  void start_write(std::uint32_t edtl, std::uint32_t immediate, bool unsolicited, std::uint32_t first_burst);

  // The burst a Data-Out with `ttt` belongs to: the unsolicited one (TTT
  // 0xffffffff) while it is open, or an open R2T's; null for any other.
  // burst, fit and take are inline: they run for every Data-Out.
  burst_cursor* burst(std::uint32_t ttt);
  data_out_fit fit(const burst_cursor& b, std::uint32_t offset, std::uint32_t length) const;
  // Takes the PDU's accepted bytes, and counts its DataSN unless
  // `count_data_sn` is false (a mutant).
  void take(burst_cursor& b, const data_out_fit& f, bool count_data_sn);
  // The F bit ends the burst; false when it ended short of what it had to
  // carry. `b` is gone after this.
  bool end_burst(burst_cursor& b);

  // R2T generation. The next burst to ask for: none while the unsolicited
  // burst is open, `max_outstanding` R2Ts are open or every byte has been
  // asked for; bursts of at most `max_burst` bytes, in offset order.
  std::optional<r2t_ask> next_r2t(std::uint32_t max_outstanding, std::uint32_t max_burst) const;
  // Opens the R2T for `ask` with tag `ttt` and the next R2TSN. `wire` is the
  // range the R2T carries, and its burst: ask's, unless a mutant bends it.
  const burst_cursor& open_r2t(const r2t_ask& ask, std::uint32_t ttt, const r2t_ask& wire);
  // After an iSCSI condition or an abort nothing more is asked for; the
  // bursts already open still end with their F bits.
  void ask_no_more() { next_r2t_offset_ = edtl_; }

  bool unsolicited_open() const { return unsolicited_open_; }
  bool r2ts_open() const { return !r2ts_.empty(); }
  bool bursts_open() const { return unsolicited_open_ || !r2ts_.empty(); }
  bool all_asked() const { return next_r2t_offset_ >= edtl_; }
  // Contiguous bytes received from offset 0 (immediate data included).
  std::uint32_t received() const { return received_; }
  // Where the unsolicited data ends (immediate data's end without it).
  std::uint32_t unsolicited_end() const { return unsolicited_.end; }
  std::uint32_t next_r2t_offset() const { return next_r2t_offset_; }

 private:
  std::uint32_t edtl_ = 0;
  std::uint32_t received_ = 0;
  burst_cursor unsolicited_;
  bool unsolicited_open_ = false;
  std::vector<burst_cursor> r2ts_;  // open R2Ts, in the order sent (MaxOutstandingR2T at most)
  std::uint32_t next_r2t_offset_ = 0;  // the next byte to ask for
  std::uint32_t next_r2t_sn_ = 0;
};

inline burst_cursor* task_transfer::burst(std::uint32_t ttt) {
  if (ttt == pdu::reserved_tag) return unsolicited_open_ ? &unsolicited_ : nullptr;
  const auto found = std::find_if(r2ts_.begin(), r2ts_.end(), [&](const burst_cursor& r) { return r.ttt == ttt; });
  return found == r2ts_.end() ? nullptr : &*found;
}

inline data_out_fit task_transfer::fit(const burst_cursor& b, std::uint32_t offset, std::uint32_t length) const {
  data_out_fit f;
  //= rfc7143#section-11.7.5
  //# For output (write) data PDUs, the DataSN is the Data-Out PDU number within
  //# the current output sequence.
  f.expected_data_sn = b.next_data_sn;
  //= rfc7143#section-11.7.6
  //# When set to Yes, it means that PDUs have to be in increasing buffer offset
  //# order and overlays are forbidden.
  f.expected_offset = b.next_offset();
  f.beyond_burst = std::uint64_t{offset} + length > b.end;
  f.accepted = static_cast<std::uint32_t>(std::min<std::uint64_t>(length, b.end > offset ? b.end - offset : 0));
  return f;
}

inline void task_transfer::take(burst_cursor& b, const data_out_fit& f, bool count_data_sn) {
  b.received += f.accepted;
  received_ += f.accepted;
  if (count_data_sn) ++b.next_data_sn;
}

}  // namespace touchstone::target
