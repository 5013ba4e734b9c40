#include "touchstone/pdu/data_out.hpp"

#include <catch2/catch.hpp>

#include "test_util.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {
// A legal unsolicited Data-Out: the base of the negative tests.
data_out_builder unsolicited() {
  return data_out_builder{}.initiator_task_tag(4).data(byte_buffer(512, 0x11));
}
}  // namespace

TEST_CASE("Data-Out fields round-trip through builder and view", "[pdu][data_out]") {
  const auto p = data_out_builder{}
                     .final_bit(false)
                     .lun(0x0003000000000000)
                     .initiator_task_tag(0x0a0b0c0d)
                     .target_transfer_tag(0x12345678)
                     .exp_stat_sn(0x23456789)
                     .data_sn(0x3456789a)
                     .buffer_offset(0x456789ab)
                     .data(byte_buffer(1024, 0x77))
                     .build();
  const data_out_view v{p};
  CHECK(v.op() == opcode::data_out);
  CHECK_FALSE(v.final_bit());
  CHECK(v.lun() == 0x0003000000000000);
  CHECK(v.initiator_task_tag() == 0x0a0b0c0d);
  CHECK(v.target_transfer_tag() == 0x12345678);
  CHECK(v.answers_r2t());
  CHECK(v.exp_stat_sn() == 0x23456789);
  CHECK(v.data_sn() == 0x3456789a);
  CHECK(v.buffer_offset() == 0x456789ab);
  CHECK(v.data_segment_length() == 1024);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + 1024);
  CHECK(wire[0] == 0x05);
  CHECK(wire[1] == 0x00);
  CHECK(load_be24(&wire[5]) == 1024);
  CHECK(load_be64(&wire[8]) == 0x0003000000000000);
  CHECK(load_be32(&wire[16]) == 0x0a0b0c0d);
  CHECK(load_be32(&wire[20]) == 0x12345678);
  CHECK(load_be32(&wire[28]) == 0x23456789);
  CHECK(load_be32(&wire[36]) == 0x3456789a);
  CHECK(load_be32(&wire[40]) == 0x456789ab);
}

TEST_CASE("Data-Out builder defaults are legal", "[pdu][data_out][validate]") {
  const auto p = data_out_builder{}.build();
  const data_out_view v{p};
  CHECK(v.final_bit());
  CHECK(v.target_transfer_tag() == reserved_tag);
  CHECK_FALSE(v.answers_r2t());
  CHECK(clean(p));
  CHECK(clean(unsolicited().build()));
}

// rfc7143 section 11.7, in our words:
// byte 0 .|.|0x05, byte 1 F|Reserved; bytes 2-3, 24-27, 32-35 and 44-47 Reserved
TEST_CASE("Data-Out reserved fields are sender violations only", "[pdu][data_out][validate]") {
  struct probe {
    std::size_t offset;
    std::uint8_t value;
    const char* requirement;
  };
  const probe probes[] = {
      {0, 0x40 | 0x05, "rfc7143#section-11.7/data-out-i-bit-reserved"},
      {1, 0x80 | 0x01, "rfc7143#section-11.7/data-out-byte1-reserved"},
      {3, 1, "rfc7143#section-11.7/data-out-bytes2-3-reserved"},
      {24, 1, "rfc7143#section-11.7/data-out-bytes24-27-reserved"},
      {35, 1, "rfc7143#section-11.7/data-out-bytes32-35-reserved"},
      {44, 1, "rfc7143#section-11.7/data-out-bytes44-47-reserved"},
  };
  for (const auto& probe : probes) {
    const auto vs = validate(unsolicited().set_u8(probe.offset, probe.value).build());
    REQUIRE(vs.size() == 1);
    CHECK(vs[0].requirement == probe.requirement);
    CHECK(vs[0].level == severity::reserved_field);
  }
}

//= rfc7143#section-11.7.4 type=test
//# If the Target Transfer Tag is provided, then the LUN field MUST hold a valid value ...
//# otherwise, the LUN field is reserved.
TEST_CASE("Data-Out LUN is reserved for unsolicited data", "[pdu][data_out][validate]") {
  CHECK(has_violation(validate(unsolicited().lun(1).build()),
                      "rfc7143#section-11.7.4/data-out-lun-reserved"));
  CHECK(clean(unsolicited().lun(1).target_transfer_tag(9).build()));
}

//= rfc7143#section-11.2.1.5 type=test
//# The TotalAHSLength is only used in PDUs that have an AHS and MUST be 0 in all other PDUs.
TEST_CASE("Data-Out carries no AHS", "[pdu][data_out][validate]") {
  CHECK(has_violation(validate(unsolicited().ahs(byte_buffer{0, 1, 1, 0}).build()),
                      "rfc7143#section-11.2.1.5/data-out-no-ahs"));
}

//= rfc7143#section-11.2.1.8 type=test
//# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
TEST_CASE("Data-Out may not use the reserved ITT", "[pdu][data_out][validate]") {
  CHECK(has_violation(validate(unsolicited().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/data-out-itt-not-reserved"));
}

//= rfc7143#section-11.7.7 type=test
//# The data segments of Data-In and Data-Out PDUs SHOULD be filled to the integer
//# number of 4-byte words (real payload), unless the F bit is set to 1.
TEST_CASE("non-final Data-Out should carry whole words", "[pdu][data_out][validate]") {
  const auto vs = validate(unsolicited().final_bit(false).data(byte_buffer(511, 1)).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.7.7/data-out-whole-words");
  CHECK(vs[0].level == severity::should);
  CHECK(clean(unsolicited().data(byte_buffer(511, 1)).build()));
}
