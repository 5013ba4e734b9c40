// The read side of a task's data transfer (task_transfer.hpp has the write
// side), sans-I/O: which bytes of the read data each Data-In PDU carries,
// its DataSN, and where each sequence (burst) ends (RFC 7143 sections
// 11.7.1, 11.7.5, 13.13, 13.19). data_in_stream builds the PDUs from it.
//
// Positions follow from the DataSN alone (full bursts of whole segments,
// then the rest), so a resend from a BegRun (SNACK, ErrorRecoveryLevel 1,
// not implemented) is rewind_to(BegRun) and next() again.
#pragma once

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
  // The next PDU's chunk; only while !done().
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

}  // namespace touchstone::target
