// The data segment that SCSI Response (11.4.7) and Asynchronous Message
// (11.9.4) share: a 2-byte SenseLength, the sense data, then response data
// (SCSI Response) or iSCSI event data (Asynchronous Message). The sense bytes
// themselves are SPC's business and stay unparsed here.
#pragma once

#include <cstdint>
#include <string_view>

#include "touchstone/pdu/result.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::pdu {

//= rfc7143#section-11.4.7
//# 0|SenseLength | Sense Data ... y/ Response Data
inline constexpr std::size_t sense_length_size = 2;
inline constexpr std::size_t max_sense_length = 0xffff;

struct sense_segment {
  bytes_view sense;     // exactly SenseLength bytes
  bytes_view trailing;  // response data or iSCSI event data after the sense
};

enum class sense_segment_error : std::uint8_t {
  truncated_sense_length,  // a 1-byte segment cannot hold the 2-byte SenseLength
  sense_length_overrun,    // SenseLength reaches beyond the data segment
};

std::string_view name(sense_segment_error e);

// An empty data segment is legal (DataSegmentLength 0) and parses to empty
// sense and trailing data. Never reads outside data.
result<sense_segment, sense_segment_error> parse_sense_segment(bytes_view data);

// SenseLength, sense, trailing: the inverse of parse_sense_segment. Sense data
// beyond max_sense_length bytes cannot be described and is cut there.
byte_buffer make_sense_segment(bytes_view sense, bytes_view trailing = {});

// The same with any SenseLength written as given, consistent or not, so that
// negative tests can describe more sense data than the segment holds.
byte_buffer make_sense_segment(std::uint16_t sense_length, bytes_view sense,
                               bytes_view trailing = {});

}  // namespace touchstone::pdu
