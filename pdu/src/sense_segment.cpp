// The SenseLength-prefixed data segment of SCSI Response and Async Message.
#include "touchstone/pdu/sense_segment.hpp"

#include <algorithm>

namespace touchstone::pdu {

std::string_view name(sense_segment_error e) {
  switch (e) {
    case sense_segment_error::truncated_sense_length: return "truncated SenseLength";
    case sense_segment_error::sense_length_overrun: return "SenseLength beyond the data segment";
  }
  return "unknown";
}

result<sense_segment, sense_segment_error> parse_sense_segment(bytes_view data) {
  //= rfc7143#section-11.4.7
  //# If the DataSegmentLength is not 0, the format of the data segment is as follows
  if (data.empty()) return sense_segment{};
  if (data.size() < sense_length_size) return fail(sense_segment_error::truncated_sense_length);
  const std::size_t sense_length = load_be16(data.data());
  const auto after_length = data.subspan(sense_length_size);
  //= rfc7143#section-11.4.7.1
  //# This field indicates the length of Sense Data.
  if (sense_length > after_length.size()) return fail(sense_segment_error::sense_length_overrun);
  return sense_segment{after_length.first(sense_length), after_length.subspan(sense_length)};
}

byte_buffer make_sense_segment(std::uint16_t sense_length, bytes_view sense, bytes_view trailing) {
  byte_buffer out(sense_length_size);
  store_be16(out.data(), sense_length);
  out.insert(out.end(), sense.begin(), sense.end());
  out.insert(out.end(), trailing.begin(), trailing.end());
  return out;
}

byte_buffer make_sense_segment(bytes_view sense, bytes_view trailing) {
  const auto kept = sense.first(std::min(sense.size(), max_sense_length));
  return make_sense_segment(static_cast<std::uint16_t>(kept.size()), kept, trailing);
}

}  // namespace touchstone::pdu
