#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/text_response.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {

const byte_buffer send_targets{'T', 'a', 'r', 'g', 'e', 't', 'N', 'a', 'm', 'e', '=', 'x', 0};

text_response_builder final_one() { return text_response_builder{}.initiator_task_tag(9); }
text_response_builder partial() {
  return final_one().final_bit(false).continue_bit().target_transfer_tag(0x55).lun(1);
}

}  // namespace

TEST_CASE("Text Response fields round-trip through builder, view and wire",
          "[pdu][text_response]") {
  const auto p = partial()
                     .initiator_task_tag(0x91929394)
                     .lun(0x0005000000000000)
                     .target_transfer_tag(0xa1a2a3a4)
                     .stat_sn(0xb1b2b3b4)
                     .exp_cmd_sn(0xc1c2c3c4)
                     .max_cmd_sn(0xd1d2d3d4)
                     .data(send_targets)
                     .build();
  const text_response_view v{p};
  CHECK(v.op() == opcode::text_response);
  CHECK_FALSE(v.final_bit());
  CHECK(v.continue_bit());
  CHECK(v.lun() == 0x0005000000000000);
  CHECK(v.initiator_task_tag() == 0x91929394);
  CHECK(v.target_transfer_tag() == 0xa1a2a3a4);
  CHECK(v.stat_sn() == 0xb1b2b3b4);
  CHECK(v.exp_cmd_sn() == 0xc1c2c3c4);
  CHECK(v.max_cmd_sn() == 0xd1d2d3d4);
  CHECK(v.data_segment_length() == send_targets.size());
  CHECK(p.data == send_targets);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + 16);
  CHECK(wire[0] == 0x24);
  CHECK(wire[1] == 0x40);
  CHECK(wire[7] == send_targets.size());
  CHECK(wire[9] == 0x05);
  CHECK(wire[16] == 0x91);
  CHECK(wire[20] == 0xa1);
  CHECK(wire[24] == 0xb1);
  CHECK(wire[28] == 0xc1);
  CHECK(wire[32] == 0xd1);
  CHECK(wire[48] == 'T');
  CHECK(wire[63] == 0);
}

TEST_CASE("Text Response default is a legal final response", "[pdu][text_response][validate]") {
  const auto p = final_one().build();
  CHECK(text_response_view{p}.final_bit());
  CHECK(text_response_view{p}.target_transfer_tag() == 0xffffffff);
  CHECK(clean(p));
}

//= rfc7143#section-11.11.2 type=test
//# A Text Response with the C bit set to 1 MUST have the F bit set to 0.
TEST_CASE("Text Response C bit needs F clear", "[pdu][text_response][validate]") {
  CHECK(has_violation(validate(final_one().continue_bit().build()),
                      "rfc7143#section-11.11.2/c-bit-needs-f-clear"));
}

//= rfc7143#section-11.11.1 type=test
//# A Text Response with the F bit set to 1 MUST have a Target Transfer Tag field
//# set to the reserved value 0xffffffff. ... F bit set to 0 MUST have a Target
//# Transfer Tag field set to a value other than the reserved value 0xffffffff.
TEST_CASE("Text Response F bit decides the TTT", "[pdu][text_response][validate]") {
  CHECK(has_violation(validate(final_one().target_transfer_tag(3).build()),
                      "rfc7143#section-11.11.1/final-ttt-reserved"));
  CHECK(has_violation(validate(final_one().final_bit(false).build()),
                      "rfc7143#section-11.11.1/partial-ttt-valid"));
  //= rfc7143#section-11.2.1.8 type=test
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  CHECK(has_violation(validate(final_one().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/text-response-itt-not-reserved"));
}

// rfc7143 section 11.11, in our words:
// |F|C| Reserved; bytes 36-47 reserved; LUN or Reserved
TEST_CASE("Text Response reserved fields", "[pdu][text_response][validate]") {
  const auto vs = validate(final_one().lun(1).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.11.4/lun-reserved-without-ttt");
  CHECK(vs[0].level == severity::reserved_field);
  CHECK(has_violation(validate(final_one().set_u8(1, 0x81).build()),
                      "rfc7143#section-11.11/byte1-reserved"));
  CHECK(has_violation(validate(final_one().set_u8(2, 1).build()),
                      "rfc7143#section-11.11/bytes2-3-reserved"));
  CHECK(has_violation(validate(final_one().set_u8(36, 1).build()),
                      "rfc7143#section-11.11/bytes36-47-reserved"));
}
