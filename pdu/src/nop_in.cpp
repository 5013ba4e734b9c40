// NOP-In validation rules (RFC 7143 section 11.19).
#include "touchstone/pdu/nop_in.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_nop_in(const pdu& p, violations& out) {
  const nop_in_view v{p};
  // rfc7143 section 11.19, in our words:
  // byte 1 is 1 followed by reserved bits; bytes 2-3 and 36-47 reserved
  check::require(out, v.final_bit(), "rfc7143#section-11.19/f-bit-set", severity::protocol_error,
                 "NOP-In F bit is not 1");
  check::reserved_bits(out, p, 1, 0x7f, "rfc7143#section-11.19/byte1-reserved",
                       "NOP-In byte 1 reserved bits set");
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.19/bytes2-3-reserved",
                        "NOP-In bytes 2-3 reserved and set");
  check::reserved_bytes(out, p, 36, 48, "rfc7143#section-11.19/bytes36-47-reserved",
                        "NOP-In bytes 36-47 reserved and set");
  //= rfc7143#section-11.19
  //# For such a response, the Target Transfer Tag MUST be 0xffffffff.
  check::require(out, !v.is_ping_response() || !v.is_ping_request(),
                 "rfc7143#section-11.19/response-ttt-reserved", severity::protocol_error,
                 "NOP-In answering a NOP-Out has a TTT other than 0xffffffff");
  // rfc7143 section 11.19, in our words:
  // when a target sends a NOP-In that is not a response to a NOP-Out ..., the
  // data segment MUST NOT contain any data (DataSegmentLength MUST be 0).
  check::require(out, v.is_ping_response() || v.data_segment_length() == 0,
                 "rfc7143#section-11.19/unsolicited-no-data", severity::protocol_error,
                 "NOP-In with ITT 0xffffffff carries data");
  //= rfc7143#section-11.19.3
  //# A LUN MUST be set to a correct value when the Target Transfer Tag is valid
  // and the figure marks it "LUN or Reserved" otherwise.
  check::require(out, v.is_ping_request() || p.header().zero(8, 16),
                 "rfc7143#section-11.19.3/lun-reserved-without-ttt", severity::reserved_field,
                 "NOP-In LUN set with TTT 0xffffffff");
}

}  // namespace touchstone::pdu::detail
