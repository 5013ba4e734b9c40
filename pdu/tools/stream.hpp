// Runs one direction of an iSCSI byte stream through the codec's framer and
// describes every PDU; stops at the first framing error and says where.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "describe.hpp"
#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/text.hpp"
#include "touchstone/pdu/validate.hpp"

namespace touchstone::pdu_tool {

struct pdu_report {
  std::uint64_t offset = 0;      // stream offset of the BHS
  std::uint64_t wire_size = 0;   // bytes on the wire: header, digests, data, padding
  std::vector<field_value> fields;
  std::vector<detail> details;
  // Login/Text: the key=value pairs once the sequence (C=0) is complete.
  std::optional<pdu::text_pairs> pairs;
  std::string text_note;  // why pairs are absent (continued, malformed)
  pdu::violations violations;
};

struct stream_error {
  std::string kind;  // "truncated", "header-digest", "data-digest", "data-segment-too-long"
  std::uint64_t offset = 0;  // the byte where the problem is
  std::uint64_t pdu_offset = 0;
  std::string message;
};

struct stream_report {
  std::uint64_t input_size = 0;
  std::vector<pdu_report> pdus;
  std::optional<stream_error> error;
};

stream_report decode_stream(pdu::bytes_view bytes, pdu::framer_limits limits);

}  // namespace touchstone::pdu_tool
