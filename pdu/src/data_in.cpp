// SCSI Data-In validation rules (RFC 7143 section 11.7).
#include "touchstone/pdu/data_in.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

//= rfc7143#section-11.7
//# Status can accompany the last Data-In PDU if the command did not end with
//# an exception (i.e., the status is "good status" -- GOOD, CONDITION MET, or
//# INTERMEDIATE-CONDITION MET).
// 11.7.3 adds INTERMEDIATE to the list.
bool is_good_status(scsi_status s) {
  return s == scsi_status::good || s == scsi_status::condition_met ||
         s == scsi_status::intermediate || s == scsi_status::intermediate_condition_met;
}

void check_flags(const pdu& p, const data_in_view& v, violations& out) {
  //= rfc7143#section-11.7.3
  //# bit 2-4 - Reserved.
  check::reserved_bits(out, p, data_in_offset::flags, data_in_flag::reserved,
                       "rfc7143#section-11.7.3/data-in-reserved-flag-bits",
                       "Data-In byte 1 reserved bits set");
  //= rfc7143#section-11.7.3
  //# If this bit is set to 1, the F bit MUST also be set to 1.
  check::require(out, !v.has_status() || v.final_bit(), "rfc7143#section-11.7.3/data-in-s-needs-f",
                 severity::protocol_error, "Data-In S bit set without F bit");
  //= rfc7143#section-11.7.3
  //# bit 5-6 - used the same as in a SCSI Response. These bits are only valid when S is set to 1.
  check::require(out, v.has_status() || !(v.residual_overflow() || v.residual_underflow()),
                 "rfc7143#section-11.7.3/data-in-o-u-need-s", severity::reserved_field,
                 "Data-In O or U set without S");
  //= rfc7143#section-11.4.1
  //# having both o and u or O and U set to 1 is a protocol error
  check::require(out, !(v.residual_overflow() && v.residual_underflow()),
                 "rfc7143#section-11.4.1/data-in-o-u-exclusive", severity::protocol_error,
                 "Data-In has both O and U set");
}

void check_status_fields(const pdu& p, const data_in_view& v, violations& out) {
  check::reserved_bytes(out, p, 2, 3, "rfc7143#section-11.7/data-in-byte2-reserved",
                        "Data-In byte 2 reserved and set");
  if (!v.has_status()) {
    // rfc7143 section 11.7, in our words:
    // |Status or Rsvd| ... StatSN or Reserved
    check::reserved_bytes(out, p, data_in_offset::status, data_in_offset::status + 1,
                          "rfc7143#section-11.7/data-in-status-reserved-without-s",
                          "Data-In Status set without S");
    check::reserved_bytes(out, p, data_in_offset::stat_sn, data_in_offset::stat_sn + 4,
                          "rfc7143#section-11.7/data-in-stat-sn-reserved-without-s",
                          "Data-In StatSN set without S");
    return;
  }
  //= rfc7143#section-11.7.3
  //# If the command is completed with an error, then the response and sense data
  //# MUST be sent in a SCSI Response PDU (i.e., MUST NOT be sent in a SCSI data packet).
  check::require(out, is_good_status(v.status()),
                 "rfc7143#section-11.7.3/data-in-status-not-exception", severity::protocol_error,
                 "Data-In carries an exception status");
}

void check_tags(const pdu& p, const data_in_view& v, violations& out) {
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/data-in-itt-not-reserved", severity::protocol_error,
                 "Data-In for ITT 0xffffffff");
  const auto ttt = v.target_transfer_tag();
  //= rfc7143#section-11.7.4
  //# On incoming data, the Target Transfer Tag and LUN MUST be provided by
  //# the target if the A bit is set to 1; otherwise, they are reserved.
  check::require(out, !v.acknowledge() || ttt != reserved_tag,
                 "rfc7143#section-11.7.4/data-in-a-bit-needs-ttt", severity::protocol_error,
                 "Data-In A bit set with TTT 0xffffffff");
  //= rfc7143#section-11.7.4
  //# The Target Transfer Tag values are not specified by this protocol,
  //# except that the value 0xffffffff is reserved and means that the
  //# Target Transfer Tag is not supplied.
  // With A=0 the field is reserved: zero, as section 11 asks of reserved
  // fields, or 0xffffffff, the value that says "not supplied" (the layout's
  // "Target Transfer Tag or 0xffffffff"). Any other value is a tag the
  // target supplied where it may not.
  const bool ttt_supplied = v.acknowledge() && ttt != reserved_tag;
  check::require(out, v.acknowledge() || ttt == 0 || ttt == reserved_tag,
                 "rfc7143#section-11.7.4/data-in-ttt-reserved-without-a", severity::reserved_field,
                 "Data-In TTT supplied without the A bit");
  //= rfc7143#section-11.7.4
  //# If the Target Transfer Tag is provided, then the LUN field MUST hold a
  //# valid value and be consistent with whatever was specified with the
  //# command; otherwise, the LUN field is reserved.
  check::require(out, ttt_supplied || p.header().zero(8, 16),
                 "rfc7143#section-11.7.4/data-in-lun-reserved-without-ttt",
                 severity::reserved_field, "Data-In LUN set without a TTT");
}

}  // namespace

void validate_data_in(const pdu& p, violations& out) {
  const data_in_view v{p};
  check_flags(p, v, out);
  check_status_fields(p, v, out);
  check_tags(p, v, out);
  //= rfc7143#section-11.7.7
  //# The data segments of Data-In and Data-Out PDUs SHOULD be filled to the
  //# integer number of 4-byte words (real payload), unless the F bit is set to 1.
  check::require(out, v.final_bit() || v.data_segment_length() % 4 == 0,
                 "rfc7143#section-11.7.7/data-in-whole-words-unless-final", severity::should,
                 "non-final Data-In data segment is not a whole number of words");
}

}  // namespace touchstone::pdu::detail
