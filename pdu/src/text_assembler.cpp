// Reassembly of a logical text data segment from a chain of PDUs (C bit).
#include <algorithm>

#include "touchstone/pdu/text.hpp"

namespace touchstone::pdu {

text_assembler::text_assembler(std::size_t max_bytes, std::size_t max_value_length)
    //= rfc7143#section-6.1
    //# Any iSCSI target or initiator MUST support receiving at least 8192 bytes
    //# of key=value data in a negotiation sequence.
    : max_bytes_(std::max(max_bytes, min_text_sequence_bytes)),
      max_value_length_(max_value_length) {}

void text_assembler::reset() {
  buffer_.clear();
  complete_ = false;
}

result<text_assembler::state, text_error> text_assembler::add(bytes_view segment,
                                                              bool continue_bit) {
  if (complete_) return fail(text_error::sequence_complete);
  // Checked before appending: an over-long sequence never grows the buffer.
  if (segment.size() > max_bytes_ - buffer_.size()) return fail(text_error::sequence_too_long);
  buffer_.insert(buffer_.end(), segment.begin(), segment.end());
  //= rfc7143#section-6.1
  //# Data segments in a series of PDUs that have the C bit set to 1 and end with
  //# a PDU that has the C bit set to 0 ... have to be considered as forming a
  //# single logical-text-data-segment (LTDS).
  complete_ = !continue_bit;
  return complete_ ? state::complete : state::need_more;
}

result<text_pairs, text_error> text_assembler::take() {
  if (!complete_) return fail(text_error::sequence_incomplete);
  auto parsed = parse_text(bytes_view{buffer_}, max_value_length_);
  reset();
  return parsed;
}

}  // namespace touchstone::pdu
