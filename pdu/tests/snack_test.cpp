#include "touchstone/pdu/snack.hpp"

#include <catch2/catch.hpp>

#include "test_util.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {
// One legal SNACK of each type: the bases of the negative tests.
snack_builder data_snack() {
  return snack_builder{snack_type::data_r2t}.initiator_task_tag(5).beg_run(3).run_length(2);
}
snack_builder status_snack() {
  return snack_builder{snack_type::status}.initiator_task_tag(reserved_tag).beg_run(10);
}
snack_builder data_ack() {
  return snack_builder{snack_type::data_ack}
      .initiator_task_tag(reserved_tag)
      .lun(0x0001000000000000)
      .target_transfer_tag(0x77)
      .beg_run(8);
}
snack_builder r_data_snack() {
  return snack_builder{snack_type::r_data}.initiator_task_tag(5).snack_tag(0x1234);
}
}  // namespace

TEST_CASE("SNACK fields round-trip through builder and view", "[pdu][snack]") {
  const auto p = snack_builder{snack_type::data_ack}
                     .lun(0x0102030405060708)
                     .initiator_task_tag(0x01020304)
                     .target_transfer_tag(0x11223344)
                     .exp_stat_sn(0x55667788)
                     .beg_run(0x99aabbcc)
                     .run_length(0xddeeff00)
                     .build();
  const snack_view v{p};
  CHECK(v.op() == opcode::snack);
  CHECK(v.final_bit());
  CHECK(v.type() == snack_type::data_ack);
  CHECK(v.raw_type() == 2);
  CHECK(v.lun() == 0x0102030405060708);
  CHECK(v.initiator_task_tag() == 0x01020304);
  CHECK(v.target_transfer_tag() == 0x11223344);
  CHECK(v.snack_tag() == 0x11223344);
  CHECK(v.exp_stat_sn() == 0x55667788);
  CHECK(v.beg_run() == 0x99aabbcc);
  CHECK(v.run_length() == 0xddeeff00);
  CHECK_FALSE(v.requests_all_unacknowledged());

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48);
  CHECK(wire[0] == 0x10);
  CHECK(wire[1] == (0x80 | 2));
  CHECK(load_be64(&wire[8]) == 0x0102030405060708);
  CHECK(load_be32(&wire[16]) == 0x01020304);
  CHECK(load_be32(&wire[20]) == 0x11223344);
  CHECK(load_be32(&wire[28]) == 0x55667788);
  CHECK(load_be32(&wire[40]) == 0x99aabbcc);
  CHECK(load_be32(&wire[44]) == 0xddeeff00);
}

TEST_CASE("legal SNACKs of every type validate clean", "[pdu][snack][validate]") {
  CHECK(clean(data_snack().build()));
  CHECK(clean(status_snack().build()));
  CHECK(clean(data_ack().build()));
  CHECK(clean(r_data_snack().build()));
  const auto all = snack_builder{}.initiator_task_tag(1).build();
  CHECK(snack_view{all}.requests_all_unacknowledged());
  CHECK(clean(all));
}

// rfc7143 section 11.16, in our words:
// byte 0 .|.|0x10, byte 1 1|.|.|.|Type; bytes 2-3, 24-27 and 32-39 Reserved
TEST_CASE("SNACK reserved fields are sender violations only", "[pdu][snack][validate]") {
  struct probe {
    std::size_t offset;
    std::uint8_t value;
    const char* requirement;
  };
  const probe probes[] = {
      {0, 0x40 | 0x10, "rfc7143#section-11.16/snack-i-bit-reserved"},
      {1, 0x80 | 0x20, "rfc7143#section-11.16/snack-flags-reserved"},
      {2, 1, "rfc7143#section-11.16/snack-bytes2-3-reserved"},
      {27, 1, "rfc7143#section-11.16/snack-bytes24-27-reserved"},
      {32, 1, "rfc7143#section-11.16/snack-bytes32-39-reserved"},
      {15, 1, "rfc7143#section-11.16/snack-lun-reserved"},
  };
  for (const auto& probe : probes) {
    const auto vs = validate(data_snack().set_u8(probe.offset, probe.value).build());
    REQUIRE(vs.size() == 1);
    CHECK(vs[0].requirement == probe.requirement);
    CHECK(vs[0].level == severity::reserved_field);
  }
}

// rfc7143 section 11.16, in our words:
// byte 1 is 1|.|.|.|Type
TEST_CASE("SNACK F bit must be 1", "[pdu][snack][validate]") {
  CHECK(has_violation(validate(data_snack().final_bit(false).build()),
                      "rfc7143#section-11.16/f-bit-set"));
}

//= rfc7143#section-11.16.1 type=test
//# All other values are reserved.
TEST_CASE("SNACK types above 3 are reserved", "[pdu][snack][validate]") {
  for (std::uint8_t code : {4, 15}) {
    const auto p = data_snack().raw_type(code).build();
    CHECK(snack_view{p}.raw_type() == code);
    CHECK(snack_view{p}.final_bit());
    const auto vs = validate(p);
    REQUIRE(vs.size() == 1);
    CHECK(vs[0].requirement == "rfc7143#section-11.16.1/type-reserved");
  }
}

//= rfc7143#section-11.2.1.5 type=test
//# The TotalAHSLength is only used in PDUs that have an AHS and MUST be 0 in all other PDUs.
TEST_CASE("SNACK carries no AHS", "[pdu][snack][validate]") {
  CHECK(has_violation(validate(data_snack().ahs(byte_buffer{0, 1, 1, 0}).build()),
                      "rfc7143#section-11.2.1.5/snack-no-ahs"));
}

//= rfc7143#section-11.2.1.6 type=test
//# The DataSegmentLength MUST be 0 whenever the PDU has no data segment.
TEST_CASE("SNACK carries no data segment", "[pdu][snack][validate]") {
  CHECK(has_violation(validate(data_snack().data(byte_buffer{1, 2, 3, 4}).build()),
                      "rfc7143#section-11.2.1.6/snack-no-data"));
}

//= rfc7143#section-11.16.4 type=test
//# For a Status SNACK and DataACK, the Initiator Task Tag MUST be set to the reserved
//# value 0xffffffff. In all other cases, the Initiator Task Tag field MUST be set to the
//# Initiator Task Tag of the referenced command.
TEST_CASE("SNACK Initiator Task Tag rules", "[pdu][snack][validate]") {
  const char* reserved = "rfc7143#section-11.16.4/itt-reserved-for-status-and-dataack";
  CHECK(has_violation(validate(status_snack().initiator_task_tag(1).build()), reserved));
  CHECK(has_violation(validate(data_ack().initiator_task_tag(1).build()), reserved));
  const char* names = "rfc7143#section-11.16.4/itt-names-command";
  CHECK(has_violation(validate(data_snack().initiator_task_tag(reserved_tag).build()), names));
  CHECK(has_violation(validate(r_data_snack().initiator_task_tag(reserved_tag).build()), names));
}

//= rfc7143#section-11.16.5 type=test
//# For a R-Data SNACK, this field MUST contain a value that is different from 0 or
//# 0xffffffff ... For DataACK, the Target Transfer Tag MUST contain a copy ... In all
//# other cases, the Target Transfer Tag field MUST be set to the reserved value 0xffffffff.
TEST_CASE("SNACK Target Transfer Tag and SNACK Tag rules", "[pdu][snack][validate]") {
  const char* tag = "rfc7143#section-11.16.5/snack-tag-valid";
  CHECK(has_violation(validate(r_data_snack().snack_tag(0).build()), tag));
  CHECK(has_violation(validate(r_data_snack().snack_tag(reserved_tag).build()), tag));
  CHECK(has_violation(validate(data_ack().target_transfer_tag(reserved_tag).build()),
                      "rfc7143#section-11.16.5/dataack-copies-ttt"));
  const char* ttt = "rfc7143#section-11.16.5/ttt-reserved-value";
  CHECK(has_violation(validate(data_snack().target_transfer_tag(1).build()), ttt));
  CHECK(has_violation(validate(status_snack().target_transfer_tag(1).build()), ttt));
}

//= rfc7143#section-11.16.6 type=test
//# BegRun MUST be 0 for a R-Data SNACK.
TEST_CASE("R-Data SNACK BegRun must be 0", "[pdu][snack][validate]") {
  CHECK(has_violation(validate(r_data_snack().beg_run(1).build()),
                      "rfc7143#section-11.16.6/r-data-beg-run-zero"));
}

//= rfc7143#section-11.16.7 type=test
//# The RunLength MUST also be 0 for a DataACK SNACK in addition to a R-Data SNACK.
TEST_CASE("DataACK and R-Data SNACK RunLength must be 0", "[pdu][snack][validate]") {
  const char* id = "rfc7143#section-11.16.7/run-length-zero";
  CHECK(has_violation(validate(data_ack().run_length(1).build()), id));
  CHECK(has_violation(validate(r_data_snack().run_length(1).build()), id));
}
