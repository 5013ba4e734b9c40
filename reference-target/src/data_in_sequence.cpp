// Data-In sequencing (data_in_sequence.hpp).
#include "touchstone/target/data_in_sequence.hpp"

#include <algorithm>

namespace touchstone::target {

namespace {

std::uint32_t ceil_div(std::size_t a, std::uint32_t b) { return static_cast<std::uint32_t>((a + b - 1) / b); }

}  // namespace

//= rfc7143#section-4.2.2.4
//# For any read or bidirectional command, a target MUST issue less than 2**32 combined R2T and
//# Data-In PDUs.
// size is at most an EDTL (< 2**32 bytes); a PDU is cut short only at the end
// of a burst or of the data, and segment and burst are at least 512 bytes
// (the minimums of 13.12 and 13.13): fewer than 2**25 Data-In PDUs. A
// bidirectional command's R2Ts (its write is 256 MiB at most) are fewer than 2**20.
data_in_sequence::data_in_sequence(std::size_t size, std::uint32_t max_segment, std::uint32_t max_burst)
    : size_(size), segment_(std::max<std::uint32_t>(max_segment, 1)),
      burst_(std::max<std::uint32_t>(max_burst, segment_)), per_burst_(ceil_div(burst_, segment_)) {
  // Each full burst is cut into ceil(burst / segment) PDUs, the rest likewise.
  count_ = static_cast<std::uint32_t>(size_ / burst_) * per_burst_ + ceil_div(size_ % burst_, segment_);
}

void data_in_sequence::rewind_to(std::uint32_t data_sn) {
  sn_ = data_sn;
  in_burst_ = (data_sn % per_burst_) * segment_;
  offset_ = (data_sn / per_burst_) * burst_ + in_burst_;
}

}  // namespace touchstone::target
