// Text Request validation rules: one PDU at a time; the sequence rules (same
// ITT and I bit throughout, one outstanding request) need connection state.
#include "touchstone/pdu/text_request.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_text_request(const pdu& p, violations& out) {
  const text_request_view v{p};
  // rfc7143 section 11.10, in our words:
  // byte 1 is F|C|Reserved; bytes 2-3 and 32-47 are Reserved
  check::reserved_bits(out, p, text_request_offset::flags, 0x3f,
                       "rfc7143#section-11.10/text-byte1-reserved",
                       "Text Request byte 1 reserved bits set");
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.10/text-bytes2-3-reserved",
                        "Text Request bytes 2-3 reserved and set");
  check::reserved_bytes(out, p, 32, 48, "rfc7143#section-11.10/text-bytes32-47-reserved",
                        "Text Request bytes 32-47 reserved and set");
  //= rfc7143#section-11.10.2
  //# A Text Request with the C bit set to 1 MUST have the F bit set to 0.
  //= rfc7143#section-6.2
  //# As negotiation text may span PDU boundaries, a Text or Login Request or a Text or Login
  //# Response PDU that has the C bit set to 1 MUST NOT have the F bit or T bit set to 1.
  check::require(out, !(v.continue_bit() && v.final_bit()),
                 "rfc7143#section-11.10.2/continue-forbids-final", severity::protocol_error,
                 "Text Request has both C and F set");
  //= rfc7143#section-11.2.1.5
  //# The TotalAHSLength is only used in PDUs that have an AHS and MUST be 0 in all other PDUs.
  check::require(out, v.total_ahs_length() == 0, "rfc7143#section-11.2.1.5/text-request-no-ahs",
                 severity::protocol_error, "Text Request carries AHS");
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/text-request-itt-not-reserved", severity::protocol_error,
                 "Text Request uses the reserved ITT 0xffffffff");
}

}  // namespace touchstone::pdu::detail
