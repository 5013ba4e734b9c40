// Logout Request validation rules.
#include "touchstone/pdu/logout_request.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

void check_reserved(const pdu& p, const logout_request_view& v, violations& out) {
  // rfc7143 section 11.14, in our words:
  // bytes 2-3, 8-15, 22-23 and 32-47 are Reserved
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.14/logout-bytes2-3-reserved",
                        "Logout Request bytes 2-3 reserved and set");
  check::reserved_bytes(out, p, 8, 16, "rfc7143#section-11.14/logout-bytes8-15-reserved",
                        "Logout Request bytes 8-15 reserved and set");
  check::reserved_bytes(out, p, 22, 24, "rfc7143#section-11.14/logout-bytes22-23-reserved",
                        "Logout Request bytes 22-23 reserved and set");
  check::reserved_bytes(out, p, 32, 48, "rfc7143#section-11.14/logout-bytes32-47-reserved",
                        "Logout Request bytes 32-47 reserved and set");
  // rfc7143 section 11.14, in our words:
  // bytes 20-21 are "CID or Reserved"
  //= rfc7143#section-11.14.3
  //# This field is only valid if the reason code is not "close the session".
  check::require(out, v.reason() != logout_reason::close_session || v.cid() == 0,
                 "rfc7143#section-11.14.3/cid-reserved-for-close-session", severity::reserved_field,
                 "Logout Request CID is reserved when closing the session");
}

}  // namespace

void validate_logout_request(const pdu& p, violations& out) {
  const logout_request_view v{p};
  // rfc7143 section 11.14, in our words:
  // byte 1 is 1|Reason Code: the F bit is always 1
  check::require(out, v.final_bit(), "rfc7143#section-11.14/f-bit-set", severity::protocol_error,
                 "Logout Request F bit is not 1");
  //= rfc7143#section-11.14.1
  //# All other values are reserved.
  check::require(out, is_assigned(v.reason()), "rfc7143#section-11.14.1/reason-code-reserved",
                 severity::protocol_error, "Logout Request reason code is a reserved value");
  check_reserved(p, v, out);
  //= rfc7143#section-11.14.2
  //# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
  check::require(out, v.total_ahs_length() == 0, "rfc7143#section-11.14.2/total-ahs-length-zero",
                 severity::protocol_error, "Logout Request carries AHS");
  check::require(out, v.data_segment_length() == 0,
                 "rfc7143#section-11.14.2/data-segment-length-zero", severity::protocol_error,
                 "Logout Request carries a data segment");
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/logout-request-itt-not-reserved",
                 severity::protocol_error, "Logout Request uses the reserved ITT 0xffffffff");
}

}  // namespace touchstone::pdu::detail
