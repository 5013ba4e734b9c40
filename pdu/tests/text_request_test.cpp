#include "touchstone/pdu/text_request.hpp"

#include <catch2/catch.hpp>
#include <string_view>

#include "test_util.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {
byte_buffer text_bytes(std::string_view s) {
  byte_buffer out(s.begin(), s.end());
  out.push_back(0);
  return out;
}

text_request_builder send_targets() {
  return text_request_builder{}.initiator_task_tag(7).data(text_bytes("SendTargets=All"));
}
}  // namespace

TEST_CASE("Text Request fields round-trip through builder and view", "[pdu][text_request]") {
  const auto text = text_bytes("MaxBurstLength=262144");
  const auto p = text_request_builder{}
                     .final_bit(false)
                     .continue_bit()
                     .immediate()
                     .lun(0x0004000000000000)
                     .initiator_task_tag(0x01020304)
                     .target_transfer_tag(0x12345678)
                     .cmd_sn(0x23456789)
                     .exp_stat_sn(0x3456789a)
                     .data(text)
                     .build();
  const text_request_view v{p};
  CHECK(v.op() == opcode::text_request);
  CHECK(v.immediate());
  CHECK_FALSE(v.final_bit());
  CHECK(v.continue_bit());
  CHECK(v.lun() == 0x0004000000000000);
  CHECK(v.initiator_task_tag() == 0x01020304);
  CHECK(v.target_transfer_tag() == 0x12345678);
  CHECK_FALSE(v.is_new_request());
  CHECK(v.cmd_sn() == 0x23456789);
  CHECK(v.exp_stat_sn() == 0x3456789a);
  CHECK(v.data_segment_length() == text.size());
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + padded_length(text.size()));
  CHECK(wire[0] == (0x40 | 0x04));
  CHECK(wire[1] == 0x40);
  CHECK(load_be24(&wire[5]) == text.size());
  CHECK(load_be64(&wire[8]) == 0x0004000000000000);
  CHECK(load_be32(&wire[16]) == 0x01020304);
  CHECK(load_be32(&wire[20]) == 0x12345678);
  CHECK(load_be32(&wire[24]) == 0x23456789);
  CHECK(load_be32(&wire[28]) == 0x3456789a);
  CHECK(std::equal(text.begin(), text.end(), wire.begin() + 48));
}

TEST_CASE("Text Request builder defaults are legal", "[pdu][text_request][validate]") {
  const auto p = text_request_builder{}.build();
  const text_request_view v{p};
  CHECK(v.final_bit());
  CHECK_FALSE(v.continue_bit());
  CHECK(v.is_new_request());
  CHECK(encode(p)[1] == 0x80);
  CHECK(clean(p));
  CHECK(clean(send_targets().build()));
}

// rfc7143 section 11.10, in our words:
// byte 1 F|C|Reserved; bytes 2-3 and 32-47 Reserved
TEST_CASE("Text Request reserved fields are sender violations only",
          "[pdu][text_request][validate]") {
  const auto vs = validate(send_targets().set_bits(1, 0x3f, 0x01).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.10/text-byte1-reserved");
  CHECK(vs[0].level == severity::reserved_field);
  CHECK(has_violation(validate(send_targets().set_u8(2, 1).build()),
                      "rfc7143#section-11.10/text-bytes2-3-reserved"));
  CHECK(has_violation(validate(send_targets().set_u8(47, 1).build()),
                      "rfc7143#section-11.10/text-bytes32-47-reserved"));
}

//= rfc7143#section-11.10.2 type=test
//# A Text Request with the C bit set to 1 MUST have the F bit set to 0.
TEST_CASE("Text Request may not set both C and F", "[pdu][text_request][validate]") {
  CHECK(has_violation(validate(send_targets().continue_bit().build()),
                      "rfc7143#section-11.10.2/continue-forbids-final"));
  CHECK(clean(send_targets().continue_bit().final_bit(false).build()));
}

//= rfc7143#section-11.2.1.5 type=test
//# The TotalAHSLength is only used in PDUs that have an AHS and MUST be 0 in all other PDUs.
TEST_CASE("Text Request carries no AHS", "[pdu][text_request][validate]") {
  CHECK(has_violation(validate(send_targets().ahs(byte_buffer{0, 1, 1, 0}).build()),
                      "rfc7143#section-11.2.1.5/text-request-no-ahs"));
}

//= rfc7143#section-11.2.1.8 type=test
//# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
TEST_CASE("Text Request may not use the reserved ITT", "[pdu][text_request][validate]") {
  CHECK(has_violation(validate(send_targets().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/text-request-itt-not-reserved"));
}
