#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/async_message.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {

// Fixed-format sense: UNIT ATTENTION, REPORTED LUNS DATA HAS CHANGED (3f/0e).
const byte_buffer unit_attention{0x70, 0, 0x06, 0,    0,    0, 0, 0x0a, 0,
                                 0,    0, 0,    0x3f, 0x0e, 0, 0, 0,    0};

async_message_builder scsi_event() {
  return async_message_builder{}.lun(0x0001000000000000).sense_and_event_data(unit_attention);
}
async_message_builder connection_drop() {
  return async_message_builder{}
      .event(async_event::connection_drop)
      .parameter1(1)
      .parameter2(2)
      .parameter3(20);
}

}  // namespace

TEST_CASE("Async Message fields round-trip through builder, view and wire",
          "[pdu][async_message]") {
  const byte_buffer event_data{0xee, 0xee};
  const auto p = async_message_builder{}
                     .event(async_event{250})
                     .async_vcode(0x77)
                     .stat_sn(0xb1b2b3b4)
                     .exp_cmd_sn(0xc1c2c3c4)
                     .max_cmd_sn(0xd1d2d3d4)
                     .parameter1(0xa1a2)
                     .parameter2(0xe1e2)
                     .parameter3(0xf1f2)
                     .sense_and_event_data({}, event_data)
                     .build();
  const async_message_view v{p};
  CHECK(v.op() == opcode::async_message);
  CHECK(v.final_bit());
  CHECK(v.initiator_task_tag() == 0xffffffff);
  CHECK(v.stat_sn() == 0xb1b2b3b4);
  CHECK(v.exp_cmd_sn() == 0xc1c2c3c4);
  CHECK(v.max_cmd_sn() == 0xd1d2d3d4);
  CHECK(v.raw_async_event() == 250);
  CHECK(is_vendor_specific(v.event()));
  CHECK(v.async_vcode() == 0x77);
  CHECK(v.parameter1() == 0xa1a2);
  CHECK(v.parameter2() == 0xe1e2);
  CHECK(v.parameter3() == 0xf1f2);
  const auto seg = v.sense_and_event_data();
  REQUIRE(seg);
  CHECK(seg->sense.empty());
  CHECK(byte_buffer(seg->trailing.begin(), seg->trailing.end()) == event_data);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + 4);
  CHECK(wire[0] == 0x32);
  CHECK(wire[1] == 0x80);
  CHECK(wire[16] == 0xff);
  CHECK(wire[24] == 0xb1);
  CHECK(wire[28] == 0xc1);
  CHECK(wire[32] == 0xd1);
  CHECK(wire[36] == 250);
  CHECK(wire[37] == 0x77);
  CHECK(wire[38] == 0xa1);
  CHECK(wire[40] == 0xe1);
  CHECK(wire[42] == 0xf1);
  CHECK(wire[43] == 0xf2);
  CHECK(wire[48] == 0);
  CHECK(wire[49] == 0);
  CHECK(wire[50] == 0xee);
}

TEST_CASE("Async Message legal events validate clean", "[pdu][async_message][validate]") {
  CHECK(clean(scsi_event().build()));
  CHECK(clean(connection_drop().build()));
  CHECK(clean(async_message_builder{}.event(async_event::logout_request).parameter3(10).build()));
  CHECK(clean(async_message_builder{}.event(async_event::task_termination).lun(2).build()));
  const auto with_sense = scsi_event().build();  // the view borrows its data segment
  const auto seg = async_message_view{with_sense}.sense_and_event_data();
  REQUIRE(seg);
  CHECK(byte_buffer(seg->sense.begin(), seg->sense.end()) == unit_attention);
}

//= rfc7143#section-11.9.1 type=test
//# All other event codes are unassigned.
TEST_CASE("Async Message event codes", "[pdu][async_message][validate]") {
  for (std::uint8_t code : {6, 100, 247}) {
    CAPTURE(code);
    CHECK(has_violation(validate(async_message_builder{}.raw_async_event(code).build()),
                        "rfc7143#section-11.9.1/event-code-unassigned"));
  }
  //= rfc7143#section-11.9.1 type=test
  //# 0 (SCSI Async Event) - a SCSI asynchronous event is reported in the sense data.
  CHECK(has_violation(validate(async_message_builder{}.lun(1).build()),
                      "rfc7143#section-11.9.1/scsi-event-carries-sense"));
}

//= rfc7143#section-11.9.1 type=test
//# Parameter1 and Parameter2 are reserved. ... The Parameter1 field is reserved.
TEST_CASE("Async Message reserved parameters", "[pdu][async_message][validate]") {
  const auto vs =
      validate(async_message_builder{}.event(async_event::logout_request).parameter2(5).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.9.1/logout-request-parameters-reserved");
  CHECK(vs[0].level == severity::reserved_field);
  CHECK(has_violation(
      validate(async_message_builder{}.event(async_event::session_drop).parameter1(1).build()),
      "rfc7143#section-11.9.1/session-drop-parameter1-reserved"));
}

//= rfc7143#section-11.9.2 type=test
//# AsyncVCode is ... only valid if the AsyncEvent field indicates a vendor-specific event.
TEST_CASE("Async Message AsyncVCode and LUN are reserved when unused",
          "[pdu][async_message][validate]") {
  CHECK(has_violation(validate(connection_drop().async_vcode(1).build()),
                      "rfc7143#section-11.9.2/vcode-reserved-unless-vendor"));
  //= rfc7143#section-11.9.3 type=test
  //# The LUN field MUST be valid if AsyncEvent is 0. Otherwise, this field is reserved.
  CHECK(has_violation(validate(connection_drop().lun(1).build()),
                      "rfc7143#section-11.9.3/lun-reserved-unless-scsi-event"));
}

//= rfc7143#section-11.9.4 type=test
//# If the DataSegmentLength is not 0, the format of the DataSegment is as follows
TEST_CASE("Async Message sense segment is bounds-checked", "[pdu][async_message][validate]") {
  const auto p = scsi_event().data(make_sense_segment(40, unit_attention)).build();
  CHECK(async_message_view{p}.sense_and_event_data().error() ==
        sense_segment_error::sense_length_overrun);
  const auto vs = validate(p);
  CHECK(has_violation(vs, "rfc7143#section-11.9.4/sense-segment-well-formed"));
  CHECK_FALSE(has_violation(vs, "rfc7143#section-11.9.1/scsi-event-carries-sense"));
}

// rfc7143 section 11.9, in our words:
// |1| Reserved; 16| 0xffffffff; bytes 20-23 and 44-47 reserved
TEST_CASE("Async Message fixed fields", "[pdu][async_message][validate]") {
  CHECK(has_violation(validate(scsi_event().final_bit(false).build()),
                      "rfc7143#section-11.9/f-bit-set"));
  CHECK(has_violation(validate(scsi_event().initiator_task_tag(1).build()),
                      "rfc7143#section-11.9/itt-reserved-value"));
  CHECK(has_violation(validate(scsi_event().set_u8(1, 0x81).build()),
                      "rfc7143#section-11.9/byte1-reserved"));
  CHECK(has_violation(validate(scsi_event().set_u8(2, 1).build()),
                      "rfc7143#section-11.9/bytes2-3-reserved"));
  CHECK(has_violation(validate(scsi_event().set_u8(21, 1).build()),
                      "rfc7143#section-11.9/bytes20-23-reserved"));
  CHECK(has_violation(validate(scsi_event().set_u8(44, 1).build()),
                      "rfc7143#section-11.9/bytes44-47-reserved"));
}
