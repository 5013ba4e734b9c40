// A task's write transfer: Data-Out bursts and R2T generation
// (task_transfer.hpp; the checks and answers are data_out.cpp's).
#include "touchstone/target/task_transfer.hpp"

#include <algorithm>

namespace touchstone::target {

void task_transfer::start_write(std::uint32_t edtl, std::uint32_t immediate, bool unsolicited,
                                std::uint32_t first_burst) {
  edtl_ = edtl;
  received_ = immediate;
  unsolicited_open_ = unsolicited;
  unsolicited_ = burst_cursor{};
  unsolicited_.start = immediate;
  //= rfc7143#section-13.10
  //# as if it has received an initial R2T with Buffer Offset=Immediate Data
  //# Length and Desired Data Transfer Length=(min(FirstBurstLength, Expected
  //# Data Transfer Length) - Received Immediate Data Length).
  unsolicited_.end = unsolicited ? std::min(edtl, first_burst) : immediate;
  //= rfc7143#section-11.4.7.2
  //# the total data length to output is greater than FirstBurstLength and the
  //# initiator sent unsolicited non-immediate data but the total amount of
  //# unsolicited data is different than FirstBurstLength.
  unsolicited_.must_fill = edtl > first_burst;
  next_r2t_offset_ = unsolicited ? unsolicited_.end : immediate;
}

bool task_transfer::end_burst(burst_cursor& b) {
  const bool complete = !b.must_fill || b.next_offset() == b.end;
  if (!b.solicited) {
    unsolicited_open_ = false;
    // The R2Ts ask for what the unsolicited data left, from where it ended.
    next_r2t_offset_ = received_;
    return complete;
  }
  r2ts_.erase(r2ts_.begin() + (&b - r2ts_.data()));
  return complete;
}

std::optional<r2t_ask> task_transfer::next_r2t(std::uint32_t max_outstanding, std::uint32_t max_burst) const {
  // MaxOutstandingR2T (section 13.17) and MaxBurstLength (11.8.4) as the
  // connection passes them (issue_r2ts: a mutant may bend them).
  if (unsolicited_open_ || r2ts_.size() >= max_outstanding || next_r2t_offset_ >= edtl_) return std::nullopt;
  return r2t_ask{next_r2t_offset_, std::min(edtl_ - next_r2t_offset_, max_burst)};
}

const burst_cursor& task_transfer::open_r2t(const r2t_ask& ask, std::uint32_t ttt, const r2t_ask& wire) {
  // R2TSN counts the task's R2Ts from 0 (section 11.8.2).
  burst_cursor r;
  r.ttt = ttt;
  r.r2t_sn = next_r2t_sn_++;
  r.start = wire.offset;
  r.end = wire.offset + wire.length;
  r.solicited = true;
  r.must_fill = true;
  r2ts_.push_back(r);
  //= rfc7143#section-11.8
  //# If DataSequenceInOrder is Yes, then consecutive R2Ts MUST refer to
  //# continuous non-overlapping ranges, except for Recovery-R2Ts.
  next_r2t_offset_ += ask.length;
  return r2ts_.back();
}

}  // namespace touchstone::target
