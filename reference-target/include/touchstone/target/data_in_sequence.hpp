// The read side of a task's data transfer (task_transfer.hpp has the write
// side), sans-I/O: which bytes of the read data each Data-In PDU carries,
// its DataSN, and where each sequence (burst) ends (RFC 7143 sections
// 11.7.1, 11.7.5, 13.13, 13.19). data_in_stream builds the PDUs from it.
//
// Positions follow from the DataSN alone (full bursts of whole segments,
// then the rest), so a resend from a BegRun (SNACK, ErrorRecoveryLevel 1,
// not implemented) is rewind_to(BegRun) and next() again.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace touchstone::target {

// One Data-In PDU's place in the read data.
struct data_in_chunk {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::uint32_t data_sn = 0;
  bool end_of_sequence = false;  // the F bit
  bool last = false;             // the last PDU of the data (status may ride in it)
};

class data_in_sequence {
 public:
  data_in_sequence() = default;
  // `size` bytes in PDUs of at most `max_segment` bytes (the initiator's
  // MaxRecvDataSegmentLength), sequences of at most `max_burst`
  // (MaxBurstLength); both at least 1, max_burst at least max_segment.
  data_in_sequence(std::size_t size, std::uint32_t max_segment, std::uint32_t max_burst);

  bool done() const { return offset_ >= size_; }
  // The next PDU's chunk; only while !done(). Inline: once per Data-In PDU.
  data_in_chunk next();
  // How many Data-In PDUs the whole data is (ExpDataSN of the response).
  std::uint32_t count() const { return count_; }
  // The next chunk becomes the one with DataSN `data_sn` (< count()).
  void rewind_to(std::uint32_t data_sn);

 private:
  std::size_t size_ = 0;
  std::uint32_t segment_ = 1;
  std::uint32_t burst_ = 1;
  std::uint32_t per_burst_ = 1;  // PDUs in a full burst
  std::uint32_t offset_ = 0;
  std::uint32_t in_burst_ = 0;
  std::uint32_t sn_ = 0;
  std::uint32_t count_ = 0;
};

inline data_in_chunk data_in_sequence::next() {
  //= rfc7143#section-11.7.1
  //# DataSegmentLength MUST NOT exceed MaxRecvDataSegmentLength for the
  //# direction it is sent, and the total of all the DataSegmentLength of all
  //# PDUs in a sequence MUST NOT exceed MaxBurstLength
  const auto left = static_cast<std::uint32_t>(size_ - offset_);
  const std::uint32_t len = std::min({segment_, left, burst_ - in_burst_});
  in_burst_ += len;
  //= rfc7143#section-11.7.1
  //# For incoming data, this bit is 1 for the last input (read) data PDU of a sequence.
  //= rfc7143#section-11.8
  //# If DataPDUInOrder is set to Yes, the buffer offsets and lengths for
  //# consecutive PDUs MUST form a continuous non-overlapping range, and the
  //# PDUs MUST be sent in increasing offset order.
  //= rfc7143#section-13.19
  //# If DataSequenceInOrder is set to Yes, data sequences MUST be transferred
  //# using continuously non-decreasing sequence offsets (R2T buffer offset
  //# for writes, or the smallest SCSI Data-In buffer offset within a read
  //# data sequence).
  const data_in_chunk c{offset_, len, sn_++, len == left || in_burst_ == burst_, len == left};
  if (in_burst_ == burst_) in_burst_ = 0;
  offset_ += len;
  return c;
}

}  // namespace touchstone::target
