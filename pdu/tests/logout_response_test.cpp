#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/logout_response.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {

logout_response_builder legal() { return logout_response_builder{}.initiator_task_tag(4); }

}  // namespace

TEST_CASE("Logout Response fields round-trip through builder, view and wire",
          "[pdu][logout_response]") {
  const auto p = legal()
                     .initiator_task_tag(0x91929394)
                     .response(logout_response_code::cleanup_failed)
                     .stat_sn(0xb1b2b3b4)
                     .exp_cmd_sn(0xc1c2c3c4)
                     .max_cmd_sn(0xd1d2d3d4)
                     .time2wait(0xe1e2)
                     .time2retain(0xf1f2)
                     .build();
  const logout_response_view v{p};
  CHECK(v.op() == opcode::logout_response);
  CHECK(v.final_bit());
  CHECK(v.initiator_task_tag() == 0x91929394);
  CHECK(v.response() == logout_response_code::cleanup_failed);
  CHECK(v.stat_sn() == 0xb1b2b3b4);
  CHECK(v.exp_cmd_sn() == 0xc1c2c3c4);
  CHECK(v.max_cmd_sn() == 0xd1d2d3d4);
  CHECK(v.time2wait() == 0xe1e2);
  CHECK(v.time2retain() == 0xf1f2);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48);
  CHECK(wire[0] == 0x26);
  CHECK(wire[1] == 0x80);
  CHECK(wire[2] == 3);
  CHECK(wire[16] == 0x91);
  CHECK(wire[24] == 0xb1);
  CHECK(wire[28] == 0xc1);
  CHECK(wire[32] == 0xd1);
  CHECK(wire[40] == 0xe1);
  CHECK(wire[41] == 0xe2);
  CHECK(wire[42] == 0xf1);
  CHECK(wire[43] == 0xf2);
}

//= rfc7143#section-11.15.1 type=test
//# Response field settings are as follows: 0 ... 3
TEST_CASE("Logout Response codes keep unknown values", "[pdu][logout_response][validate]") {
  const auto odd = legal().raw_response(4).build();
  CHECK(logout_response_view{odd}.raw_response() == 4);
  CHECK(has_violation(validate(odd), "rfc7143#section-11.15.1/response-code-unassigned"));
  CHECK(clean(legal().response(logout_response_code::cid_not_found).build()));
}

//= rfc7143#section-11.15.2 type=test
//# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
TEST_CASE("Logout Response carries no data segment", "[pdu][logout_response][validate]") {
  CHECK(has_violation(validate(legal().data(byte_buffer{1}).build()),
                      "rfc7143#section-11.15.2/no-data-segment"));
  //= rfc7143#section-11.2.1.8 type=test
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  CHECK(has_violation(validate(legal().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/logout-response-itt-not-reserved"));
}

// rfc7143 section 11.15, in our words:
// |1| Reserved | Response | Reserved |; bytes 8-15, 20-23, 36-39 and 44-47 reserved
TEST_CASE("Logout Response fixed bit and reserved fields", "[pdu][logout_response][validate]") {
  CHECK(
      has_violation(validate(legal().final_bit(false).build()), "rfc7143#section-11.15/f-bit-set"));
  const auto vs = validate(legal().set_u8(1, 0x81).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.15/byte1-reserved");
  CHECK(vs[0].level == severity::reserved_field);
  CHECK(has_violation(validate(legal().set_u8(3, 1).build()),
                      "rfc7143#section-11.15/byte3-reserved"));
  CHECK(
      has_violation(validate(legal().lun(1).build()), "rfc7143#section-11.15/bytes8-15-reserved"));
  CHECK(has_violation(validate(legal().set_u8(23, 1).build()),
                      "rfc7143#section-11.15/bytes20-23-reserved"));
  CHECK(has_violation(validate(legal().set_u8(36, 1).build()),
                      "rfc7143#section-11.15/bytes36-39-reserved"));
  CHECK(has_violation(validate(legal().set_u8(47, 1).build()),
                      "rfc7143#section-11.15/bytes44-47-reserved"));
}
