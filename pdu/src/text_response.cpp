// Text Response validation rules (RFC 7143 section 11.11).
#include "touchstone/pdu/text_response.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

void check_reserved(const pdu& p, violations& out) {
  // rfc7143 section 11.11, in our words:
  // |F|C| Reserved; bytes 36-47 reserved
  check::reserved_bits(out, p, text_response_offset::flags, 0x3f,
                       "rfc7143#section-11.11/byte1-reserved",
                       "Text Response byte 1 reserved bits set");
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.11/bytes2-3-reserved",
                        "Text Response bytes 2-3 reserved and set");
  check::reserved_bytes(out, p, 36, 48, "rfc7143#section-11.11/bytes36-47-reserved",
                        "Text Response bytes 36-47 reserved and set");
}

void check_final_and_tag(const pdu& p, const text_response_view& v, violations& out) {
  const bool ttt_valid = v.target_transfer_tag() != reserved_tag;
  //= rfc7143#section-11.11.2
  //# A Text Response with the C bit set to 1 MUST have the F bit set to 0.
  check::require(out, !(v.continue_bit() && v.final_bit()),
                 "rfc7143#section-11.11.2/c-bit-needs-f-clear", severity::protocol_error,
                 "Text Response has both C and F set");
  //= rfc7143#section-11.11.1
  //# A Text Response with the F bit set to 1 MUST have a Target Transfer Tag
  //# field set to the reserved value 0xffffffff.
  check::require(out, !v.final_bit() || !ttt_valid, "rfc7143#section-11.11.1/final-ttt-reserved",
                 severity::protocol_error, "final Text Response has a TTT");
  //= rfc7143#section-11.11.1
  //# A Text Response with the F bit set to 0 MUST have a Target Transfer Tag
  //# field set to a value other than the reserved value 0xffffffff.
  check::require(out, v.final_bit() || ttt_valid, "rfc7143#section-11.11.1/partial-ttt-valid",
                 severity::protocol_error, "non-final Text Response has TTT 0xffffffff");
  //= rfc7143#section-11.11.4
  //# When the Target Transfer Tag is not 0xffffffff, the LUN field may be significant.
  // and the figure marks it "LUN or Reserved" otherwise.
  check::require(out, ttt_valid || p.header().zero(8, 16),
                 "rfc7143#section-11.11.4/lun-reserved-without-ttt", severity::reserved_field,
                 "Text Response LUN set with TTT 0xffffffff");
}

}  // namespace

void validate_text_response(const pdu& p, violations& out) {
  const text_response_view v{p};
  check_reserved(p, out);
  check_final_and_tag(p, v, out);
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/text-response-itt-not-reserved",
                 severity::protocol_error, "Text Response for ITT 0xffffffff");
}

}  // namespace touchstone::pdu::detail
