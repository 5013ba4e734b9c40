#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/nop_out.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

TEST_CASE("NOP-Out fields round-trip through builder and view", "[pdu][nop_out]") {
  const auto p = nop_out_builder{}
                     .initiator_task_tag(0x11223344)
                     .lun(0x0001000000000000)
                     .cmd_sn(7)
                     .exp_stat_sn(9)
                     .data(byte_buffer{1, 2, 3, 4, 5})
                     .build();
  const nop_out_view v{p};
  CHECK(v.op() == opcode::nop_out);
  CHECK(v.final_bit());
  CHECK(v.initiator_task_tag() == 0x11223344);
  CHECK(v.target_transfer_tag() == 0xffffffff);
  CHECK(v.lun() == 0x0001000000000000);
  CHECK(v.cmd_sn() == 7);
  CHECK(v.exp_stat_sn() == 9);
  CHECK(v.data_segment_length() == 5);
  CHECK(v.is_ping_request());
  CHECK(clean(p));
  // Wire form: BHS + data + 3 pad bytes.
  CHECK(encode(p).size() == 48 + 8);
}

//= rfc7143#section-11.18.1 type=test
//# If the Initiator Task Tag contains 0xffffffff, the I bit MUST be set to 1
TEST_CASE("NOP-Out with ITT 0xffffffff must carry the I bit", "[pdu][nop_out][validate]") {
  CHECK(has_violation(validate(nop_out_builder{}.build()),
                      "rfc7143#section-11.18.1/itt-reserved-needs-i-bit"));
  CHECK(clean(nop_out_builder{}.immediate().build()));
}

// rfc7143 section 11.18, in our words:
// byte 1 is F=1 followed by reserved bits; bytes 32-47 reserved
TEST_CASE("NOP-Out reserved fields are sender violations only", "[pdu][nop_out][validate]") {
  const auto vs = validate(nop_out_builder{}.immediate().set_u8(40, 1).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.18/bytes32-47-reserved");
  CHECK(vs[0].level == severity::reserved_field);
  CHECK(has_violation(validate(nop_out_builder{}.immediate().final_bit(false).build()),
                      "rfc7143#section-11.18/f-bit-set"));
}
