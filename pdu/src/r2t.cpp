// R2T validation rules (RFC 7143 section 11.8).
#include "touchstone/pdu/r2t.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_r2t(const pdu& p, violations& out) {
  const r2t_view v{p};
  // rfc7143 section 11.8, in our words:
  // byte 1 is 1 followed by reserved bits; bytes 2-3 reserved
  check::require(out, v.final_bit(), "rfc7143#section-11.8/f-bit-set", severity::protocol_error,
                 "R2T F bit is not 1");
  check::reserved_bits(out, p, 1, 0x7f, "rfc7143#section-11.8/byte1-reserved",
                       "R2T byte 1 reserved bits set");
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.8/bytes2-3-reserved",
                        "R2T bytes 2-3 reserved and set");
  //= rfc7143#section-11.8.1
  //# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
  check::require(out, v.data_segment_length() == 0, "rfc7143#section-11.8.1/no-data-segment",
                 severity::protocol_error, "R2T carries a data segment");
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/r2t-itt-not-reserved", severity::protocol_error,
                 "R2T for ITT 0xffffffff");
  //= rfc7143#section-11.8.4
  //# The Desired Data Transfer Length MUST NOT be 0
  check::require(out, v.desired_data_transfer_length() != 0,
                 "rfc7143#section-11.8.4/desired-length-nonzero", severity::protocol_error,
                 "R2T Desired Data Transfer Length is 0");
  //= rfc7143#section-11.8.5
  //# the value 0xffffffff is reserved and MUST NOT be sent by a target in an R2T
  check::require(out, v.target_transfer_tag() != reserved_tag,
                 "rfc7143#section-11.8.5/ttt-not-reserved", severity::protocol_error,
                 "R2T Target Transfer Tag is 0xffffffff");
}

}  // namespace touchstone::pdu::detail
