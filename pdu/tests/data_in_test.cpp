#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/data_in.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {

data_in_builder legal() {
  return data_in_builder{}.initiator_task_tag(7).data(byte_buffer(8, 0xab));
}
data_in_builder last_with_status() { return legal().final_bit().has_status().stat_sn(5); }

}  // namespace

TEST_CASE("Data-In fields round-trip through builder, view and wire", "[pdu][data_in]") {
  const auto p = legal()
                     .final_bit()
                     .acknowledge()
                     .residual_underflow()
                     .has_status()
                     .status(scsi_status::condition_met)
                     .lun(0x0002000000000000)
                     .target_transfer_tag(0xa1a2a3a4)
                     .stat_sn(0xb1b2b3b4)
                     .exp_cmd_sn(0xc1c2c3c4)
                     .max_cmd_sn(0xd1d2d3d4)
                     .data_sn(0xe1e2e3e4)
                     .buffer_offset(0xf1f2f3f4)
                     .residual_count(0x01020304)
                     .build();
  const data_in_view v{p};
  CHECK(v.op() == opcode::data_in);
  CHECK(v.final_bit());
  CHECK(v.acknowledge());
  CHECK(v.residual_underflow());
  CHECK_FALSE(v.residual_overflow());
  CHECK(v.has_status());
  CHECK(v.status() == scsi_status::condition_met);
  CHECK(v.lun() == 0x0002000000000000);
  CHECK(v.initiator_task_tag() == 7);
  CHECK(v.target_transfer_tag() == 0xa1a2a3a4);
  CHECK(v.stat_sn() == 0xb1b2b3b4);
  CHECK(v.exp_cmd_sn() == 0xc1c2c3c4);
  CHECK(v.max_cmd_sn() == 0xd1d2d3d4);
  CHECK(v.data_sn() == 0xe1e2e3e4);
  CHECK(v.buffer_offset() == 0xf1f2f3f4);
  CHECK(v.residual_count() == 0x01020304);
  CHECK(v.data_segment_length() == 8);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + 8);
  CHECK(wire[0] == 0x25);
  CHECK(wire[1] == (0x80 | 0x40 | 0x02 | 0x01));
  CHECK(wire[3] == 0x04);
  CHECK(wire[8] == 0x00);
  CHECK(wire[9] == 0x02);
  CHECK(wire[20] == 0xa1);
  CHECK(wire[24] == 0xb1);
  CHECK(wire[28] == 0xc1);
  CHECK(wire[32] == 0xd1);
  CHECK(wire[36] == 0xe1);
  CHECK(wire[40] == 0xf1);
  CHECK(wire[44] == 0x01);
  CHECK(wire[48] == 0xab);
}

TEST_CASE("Data-In builder defaults to a legal middle PDU", "[pdu][data_in][validate]") {
  const auto p = legal().build();
  CHECK(data_in_view{p}.target_transfer_tag() == 0xffffffff);
  CHECK_FALSE(data_in_view{p}.final_bit());
  CHECK(clean(p));
  CHECK(clean(last_with_status().residual_overflow().residual_count(4).build()));
  const auto odd = legal().raw_status(0x99).build();
  CHECK(data_in_view{odd}.raw_status() == 0x99);
}

//= rfc7143#section-11.7.3 type=test
//# If this bit is set to 1, the F bit MUST also be set to 1.
TEST_CASE("Data-In S bit requires F and a good status", "[pdu][data_in][validate]") {
  CHECK(has_violation(validate(legal().has_status().build()),
                      "rfc7143#section-11.7.3/data-in-s-needs-f"));
  //= rfc7143#section-11.7.3 type=test
  //# If the command is completed with an error, then the response and sense data
  //# MUST be sent in a SCSI Response PDU
  CHECK(has_violation(validate(last_with_status().status(scsi_status::check_condition).build()),
                      "rfc7143#section-11.7.3/data-in-status-not-exception"));
  CHECK(clean(last_with_status().status(scsi_status::intermediate_condition_met).build()));
}

//= rfc7143#section-11.7.3 type=test
//# bit 5-6 - used the same as in a SCSI Response. These bits are only valid when S is set to 1.
TEST_CASE("Data-In residual flags", "[pdu][data_in][validate]") {
  //= rfc7143#section-11.4.1 type=test
  //# having both o and u or O and U set to 1 is a protocol error
  CHECK(has_violation(validate(last_with_status().residual_overflow().residual_underflow().build()),
                      "rfc7143#section-11.4.1/data-in-o-u-exclusive"));
  const auto vs = validate(legal().residual_underflow().build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.7.3/data-in-o-u-need-s");
  CHECK(vs[0].level == severity::reserved_field);
}

// rfc7143 section 11.7, in our words:
// |Status or Rsvd| ... StatSN or Reserved; bits 2-4 and byte 2 reserved
TEST_CASE("Data-In reserved fields are sender violations", "[pdu][data_in][validate]") {
  CHECK(has_violation(validate(legal().set_u8(1, 0x08).build()),
                      "rfc7143#section-11.7.3/data-in-reserved-flag-bits"));
  CHECK(has_violation(validate(legal().set_u8(2, 1).build()),
                      "rfc7143#section-11.7/data-in-byte2-reserved"));
  CHECK(has_violation(validate(legal().raw_status(2).build()),
                      "rfc7143#section-11.7/data-in-status-reserved-without-s"));
  CHECK(has_violation(validate(legal().stat_sn(2).build()),
                      "rfc7143#section-11.7/data-in-stat-sn-reserved-without-s"));
}

//= rfc7143#section-11.7.4 type=test
//# the Target Transfer Tag and LUN MUST be provided by the target if the A bit
//# is set to 1; otherwise, they are reserved.
TEST_CASE("Data-In A bit, TTT and LUN", "[pdu][data_in][validate]") {
  CHECK(has_violation(validate(legal().acknowledge().build()),
                      "rfc7143#section-11.7.4/data-in-a-bit-needs-ttt"));
  CHECK(has_violation(validate(legal().target_transfer_tag(3).lun(1).build()),
                      "rfc7143#section-11.7.4/data-in-ttt-reserved-without-a"));
  // With A=0 no tag is provided, so the LUN is reserved whatever the TTT holds.
  CHECK(has_violation(validate(legal().target_transfer_tag(3).lun(1).build()),
                      "rfc7143#section-11.7.4/data-in-lun-reserved-without-ttt"));
  // Reserved with A=0: zero (section 11's rule for reserved fields) and
  // 0xffffffff ("not supplied") both comply.
  CHECK(clean(legal().target_transfer_tag(0).build()));
  CHECK(clean(legal().target_transfer_tag(reserved_tag).build()));
  CHECK(has_violation(validate(legal().lun(1).build()),
                      "rfc7143#section-11.7.4/data-in-lun-reserved-without-ttt"));
  CHECK(clean(legal().acknowledge().target_transfer_tag(3).lun(1).build()));
  //= rfc7143#section-11.2.1.8 type=test
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  CHECK(has_violation(validate(legal().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/data-in-itt-not-reserved"));
}

//= rfc7143#section-11.7.7 type=test
//# The data segments ... SHOULD be filled to the integer number of 4-byte words
//# (real payload), unless the F bit is set to 1.
TEST_CASE("Data-In segments are whole words unless final", "[pdu][data_in][validate]") {
  const auto vs = validate(legal().data(byte_buffer(5, 1)).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.7.7/data-in-whole-words-unless-final");
  CHECK(vs[0].level == severity::should);
  CHECK(clean(legal().final_bit().data(byte_buffer(5, 1)).build()));
}
