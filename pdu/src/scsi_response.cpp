// SCSI Response validation rules (RFC 7143 section 11.4).
#include "touchstone/pdu/scsi_response.hpp"

#include <cstdio>

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

bool is_completed(const scsi_response_view& v) {
  return v.response() == iscsi_response::command_completed;
}

// SAM-5's status codes; 22h is obsolete (not reserved), as are the
// INTERMEDIATE ones (10h, 14h): every other value is reserved.
bool defined_status(scsi_status s) {
  switch (s) {
    case scsi_status::good: case scsi_status::check_condition: case scsi_status::condition_met:
    case scsi_status::busy: case scsi_status::intermediate: case scsi_status::intermediate_condition_met:
    case scsi_status::reservation_conflict: case scsi_status::task_set_full: case scsi_status::aca_active:
    case scsi_status::task_aborted: return true;
    default: return static_cast<std::uint8_t>(s) == 0x22;
  }
}

void check_flags(const pdu& p, const scsi_response_view& v, violations& out) {
  // rfc7143 section 11.4, in our words:
  // byte 1 bit 0 is 1
  check::require(out, v.final_bit(), "rfc7143#section-11.4/byte1-bit0-set",
                 severity::protocol_error, "SCSI Response byte 1 bit 0 is not 1");
  // rfc7143 section 11.4.1, in our words:
  // bit 1-2 Reserved. bit 7 - (0) Reserved.
  check::reserved_bits(out, p, scsi_response_offset::flags, 0x61,
                       "rfc7143#section-11.4.1/reserved-flag-bits",
                       "SCSI Response byte 1 reserved bits set");
  //= rfc7143#section-11.4.1
  //# having both o and u or O and U set to 1 is a protocol error
  check::require(out, !(v.residual_overflow() && v.residual_underflow()),
                 "rfc7143#section-11.4.1/o-u-exclusive", severity::protocol_error,
                 "SCSI Response has both O and U set");
  check::require(out, !(v.bidi_read_overflow() && v.bidi_read_underflow()),
                 "rfc7143#section-11.4.1/bidi-o-u-exclusive", severity::protocol_error,
                 "SCSI Response has both o and u set");
  // The receiver ignores these flags on a failure (11.4.3), so a set one is
  // a sender violation to log rather than a reason to reject.
  //= rfc7143#section-11.4.1
  //# For a response other than "Command Completed at Target", bits 3-6 MUST be 0.
  check::require(out, is_completed(v) || (v.flags() & residual_flag::all) == 0,
                 "rfc7143#section-11.4.1/residual-flags-only-when-completed",
                 severity::reserved_field, "SCSI Response failure carries residual flags");
}

void check_codes(const scsi_response_view& v, violations& out) {
  //= rfc7143#section-11.4.3
  //# All other response codes are reserved.
  check::require(out, !is_reserved(v.response()), "rfc7143#section-11.4.3/response-code-reserved",
                 severity::protocol_error, "SCSI Response uses a reserved response code");
  //= sam5#5.3.1
  //# status codes
  // The Status byte is valid only with Command Completed at Target (11.4.2);
  // a value SAM-5 does not define is reserved, and section 11 makes a
  // reserved code value a protocol error.
  check::require(out, !is_completed(v) || defined_status(v.status()), "sam5#5.3.1/status-reserved",
                 severity::protocol_error, "SCSI Response carries a reserved SCSI status code");
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/scsi-response-itt-not-reserved",
                 severity::protocol_error, "SCSI Response answers ITT 0xffffffff");
  //= rfc7143#section-11.4.8
  //# This field MUST be 0 if the response code is not Command Completed at Target
  check::require(out, is_completed(v) || v.exp_data_sn() == 0,
                 "rfc7143#section-11.4.8/exp-data-sn-zero-on-failure", severity::protocol_error,
                 "SCSI Response failure carries a non-zero ExpDataSN");
}

void check_residuals(const pdu& p, const scsi_response_view& v, violations& out) {
  check::reserved_bytes(out, p, 8, 16, "rfc7143#section-11.4/bytes8-15-reserved",
                        "SCSI Response bytes 8-15 reserved and set");
  //= rfc7143#section-11.4.5.1
  //# If neither bit is set, the Residual Count field ... SHOULD be set to 0 when sending.
  check::require(out, v.residual_overflow() || v.residual_underflow() || v.residual_count() == 0,
                 "rfc7143#section-11.4.5.1/residual-count-zero-without-o-u", severity::should,
                 "SCSI Response Residual Count set without O or U");
  //= rfc7143#section-11.4.6
  //# If neither bit is set, the Bidirectional Read Residual Count field is reserved.
  check::require(
      out, v.bidi_read_overflow() || v.bidi_read_underflow() || v.bidi_read_residual_count() == 0,
      "rfc7143#section-11.4.6/bidi-residual-reserved-without-o-u", severity::reserved_field,
      "SCSI Response Bidirectional Read Residual Count set without o or u");
}

void check_data_segment(const scsi_response_view& v, violations& out) {
  const auto segment = v.sense_and_response_data();
  //= rfc7143#section-11.4.7
  //# 0|SenseLength | Sense Data ... y/ Response Data
  check::require(out, segment.has_value(), "rfc7143#section-11.4.7/sense-segment-well-formed",
                 severity::protocol_error, "SCSI Response SenseLength exceeds the data segment");
  if (!segment || !is_completed(v)) return;
  //= rfc7143#section-11.4.7
  //# If Status is CHECK CONDITION (0x02), then the data segment MUST contain sense data
  check::require(out, v.status() != scsi_status::check_condition || !segment->sense.empty(),
                 "rfc7143#section-11.4.7/check-condition-carries-sense", severity::protocol_error,
                 "SCSI Response CHECK CONDITION without sense data");
}

}  // namespace

void validate_scsi_response(const pdu& p, violations& out) {
  const scsi_response_view v{p};
  check_flags(p, v, out);
  check_codes(v, out);
  check_residuals(p, v, out);
  check_data_segment(v, out);
}

}  // namespace touchstone::pdu::detail

namespace touchstone::pdu {

std::string_view scsi_status_name(std::uint8_t status) {
  switch (static_cast<scsi_status>(status)) {
    case scsi_status::good: return "GOOD";
    case scsi_status::check_condition: return "CHECK CONDITION";
    case scsi_status::condition_met: return "CONDITION MET";
    case scsi_status::busy: return "BUSY";
    case scsi_status::intermediate: return "INTERMEDIATE";
    case scsi_status::intermediate_condition_met: return "INTERMEDIATE-CONDITION MET";
    case scsi_status::reservation_conflict: return "RESERVATION CONFLICT";
    case scsi_status::task_set_full: return "TASK SET FULL";
    case scsi_status::aca_active: return "ACA ACTIVE";
    case scsi_status::task_aborted: return "TASK ABORTED";
  }
  return {};
}

std::string scsi_status_text(std::uint8_t status) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", status);
  const auto named = scsi_status_name(status);
  if (named.empty()) return std::string("reserved status ") + hex;
  return std::string(named) + " (" + hex + ")";
}

}  // namespace touchstone::pdu
