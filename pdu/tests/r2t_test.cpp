#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/r2t.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {

r2t_builder legal() {
  return r2t_builder{}.initiator_task_tag(1).target_transfer_tag(2).desired_data_transfer_length(
      8192);
}

}  // namespace

TEST_CASE("R2T fields round-trip through builder, view and wire", "[pdu][r2t]") {
  const auto p = legal()
                     .lun(0x0003000000000000)
                     .initiator_task_tag(0x91929394)
                     .target_transfer_tag(0xa1a2a3a4)
                     .stat_sn(0xb1b2b3b4)
                     .exp_cmd_sn(0xc1c2c3c4)
                     .max_cmd_sn(0xd1d2d3d4)
                     .r2t_sn(0xe1e2e3e4)
                     .buffer_offset(0xf1f2f3f4)
                     .desired_data_transfer_length(0x01020304)
                     .build();
  const r2t_view v{p};
  CHECK(v.op() == opcode::r2t);
  CHECK(v.final_bit());
  CHECK(v.lun() == 0x0003000000000000);
  CHECK(v.initiator_task_tag() == 0x91929394);
  CHECK(v.target_transfer_tag() == 0xa1a2a3a4);
  CHECK(v.stat_sn() == 0xb1b2b3b4);
  CHECK(v.exp_cmd_sn() == 0xc1c2c3c4);
  CHECK(v.max_cmd_sn() == 0xd1d2d3d4);
  CHECK(v.r2t_sn() == 0xe1e2e3e4);
  CHECK(v.buffer_offset() == 0xf1f2f3f4);
  CHECK(v.desired_data_transfer_length() == 0x01020304);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48);
  CHECK(wire[0] == 0x31);
  CHECK(wire[1] == 0x80);
  CHECK(wire[9] == 0x03);
  CHECK(wire[16] == 0x91);
  CHECK(wire[20] == 0xa1);
  CHECK(wire[24] == 0xb1);
  CHECK(wire[28] == 0xc1);
  CHECK(wire[32] == 0xd1);
  CHECK(wire[36] == 0xe1);
  CHECK(wire[40] == 0xf1);
  CHECK(wire[44] == 0x01);
  CHECK(wire[47] == 0x04);
}

//= rfc7143#section-11.8.4 type=test
//# The Desired Data Transfer Length MUST NOT be 0
TEST_CASE("R2T Desired Data Transfer Length is never 0", "[pdu][r2t][validate]") {
  CHECK(has_violation(validate(legal().desired_data_transfer_length(0).build()),
                      "rfc7143#section-11.8.4/desired-length-nonzero"));
}

//= rfc7143#section-11.8.5 type=test
//# the value 0xffffffff is reserved and MUST NOT be sent by a target in an R2T
TEST_CASE("R2T Target Transfer Tag is never 0xffffffff", "[pdu][r2t][validate]") {
  CHECK(has_violation(validate(legal().target_transfer_tag(reserved_tag).build()),
                      "rfc7143#section-11.8.5/ttt-not-reserved"));
  //= rfc7143#section-11.2.1.8 type=test
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  CHECK(has_violation(validate(legal().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/r2t-itt-not-reserved"));
}

//= rfc7143#section-11.8.1 type=test
//# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
TEST_CASE("R2T carries no data segment", "[pdu][r2t][validate]") {
  CHECK(has_violation(validate(legal().data(byte_buffer{1, 2, 3, 4}).build()),
                      "rfc7143#section-11.8.1/no-data-segment"));
  CHECK(has_violation(validate(legal().ahs(byte_buffer(4, 0)).build()),
                      "rfc7143#section-11.2/response-no-ahs"));
}

// rfc7143 section 11.8, in our words:
// byte 1 is 1 followed by reserved bits; bytes 2-3 reserved
TEST_CASE("R2T fixed bit and reserved fields", "[pdu][r2t][validate]") {
  CHECK(
      has_violation(validate(legal().final_bit(false).build()), "rfc7143#section-11.8/f-bit-set"));
  const auto vs = validate(legal().set_u8(1, 0x81).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.8/byte1-reserved");
  CHECK(vs[0].level == severity::reserved_field);
  CHECK(has_violation(validate(legal().set_u8(3, 1).build()),
                      "rfc7143#section-11.8/bytes2-3-reserved"));
}
