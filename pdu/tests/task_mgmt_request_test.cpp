#include "touchstone/pdu/task_mgmt_request.hpp"

#include <catch2/catch.hpp>

#include "test_util.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {
task_mgmt_request_builder abort_task() {
  return task_mgmt_request_builder{tmf_function::abort_task}
      .lun(0x0001000000000000)
      .initiator_task_tag(0x20)
      .referenced_task_tag(0x10)
      .cmd_sn(8)
      .ref_cmd_sn(5);
}
}  // namespace

TEST_CASE("TMF Request fields round-trip through builder and view", "[pdu][task_mgmt_request]") {
  const auto p = task_mgmt_request_builder{tmf_function::task_reassign}
                     .initiator_task_tag(0x01020304)
                     .referenced_task_tag(0x05060708)
                     .cmd_sn(0x11111111)
                     .exp_stat_sn(0x22222222)
                     .ref_cmd_sn(0x33333333)
                     .exp_data_sn(0x44444444)
                     .lun(0x0102030405060708)
                     .build();
  const task_mgmt_request_view v{p};
  CHECK(v.op() == opcode::task_mgmt_request);
  CHECK(v.final_bit());
  CHECK(v.immediate());
  CHECK(v.function() == tmf_function::task_reassign);
  CHECK(v.raw_function() == 8);
  CHECK(v.initiator_task_tag() == 0x01020304);
  CHECK(v.referenced_task_tag() == 0x05060708);
  CHECK(v.cmd_sn() == 0x11111111);
  CHECK(v.exp_stat_sn() == 0x22222222);
  CHECK(v.ref_cmd_sn() == 0x33333333);
  CHECK(v.exp_data_sn() == 0x44444444);
  CHECK(v.lun() == 0x0102030405060708);

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48);
  CHECK(wire[0] == (0x40 | 0x02));
  CHECK(wire[1] == (0x80 | 8));
  CHECK(load_be64(&wire[8]) == 0x0102030405060708);
  CHECK(load_be32(&wire[16]) == 0x01020304);
  CHECK(load_be32(&wire[20]) == 0x05060708);
  CHECK(load_be32(&wire[24]) == 0x11111111);
  CHECK(load_be32(&wire[28]) == 0x22222222);
  CHECK(load_be32(&wire[32]) == 0x33333333);
  CHECK(load_be32(&wire[36]) == 0x44444444);
}

TEST_CASE("legal TMF Requests validate clean", "[pdu][task_mgmt_request][validate]") {
  CHECK(clean(task_mgmt_request_builder{}.lun(1).build()));
  CHECK(clean(abort_task().build()));
  CHECK(clean(task_mgmt_request_builder{tmf_function::target_cold_reset}.build()));
  CHECK(clean(task_mgmt_request_builder{tmf_function::task_reassign}
                  .referenced_task_tag(3)
                  .exp_data_sn(2)
                  .build()));
  CHECK(clean(task_mgmt_request_builder{tmf_function::query_task}
                  .referenced_task_tag(3)
                  .ref_cmd_sn(1)
                  .build()));
  CHECK(clean(task_mgmt_request_builder{tmf_function::i_t_nexus_reset}.build()));
}

// rfc7143 section 11.5, in our words:
// byte 1 is 1|Function; bytes 2-3 and 40-47 reserved
TEST_CASE("TMF Request F bit and reserved bytes", "[pdu][task_mgmt_request][validate]") {
  CHECK(has_violation(validate(abort_task().final_bit(false).build()),
                      "rfc7143#section-11.5/f-bit-set"));
  const auto vs = validate(abort_task().set_u8(2, 1).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.5/bytes2-3-reserved");
  CHECK(vs[0].level == severity::reserved_field);
  CHECK(has_violation(validate(abort_task().set_u8(47, 1).build()),
                      "rfc7143#section-11.5/bytes40-47-reserved"));
}

//= rfc7143#section-11.5.2 type=test
//# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
TEST_CASE("TMF Request carries neither AHS nor data", "[pdu][task_mgmt_request][validate]") {
  CHECK(has_violation(validate(abort_task().ahs(byte_buffer{0, 1, 1, 0}).build()),
                      "rfc7143#section-11.5.2/total-ahs-length-zero"));
  CHECK(has_violation(validate(abort_task().data(byte_buffer{1}).build()),
                      "rfc7143#section-11.5.2/data-segment-length-zero"));
}

//= rfc7143#section-11.5.1 type=test
//# All other possible values for the Function field are unassigned.
TEST_CASE("TMF Request function codes outside 1-12 are unassigned",
          "[pdu][task_mgmt_request][validate]") {
  for (std::uint8_t code : {0, 13, 0x7f}) {
    const auto p = task_mgmt_request_builder{}.raw_function(code).build();
    CHECK(task_mgmt_request_view{p}.raw_function() == code);
    CHECK(task_mgmt_request_view{p}.final_bit());
    CHECK(has_violation(validate(p), "rfc7143#section-11.5.1/function-unassigned"));
  }
}

//= rfc7143#section-11.5.1 type=test
//# TASK REASSIGN MUST be issued as an immediate command.
TEST_CASE("TASK REASSIGN must be immediate", "[pdu][task_mgmt_request][validate]") {
  const auto p = task_mgmt_request_builder{tmf_function::task_reassign}
                     .referenced_task_tag(3)
                     .immediate(false)
                     .build();
  CHECK(has_violation(validate(p), "rfc7143#section-11.5.1/task-reassign-immediate"));
}

//= rfc7143#section-11.5.3 type=test
//# This field is required for functions that address a specific LU ... and is reserved in all
// others.
TEST_CASE("TMF Request LUN is reserved for target resets", "[pdu][task_mgmt_request][validate]") {
  const auto vs =
      validate(task_mgmt_request_builder{tmf_function::target_warm_reset}.lun(1).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.5.3/lun-reserved");
  CHECK(vs[0].level == severity::reserved_field);
}

//= rfc7143#section-11.5.4 type=test
//# For all the other functions, this field MUST be set to the reserved value 0xffffffff.
TEST_CASE("Referenced Task Tag rules", "[pdu][task_mgmt_request][validate]") {
  CHECK(has_violation(
      validate(task_mgmt_request_builder{tmf_function::clear_aca}.referenced_task_tag(1).build()),
      "rfc7143#section-11.5.4/rtt-reserved-value"));
  CHECK(has_violation(validate(abort_task().referenced_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.5.4/rtt-names-a-task"));
}

//= rfc7143#section-11.5.5 type=test
//# Otherwise, this field is reserved.
TEST_CASE("RefCmdSN is reserved outside ABORT TASK", "[pdu][task_mgmt_request][validate]") {
  CHECK(has_violation(validate(task_mgmt_request_builder{}.ref_cmd_sn(4).build()),
                      "rfc7143#section-11.5.5/ref-cmd-sn-reserved"));
}

//= rfc7143#section-11.5.6 type=test
//# For other functions, this field is reserved.
TEST_CASE("ExpDataSN is reserved outside TASK REASSIGN", "[pdu][task_mgmt_request][validate]") {
  CHECK(has_violation(validate(abort_task().exp_data_sn(4).build()),
                      "rfc7143#section-11.5.6/exp-data-sn-reserved"));
}

//= rfc7143#section-11.2.1.8 type=test
//# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
TEST_CASE("TMF Request may not use the reserved ITT", "[pdu][task_mgmt_request][validate]") {
  CHECK(has_violation(validate(abort_task().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/task-mgmt-request-itt-not-reserved"));
}
