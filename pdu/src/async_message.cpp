// Asynchronous Message validation rules (RFC 7143 section 11.9).
#include "touchstone/pdu/async_message.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

void check_fixed_fields(const pdu& p, const async_message_view& v, violations& out) {
  // rfc7143 section 11.9, in our words:
  // |1| Reserved; bytes 20-23 and 44-47 reserved
  check::require(out, v.final_bit(), "rfc7143#section-11.9/f-bit-set", severity::protocol_error,
                 "Async Message F bit is not 1");
  check::reserved_bits(out, p, 1, 0x7f, "rfc7143#section-11.9/byte1-reserved",
                       "Async Message byte 1 reserved bits set");
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.9/bytes2-3-reserved",
                        "Async Message bytes 2-3 reserved and set");
  check::reserved_bytes(out, p, 20, 24, "rfc7143#section-11.9/bytes20-23-reserved",
                        "Async Message bytes 20-23 reserved and set");
  check::reserved_bytes(out, p, 44, 48, "rfc7143#section-11.9/bytes44-47-reserved",
                        "Async Message bytes 44-47 reserved and set");
  //= rfc7143#section-11.9
  //# 16| 0xffffffff
  check::require(out, v.initiator_task_tag() == reserved_tag,
                 "rfc7143#section-11.9/itt-reserved-value", severity::protocol_error,
                 "Async Message ITT is not 0xffffffff");
}

void check_event_fields(const pdu& p, const async_message_view& v, violations& out) {
  const auto e = v.event();
  //= rfc7143#section-11.9.1
  //# All other event codes are unassigned.
  check::require(out, is_assigned(e), "rfc7143#section-11.9.1/event-code-unassigned",
                 severity::protocol_error, "Async Message uses an unassigned AsyncEvent");
  //= rfc7143#section-11.9.2
  //# AsyncVCode is ... only valid if the AsyncEvent field indicates a vendor-specific
  //# event. Otherwise, it is reserved.
  check::require(out, is_vendor_specific(e) || v.async_vcode() == 0,
                 "rfc7143#section-11.9.2/vcode-reserved-unless-vendor", severity::reserved_field,
                 "Async Message AsyncVCode set for a non-vendor event");
  //= rfc7143#section-11.9.3
  //# The LUN field MUST be valid if AsyncEvent is 0. Otherwise, this field is reserved.
  // Task Termination (5) names its LU through the LUN as well (11.9.1).
  const bool lun_used = e == async_event::scsi_async_event || e == async_event::task_termination;
  check::require(out, lun_used || p.header().zero(8, 16),
                 "rfc7143#section-11.9.3/lun-reserved-unless-scsi-event", severity::reserved_field,
                 "Async Message LUN set for an event that does not use it");
}

void check_parameters(const async_message_view& v, violations& out) {
  //= rfc7143#section-11.9.1
  //# 1 (Logout Request) ... Parameter1 and Parameter2 are reserved.
  check::require(
      out, v.event() != async_event::logout_request || (v.parameter1() == 0 && v.parameter2() == 0),
      "rfc7143#section-11.9.1/logout-request-parameters-reserved", severity::reserved_field,
      "Async Logout Request sets Parameter1 or Parameter2");
  //= rfc7143#section-11.9.1
  //# 3 (Session Drop Notification) ... The Parameter1 field is reserved.
  check::require(out, v.event() != async_event::session_drop || v.parameter1() == 0,
                 "rfc7143#section-11.9.1/session-drop-parameter1-reserved",
                 severity::reserved_field, "Async Session Drop sets Parameter1");
}

void check_data_segment(const async_message_view& v, violations& out) {
  const auto segment = v.sense_and_event_data();
  //= rfc7143#section-11.9.4
  //# If the DataSegmentLength is not 0, the format of the DataSegment is as follows
  check::require(out, segment.has_value(), "rfc7143#section-11.9.4/sense-segment-well-formed",
                 severity::protocol_error, "Async Message SenseLength exceeds the data segment");
  if (!segment) return;
  //= rfc7143#section-11.9.1
  //# 0 (SCSI Async Event) - a SCSI asynchronous event is reported in the sense data.
  check::require(out, v.event() != async_event::scsi_async_event || !segment->sense.empty(),
                 "rfc7143#section-11.9.1/scsi-event-carries-sense", severity::protocol_error,
                 "SCSI Async Event without sense data");
}

}  // namespace

void validate_async_message(const pdu& p, violations& out) {
  const async_message_view v{p};
  check_fixed_fields(p, v, out);
  check_event_fields(p, v, out);
  check_parameters(v, out);
  check_data_segment(v, out);
}

}  // namespace touchstone::pdu::detail
