// Logout Response validation rules (RFC 7143 section 11.15).
#include "touchstone/pdu/logout_response.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

void check_reserved(const pdu& p, violations& out) {
  // rfc7143 section 11.15, in our words:
  // |1| Reserved | Response | Reserved |; bytes 8-15, 20-23, 36-39 and 44-47 reserved
  check::reserved_bits(out, p, 1, 0x7f, "rfc7143#section-11.15/byte1-reserved",
                       "Logout Response byte 1 reserved bits set");
  check::reserved_bytes(out, p, 3, 4, "rfc7143#section-11.15/byte3-reserved",
                        "Logout Response byte 3 reserved and set");
  check::reserved_bytes(out, p, 8, 16, "rfc7143#section-11.15/bytes8-15-reserved",
                        "Logout Response bytes 8-15 reserved and set");
  check::reserved_bytes(out, p, 20, 24, "rfc7143#section-11.15/bytes20-23-reserved",
                        "Logout Response bytes 20-23 reserved and set");
  check::reserved_bytes(out, p, 36, 40, "rfc7143#section-11.15/bytes36-39-reserved",
                        "Logout Response bytes 36-39 reserved and set");
  check::reserved_bytes(out, p, 44, 48, "rfc7143#section-11.15/bytes44-47-reserved",
                        "Logout Response bytes 44-47 reserved and set");
}

}  // namespace

void validate_logout_response(const pdu& p, violations& out) {
  const logout_response_view v{p};
  // rfc7143 section 11.15, in our words:
  // byte 1 bit 0 is 1
  check::require(out, v.final_bit(), "rfc7143#section-11.15/f-bit-set", severity::protocol_error,
                 "Logout Response F bit is not 1");
  check_reserved(p, out);
  //= rfc7143#section-11.15.1
  //# Response field settings are as follows: 0 ... 3
  check::require(out, is_assigned(v.response()), "rfc7143#section-11.15.1/response-code-unassigned",
                 severity::protocol_error, "Logout Response uses an unassigned response code");
  //= rfc7143#section-11.15.2
  //# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
  check::require(out, v.data_segment_length() == 0, "rfc7143#section-11.15.2/no-data-segment",
                 severity::protocol_error, "Logout Response carries a data segment");
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/logout-response-itt-not-reserved",
                 severity::protocol_error, "Logout Response for ITT 0xffffffff");
}

}  // namespace touchstone::pdu::detail
