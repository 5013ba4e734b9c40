#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/task_mgmt_response.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {

task_mgmt_response_builder legal() { return task_mgmt_response_builder{}.initiator_task_tag(3); }

}  // namespace

TEST_CASE("TMF Response fields round-trip through builder, view and wire",
          "[pdu][task_mgmt_response]") {
  const auto p = legal()
                     .initiator_task_tag(0x91929394)
                     .response(tmf_response::lun_does_not_exist)
                     .stat_sn(0xb1b2b3b4)
                     .exp_cmd_sn(0xc1c2c3c4)
                     .max_cmd_sn(0xd1d2d3d4)
                     .build();
  const task_mgmt_response_view v{p};
  CHECK(v.op() == opcode::task_mgmt_response);
  CHECK(v.final_bit());
  CHECK(v.initiator_task_tag() == 0x91929394);
  CHECK(v.response() == tmf_response::lun_does_not_exist);
  CHECK(v.stat_sn() == 0xb1b2b3b4);
  CHECK(v.exp_cmd_sn() == 0xc1c2c3c4);
  CHECK(v.max_cmd_sn() == 0xd1d2d3d4);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48);
  CHECK(wire[0] == 0x22);
  CHECK(wire[1] == 0x80);
  CHECK(wire[2] == 2);
  CHECK(wire[16] == 0x91);
  CHECK(wire[24] == 0xb1);
  CHECK(wire[28] == 0xc1);
  CHECK(wire[32] == 0xd1);
  CHECK(wire[35] == 0xd4);
}

// rfc7143 section 11.6.1, in our words:
// 0 - Function complete ... 255 - Function rejected; the value 7 is defined by [RFC7144].
TEST_CASE("TMF Response codes keep unknown values", "[pdu][task_mgmt_response][validate]") {
  CHECK(clean(legal().response(tmf_response::function_rejected).build()));
  CHECK(clean(legal().response(tmf_response::function_succeeded).build()));
  const auto odd = legal().raw_response(8).build();
  CHECK(task_mgmt_response_view{odd}.raw_response() == 8);
  CHECK(has_violation(validate(odd), "rfc7143#section-11.6.1/response-code-unassigned"));
  CHECK(has_violation(validate(legal().raw_response(254).build()),
                      "rfc7143#section-11.6.1/response-code-unassigned"));
}

//= rfc7143#section-11.6.2 type=test
//# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
TEST_CASE("TMF Response carries no data segment", "[pdu][task_mgmt_response][validate]") {
  CHECK(has_violation(validate(legal().data(byte_buffer{1}).build()),
                      "rfc7143#section-11.6.2/no-data-segment"));
  //= rfc7143#section-11.2.1.8 type=test
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  CHECK(has_violation(validate(legal().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/task-mgmt-response-itt-not-reserved"));
}

// rfc7143 section 11.6, in our words:
// |1| Reserved | Response | Reserved |; bytes 8-15, 20-23 and 36-47 reserved
TEST_CASE("TMF Response fixed bit and reserved fields", "[pdu][task_mgmt_response][validate]") {
  CHECK(
      has_violation(validate(legal().final_bit(false).build()), "rfc7143#section-11.6/f-bit-set"));
  const auto vs = validate(legal().set_u8(1, 0x90).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.6/byte1-reserved");
  CHECK(vs[0].level == severity::reserved_field);
  CHECK(
      has_violation(validate(legal().set_u8(3, 1).build()), "rfc7143#section-11.6/byte3-reserved"));
  CHECK(has_violation(validate(legal().lun(1).build()), "rfc7143#section-11.6/bytes8-15-reserved"));
  CHECK(has_violation(validate(legal().set_u8(20, 1).build()),
                      "rfc7143#section-11.6/bytes20-23-reserved"));
  CHECK(has_violation(validate(legal().set_u8(40, 1).build()),
                      "rfc7143#section-11.6/bytes36-47-reserved"));
}
