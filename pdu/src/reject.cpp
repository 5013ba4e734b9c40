// Reject validation rules (RFC 7143 section 11.17).
#include "touchstone/pdu/reject.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

// rfc7143 section 11.16.1, in our words:
// 0 - Data/R2T SNACK (Type: the low four bits of SNACK byte 1)
constexpr std::uint8_t snack_type_mask = 0x0f;
constexpr std::uint8_t data_r2t_snack = 0;

bool rejects_data_r2t_snack(const reject_view& v) {
  const auto h = v.rejected_header();
  return h && h->op() == opcode::snack && (h->flags() & snack_type_mask) == data_r2t_snack;
}

void check_reserved(const pdu& p, violations& out) {
  // rfc7143 section 11.17, in our words:
  // |1| Reserved | Reason | Reserved |; bytes 8-15, 20-23 and 40-47 reserved
  check::reserved_bits(out, p, 1, 0x7f, "rfc7143#section-11.17/byte1-reserved",
                       "Reject byte 1 reserved bits set");
  check::reserved_bytes(out, p, 3, 4, "rfc7143#section-11.17/byte3-reserved",
                        "Reject byte 3 reserved and set");
  check::reserved_bytes(out, p, 8, 16, "rfc7143#section-11.17/bytes8-15-reserved",
                        "Reject bytes 8-15 reserved and set");
  check::reserved_bytes(out, p, 20, 24, "rfc7143#section-11.17/bytes20-23-reserved",
                        "Reject bytes 20-23 reserved and set");
  check::reserved_bytes(out, p, 40, 48, "rfc7143#section-11.17/bytes40-47-reserved",
                        "Reject bytes 40-47 reserved and set");
}

void check_reason(const reject_view& v, violations& out) {
  // rfc7143 section 11.17.1, in our words:
  // 0x01 Reserved ... All other values for Reason are unassigned.
  check::require(out, is_assigned(v.reason()), "rfc7143#section-11.17.1/reason-unassigned",
                 severity::protocol_error, "Reject uses a reserved or unassigned reason");
  //= rfc7143#section-11.17.1
  //# Reason code 0x0b ("Negotiation Reset") ... is deprecated and MUST NOT be used
  check::require(out, v.reason() != reject_reason::negotiation_reset,
                 "rfc7143#section-11.17.1/reason-negotiation-reset-deprecated",
                 severity::protocol_error, "Reject uses the deprecated reason 0x0b");
  //= rfc7143#section-11.17.2
  //# This field is only valid if the rejected PDU is a Data/R2T SNACK and the
  //# Reject reason code is "Protocol Error"
  check::require(out,
                 v.data_sn_or_r2t_sn() == 0 ||
                     (v.reason() == reject_reason::protocol_error && rejects_data_r2t_snack(v)),
                 "rfc7143#section-11.17.2/data-sn-reserved-unless-snack-protocol-error",
                 severity::reserved_field, "Reject DataSN/R2TSN set where it is reserved");
}

}  // namespace

void validate_reject(const pdu& p, violations& out) {
  const reject_view v{p};
  // rfc7143 section 11.17, in our words:
  // byte 1 bit 0 is 1; 16| 0xffffffff
  check::require(out, v.final_bit(), "rfc7143#section-11.17/f-bit-set", severity::protocol_error,
                 "Reject F bit is not 1");
  check::require(out, v.initiator_task_tag() == reserved_tag,
                 "rfc7143#section-11.17/itt-reserved-value", severity::protocol_error,
                 "Reject ITT is not 0xffffffff");
  check_reserved(p, out);
  check_reason(v, out);
  //= rfc7143#section-11.17.4
  //# The target returns the header (not including the digest) of the PDU in error
  //# as the data of the response.
  // A header longer than the initiator's MaxRecvDataSegmentLength may be cut
  // there (13.12's limit on what a receiver takes wins): at least 512 bytes.
  check::require(out, v.holds_complete_header() || v.holds_header_cut_at_limit(),
                 "rfc7143#section-11.17.4/carries-rejected-header",
                 severity::protocol_error, "Reject data segment lacks the rejected PDU's header");
}

}  // namespace touchstone::pdu::detail
