// NOP-Out validation rules.
#include "touchstone/pdu/nop_out.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_nop_out(const pdu& p, violations& out) {
  const nop_out_view v{p};
  // rfc7143 section 11.18, in our words:
  // byte 1 is F=1 followed by reserved bits
  check::require(out, v.final_bit(), "rfc7143#section-11.18/f-bit-set", severity::protocol_error,
                 "NOP-Out F bit is not 1");
  check::reserved_bits(out, p, 1, 0x7f, "rfc7143#section-11.18/byte1-reserved",
                       "NOP-Out byte 1 reserved bits set");
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.18/bytes2-3-reserved",
                        "NOP-Out bytes 2-3 reserved and set");
  check::reserved_bytes(out, p, 32, 48, "rfc7143#section-11.18/bytes32-47-reserved",
                        "NOP-Out bytes 32-47 reserved and set");
  //= rfc7143#section-11.18.1
  //# If the Initiator Task Tag contains 0xffffffff, the I bit MUST be set to 1
  check::require(out, v.is_ping_request() || v.immediate(),
                 "rfc7143#section-11.18.1/itt-reserved-needs-i-bit", severity::protocol_error,
                 "NOP-Out with ITT 0xffffffff does not have the I bit set");
}

}  // namespace touchstone::pdu::detail
