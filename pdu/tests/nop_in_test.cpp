#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/nop_in.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

TEST_CASE("NOP-In fields round-trip through builder, view and wire", "[pdu][nop_in]") {
  const auto p = nop_in_builder{}
                     .lun(0x0004000000000000)
                     .target_transfer_tag(0xa1a2a3a4)
                     .stat_sn(0xb1b2b3b4)
                     .exp_cmd_sn(0xc1c2c3c4)
                     .max_cmd_sn(0xd1d2d3d4)
                     .build();
  const nop_in_view v{p};
  CHECK(v.op() == opcode::nop_in);
  CHECK(v.final_bit());
  CHECK(v.lun() == 0x0004000000000000);
  CHECK(v.initiator_task_tag() == 0xffffffff);
  CHECK(v.target_transfer_tag() == 0xa1a2a3a4);
  CHECK(v.stat_sn() == 0xb1b2b3b4);
  CHECK(v.exp_cmd_sn() == 0xc1c2c3c4);
  CHECK(v.max_cmd_sn() == 0xd1d2d3d4);
  CHECK(v.is_ping_request());
  CHECK_FALSE(v.is_ping_response());
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48);
  CHECK(wire[0] == 0x20);
  CHECK(wire[1] == 0x80);
  CHECK(wire[9] == 0x04);
  CHECK(wire[16] == 0xff);
  CHECK(wire[20] == 0xa1);
  CHECK(wire[24] == 0xb1);
  CHECK(wire[28] == 0xc1);
  CHECK(wire[32] == 0xd1);
  CHECK(wire[35] == 0xd4);
}

TEST_CASE("NOP-In default and ping answer are legal", "[pdu][nop_in][validate]") {
  CHECK(clean(nop_in_builder{}.build()));
  const auto answer = nop_in_builder{}.initiator_task_tag(5).data(byte_buffer{1, 2, 3}).build();
  CHECK(nop_in_view{answer}.is_ping_response());
  CHECK(clean(answer));
  CHECK(encode(answer).size() == 48 + 4);
}

//= rfc7143#section-11.19 type=test
//# For such a response, the Target Transfer Tag MUST be 0xffffffff.
TEST_CASE("NOP-In answering a ping has TTT 0xffffffff", "[pdu][nop_in][validate]") {
  CHECK(has_violation(
      validate(nop_in_builder{}.initiator_task_tag(5).target_transfer_tag(6).lun(1).build()),
      "rfc7143#section-11.19/response-ttt-reserved"));
}

//= rfc7143#section-11.19 type=test
//# the Initiator Task Tag MUST be set to 0xffffffff, and the data segment MUST NOT contain any data
TEST_CASE("Unsolicited NOP-In carries no data", "[pdu][nop_in][validate]") {
  CHECK(has_violation(validate(nop_in_builder{}.data(byte_buffer{1, 2, 3, 4}).build()),
                      "rfc7143#section-11.19/unsolicited-no-data"));
  CHECK(has_violation(
      validate(nop_in_builder{}.target_transfer_tag(3).lun(1).data(byte_buffer{1}).build()),
      "rfc7143#section-11.19/unsolicited-no-data"));
}

//= rfc7143#section-11.19.3 type=test
//# A LUN MUST be set to a correct value when the Target Transfer Tag is valid
TEST_CASE("NOP-In LUN is reserved without a TTT", "[pdu][nop_in][validate]") {
  const auto vs = validate(nop_in_builder{}.lun(1).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.19.3/lun-reserved-without-ttt");
  CHECK(vs[0].level == severity::reserved_field);
}

// rfc7143 section 11.19, in our words:
// byte 1 is 1 followed by reserved bits; bytes 2-3 and 36-47 reserved
TEST_CASE("NOP-In fixed bit and reserved fields", "[pdu][nop_in][validate]") {
  CHECK(has_violation(validate(nop_in_builder{}.final_bit(false).build()),
                      "rfc7143#section-11.19/f-bit-set"));
  CHECK(has_violation(validate(nop_in_builder{}.set_u8(1, 0x81).build()),
                      "rfc7143#section-11.19/byte1-reserved"));
  CHECK(has_violation(validate(nop_in_builder{}.set_u8(2, 1).build()),
                      "rfc7143#section-11.19/bytes2-3-reserved"));
  CHECK(has_violation(validate(nop_in_builder{}.set_u8(47, 1).build()),
                      "rfc7143#section-11.19/bytes36-47-reserved"));
}
