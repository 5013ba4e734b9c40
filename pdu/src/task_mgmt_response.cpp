// Task Management Function Response validation rules (RFC 7143 section 11.6).
#include "touchstone/pdu/task_mgmt_response.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

void check_reserved(const pdu& p, violations& out) {
  // rfc7143 section 11.6, in our words:
  // |1| Reserved | Response | Reserved |; bytes 8-15, 20-23 and 36-47 reserved
  check::reserved_bits(out, p, 1, 0x7f, "rfc7143#section-11.6/byte1-reserved",
                       "TMF Response byte 1 reserved bits set");
  check::reserved_bytes(out, p, 3, 4, "rfc7143#section-11.6/byte3-reserved",
                        "TMF Response byte 3 reserved and set");
  check::reserved_bytes(out, p, 8, 16, "rfc7143#section-11.6/bytes8-15-reserved",
                        "TMF Response bytes 8-15 reserved and set");
  check::reserved_bytes(out, p, 20, 24, "rfc7143#section-11.6/bytes20-23-reserved",
                        "TMF Response bytes 20-23 reserved and set");
  check::reserved_bytes(out, p, 36, 48, "rfc7143#section-11.6/bytes36-47-reserved",
                        "TMF Response bytes 36-47 reserved and set");
}

}  // namespace

void validate_task_mgmt_response(const pdu& p, violations& out) {
  const task_mgmt_response_view v{p};
  // rfc7143 section 11.6, in our words:
  // byte 1 bit 0 is 1
  check::require(out, v.final_bit(), "rfc7143#section-11.6/f-bit-set", severity::protocol_error,
                 "TMF Response F bit is not 1");
  check_reserved(p, out);
  //= rfc7143#section-11.6.1
  //# The target provides a response, which may take on the following values
  check::require(out, is_assigned(v.response()), "rfc7143#section-11.6.1/response-code-unassigned",
                 severity::protocol_error, "TMF Response uses an unassigned response code");
  //= rfc7143#section-11.6.2
  //# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
  check::require(out, v.data_segment_length() == 0, "rfc7143#section-11.6.2/no-data-segment",
                 severity::protocol_error, "TMF Response carries a data segment");
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/task-mgmt-response-itt-not-reserved",
                 severity::protocol_error, "TMF Response for ITT 0xffffffff");
}

}  // namespace touchstone::pdu::detail
