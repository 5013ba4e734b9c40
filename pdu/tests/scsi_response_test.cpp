#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/scsi_response.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {

scsi_response_builder legal() { return scsi_response_builder{}.initiator_task_tag(0x10); }

const byte_buffer fixed_sense{0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x24, 0, 0, 0, 0, 0};

}  // namespace

TEST_CASE("SCSI Response fields round-trip through builder, view and wire",
          "[pdu][scsi_response]") {
  const auto p = legal()
                     .residual_underflow()
                     .bidi_read_overflow()
                     .response(iscsi_response::command_completed)
                     .status(scsi_status::good)
                     .snack_tag(0xa1a2a3a4)
                     .stat_sn(0xb1b2b3b4)
                     .exp_cmd_sn(0xc1c2c3c4)
                     .max_cmd_sn(0xd1d2d3d4)
                     .exp_data_sn(0xe1e2e3e4)
                     .bidi_read_residual_count(0xf1f2f3f4)
                     .residual_count(0x01020304)
                     .build();
  const scsi_response_view v{p};
  CHECK(v.op() == opcode::scsi_response);
  CHECK(v.final_bit());
  CHECK(v.residual_underflow());
  CHECK_FALSE(v.residual_overflow());
  CHECK(v.bidi_read_overflow());
  CHECK_FALSE(v.bidi_read_underflow());
  CHECK(v.initiator_task_tag() == 0x10);
  CHECK(v.snack_tag() == 0xa1a2a3a4);
  CHECK(v.stat_sn() == 0xb1b2b3b4);
  CHECK(v.exp_cmd_sn() == 0xc1c2c3c4);
  CHECK(v.max_cmd_sn() == 0xd1d2d3d4);
  CHECK(v.exp_data_sn() == 0xe1e2e3e4);
  CHECK(v.bidi_read_residual_count() == 0xf1f2f3f4);
  CHECK(v.residual_count() == 0x01020304);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48);
  CHECK(wire[0] == 0x21);
  CHECK(wire[1] == (0x80 | 0x10 | 0x02));
  CHECK(wire[20] == 0xa1);
  CHECK(wire[24] == 0xb1);
  CHECK(wire[28] == 0xc1);
  CHECK(wire[32] == 0xd1);
  CHECK(wire[36] == 0xe1);
  CHECK(wire[40] == 0xf1);
  CHECK(wire[44] == 0x01);
  CHECK(wire[47] == 0x04);
}

TEST_CASE("SCSI Response codes keep unknown values", "[pdu][scsi_response]") {
  const auto p = legal().raw_response(0x85).raw_status(0x77).build();
  const scsi_response_view v{p};
  CHECK(v.raw_response() == 0x85);
  CHECK(is_vendor_specific(v.response()));
  CHECK(v.raw_status() == 0x77);
  CHECK(encode(p)[2] == 0x85);
  CHECK(encode(p)[3] == 0x77);
  CHECK(is_reserved(iscsi_response{0x02}));
  CHECK_FALSE(is_reserved(iscsi_response::target_failure));
}

TEST_CASE("SCSI Response sense segment round-trips", "[pdu][scsi_response]") {
  const byte_buffer response_data{0xde, 0xad};
  const auto p =
      legal().status(scsi_status::check_condition).sense_data(fixed_sense, response_data).build();
  CHECK(clean(p));
  const auto wire = encode(p);
  CHECK(wire[48] == 0);
  CHECK(wire[49] == fixed_sense.size());
  const scsi_response_view v{p};
  const auto seg = v.sense_and_response_data();
  REQUIRE(seg);
  CHECK(byte_buffer(seg->sense.begin(), seg->sense.end()) == fixed_sense);
  CHECK(byte_buffer(seg->trailing.begin(), seg->trailing.end()) == response_data);
}

//= rfc7143#section-11.4.7 type=test
//# If Status is CHECK CONDITION (0x02), then the data segment MUST contain sense data
TEST_CASE("SCSI Response sense segment is bounds-checked", "[pdu][scsi_response][validate]") {
  const byte_buffer overrun = make_sense_segment(20, fixed_sense);
  const auto bad = legal().status(scsi_status::check_condition).data(overrun).build();
  CHECK(scsi_response_view{bad}.sense_and_response_data().error() ==
        sense_segment_error::sense_length_overrun);
  CHECK(has_violation(validate(bad), "rfc7143#section-11.4.7/sense-segment-well-formed"));
  CHECK_FALSE(has_violation(validate(bad), "rfc7143#section-11.4.7/check-condition-carries-sense"));

  const auto one_byte = legal().data(byte_buffer{0}).build();
  CHECK(scsi_response_view{one_byte}.sense_and_response_data().error() ==
        sense_segment_error::truncated_sense_length);
  CHECK(has_violation(validate(one_byte), "rfc7143#section-11.4.7/sense-segment-well-formed"));

  CHECK(has_violation(validate(legal().status(scsi_status::check_condition).build()),
                      "rfc7143#section-11.4.7/check-condition-carries-sense"));
  // A failed command's status is undefined, so it needs no sense.
  CHECK(clean(legal()
                  .response(iscsi_response::target_failure)
                  .status(scsi_status::check_condition)
                  .build()));
}

//= rfc7143#section-11.4.1 type=test
//# having both o and u or O and U set to 1 is a protocol error
TEST_CASE("SCSI Response residual flags are mutually exclusive", "[pdu][scsi_response][validate]") {
  CHECK(has_violation(
      validate(legal().residual_overflow().residual_underflow().residual_count(1).build()),
      "rfc7143#section-11.4.1/o-u-exclusive"));
  CHECK(has_violation(
      validate(
          legal().bidi_read_overflow().bidi_read_underflow().bidi_read_residual_count(1).build()),
      "rfc7143#section-11.4.1/bidi-o-u-exclusive"));
  CHECK(clean(legal().residual_overflow().residual_count(512).build()));
}

//= rfc7143#section-11.4.1 type=test
//# For a response other than "Command Completed at Target", bits 3-6 MUST be 0.
TEST_CASE("SCSI Response failure carries no residual flags or ExpDataSN",
          "[pdu][scsi_response][validate]") {
  const auto failed = [] { return legal().response(iscsi_response::target_failure); };
  const auto vs = validate(failed().residual_underflow().residual_count(4).build());
  REQUIRE(has_violation(vs, "rfc7143#section-11.4.1/residual-flags-only-when-completed"));
  CHECK(vs[0].level == severity::reserved_field);
  //= rfc7143#section-11.4.8 type=test
  //# This field MUST be 0 if the response code is not Command Completed at Target
  CHECK(has_violation(validate(failed().exp_data_sn(3).build()),
                      "rfc7143#section-11.4.8/exp-data-sn-zero-on-failure"));
  CHECK(clean(legal().exp_data_sn(3).build()));
}

//= rfc7143#section-11.4.3 type=test
//# All other response codes are reserved.
TEST_CASE("SCSI Response reserved response codes", "[pdu][scsi_response][validate]") {
  CHECK(has_violation(validate(legal().raw_response(0x02).build()),
                      "rfc7143#section-11.4.3/response-code-reserved"));
  CHECK(has_violation(validate(legal().raw_response(0x7f).build()),
                      "rfc7143#section-11.4.3/response-code-reserved"));
  CHECK(clean(legal().raw_response(0x80).build()));
}

//= sam5#5.3.1 type=test
//# status codes
TEST_CASE("SCSI Response reserved SCSI status codes", "[pdu][scsi_response][validate]") {
  for (const std::uint8_t reserved : {0x01, 0x06, 0x20, 0x77})
    CHECK(has_violation(validate(legal().raw_status(reserved).build()), "sam5#5.3.1/status-reserved"));
  // Defined codes (GOOD, RESERVATION CONFLICT, TASK ABORTED) and obsolete
  // ones (INTERMEDIATE 10h, 22h) are not reserved.
  for (const std::uint8_t defined : {0x00, 0x18, 0x40, 0x10, 0x22})
    CHECK(clean(legal().raw_status(defined).build()));
  // Status is not valid unless the command completed at the target.
  CHECK(clean(legal().raw_response(0x01).raw_status(0x06).build()));
}

//= rfc7143#section-11.2.1.8 type=test
//# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
TEST_CASE("SCSI Response never answers ITT 0xffffffff", "[pdu][scsi_response][validate]") {
  CHECK(has_violation(validate(legal().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/scsi-response-itt-not-reserved"));
}

// rfc7143 section 11.4, in our words:
// byte 1 bit 0 is 1; bits 1-2 and 7 and bytes 8-15 reserved
TEST_CASE("SCSI Response fixed bit, reserved fields and residual counts",
          "[pdu][scsi_response][validate]") {
  CHECK(has_violation(validate(legal().final_bit(false).build()),
                      "rfc7143#section-11.4/byte1-bit0-set"));
  CHECK(has_violation(validate(legal().set_bits(1, 0x61, 0x01).build()),
                      "rfc7143#section-11.4.1/reserved-flag-bits"));
  CHECK(has_violation(validate(legal().lun(1).build()), "rfc7143#section-11.4/bytes8-15-reserved"));
  //= rfc7143#section-11.4.5.1 type=test
  //# If neither bit is set, the Residual Count field ... SHOULD be set to 0 when sending.
  const auto vs = validate(legal().residual_count(9).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.4.5.1/residual-count-zero-without-o-u");
  CHECK(vs[0].level == severity::should);
  //= rfc7143#section-11.4.6 type=test
  //# If neither bit is set, the Bidirectional Read Residual Count field is reserved.
  CHECK(has_violation(validate(legal().bidi_read_residual_count(9).build()),
                      "rfc7143#section-11.4.6/bidi-residual-reserved-without-o-u"));
}

TEST_CASE("scsi_status_text: named codes with their value, anything else reserved", "[pdu][scsi_response]") {
  using touchstone::pdu::scsi_status_text;
  CHECK(scsi_status_text(0x02) == "CHECK CONDITION (0x02)");
  CHECK(scsi_status_text(0x18) == "RESERVATION CONFLICT (0x18)");
  CHECK(scsi_status_text(0x00) == "GOOD (0x00)");
  CHECK(scsi_status_text(0x05) == "reserved status 0x05");
  CHECK(touchstone::pdu::scsi_status_name(0xff).empty());
}
