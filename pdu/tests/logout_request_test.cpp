#include "touchstone/pdu/logout_request.hpp"

#include <catch2/catch.hpp>

#include "test_util.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {
logout_request_builder close_connection() {
  return logout_request_builder{logout_reason::close_connection}.initiator_task_tag(9).cid(1);
}
}  // namespace

TEST_CASE("Logout Request fields round-trip through builder and view", "[pdu][logout_request]") {
  const auto p = logout_request_builder{logout_reason::remove_connection_for_recovery}
                     .immediate()
                     .initiator_task_tag(0x01020304)
                     .cid(0xabcd)
                     .cmd_sn(0x11223344)
                     .exp_stat_sn(0x55667788)
                     .build();
  const logout_request_view v{p};
  CHECK(v.op() == opcode::logout_request);
  CHECK(v.immediate());
  CHECK(v.final_bit());
  CHECK(v.reason() == logout_reason::remove_connection_for_recovery);
  CHECK(v.raw_reason_code() == 2);
  CHECK(v.initiator_task_tag() == 0x01020304);
  CHECK(v.cid() == 0xabcd);
  CHECK(v.cmd_sn() == 0x11223344);
  CHECK(v.exp_stat_sn() == 0x55667788);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48);
  CHECK(wire[0] == (0x40 | 0x06));
  CHECK(wire[1] == (0x80 | 2));
  CHECK(load_be32(&wire[16]) == 0x01020304);
  CHECK(load_be16(&wire[20]) == 0xabcd);
  CHECK(load_be32(&wire[24]) == 0x11223344);
  CHECK(load_be32(&wire[28]) == 0x55667788);
}

TEST_CASE("Logout Request builder defaults are legal", "[pdu][logout_request][validate]") {
  const auto p = logout_request_builder{}.build();
  CHECK(logout_request_view{p}.reason() == logout_reason::close_session);
  CHECK(encode(p)[1] == 0x80);
  CHECK(clean(p));
  CHECK(clean(close_connection().build()));
}

// rfc7143 section 11.14, in our words:
// byte 1 is 1|Reason Code
TEST_CASE("Logout Request F bit must be 1", "[pdu][logout_request][validate]") {
  CHECK(has_violation(validate(close_connection().final_bit(false).build()),
                      "rfc7143#section-11.14/f-bit-set"));
}

//= rfc7143#section-11.14.1 type=test
//# All other values are reserved.
TEST_CASE("Logout Request reason codes above 2 are reserved", "[pdu][logout_request][validate]") {
  for (std::uint8_t code : {3, 0x7f}) {
    const auto p = close_connection().raw_reason_code(code).build();
    CHECK(logout_request_view{p}.raw_reason_code() == code);
    CHECK(logout_request_view{p}.final_bit());
    CHECK(has_violation(validate(p), "rfc7143#section-11.14.1/reason-code-reserved"));
  }
}

// rfc7143 section 11.14, in our words:
// bytes 2-3, 8-15, 22-23 and 32-47 Reserved
TEST_CASE("Logout Request reserved fields are sender violations only",
          "[pdu][logout_request][validate]") {
  struct probe {
    std::size_t offset;
    const char* requirement;
  };
  const probe probes[] = {
      {2, "rfc7143#section-11.14/logout-bytes2-3-reserved"},
      {8, "rfc7143#section-11.14/logout-bytes8-15-reserved"},
      {15, "rfc7143#section-11.14/logout-bytes8-15-reserved"},
      {23, "rfc7143#section-11.14/logout-bytes22-23-reserved"},
      {40, "rfc7143#section-11.14/logout-bytes32-47-reserved"},
  };
  for (const auto& probe : probes) {
    const auto vs = validate(close_connection().set_u8(probe.offset, 1).build());
    REQUIRE(vs.size() == 1);
    CHECK(vs[0].requirement == probe.requirement);
    CHECK(vs[0].level == severity::reserved_field);
  }
}

//= rfc7143#section-11.14.3 type=test
//# This field is only valid if the reason code is not "close the session".
TEST_CASE("Logout Request CID is reserved when closing the session",
          "[pdu][logout_request][validate]") {
  const auto vs = validate(logout_request_builder{}.cid(3).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.14.3/cid-reserved-for-close-session");
  CHECK(vs[0].level == severity::reserved_field);
}

//= rfc7143#section-11.14.2 type=test
//# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
TEST_CASE("Logout Request carries neither AHS nor data", "[pdu][logout_request][validate]") {
  CHECK(has_violation(validate(close_connection().ahs(byte_buffer{0, 1, 1, 0}).build()),
                      "rfc7143#section-11.14.2/total-ahs-length-zero"));
  CHECK(has_violation(validate(close_connection().data(byte_buffer{1, 2}).build()),
                      "rfc7143#section-11.14.2/data-segment-length-zero"));
}

//= rfc7143#section-11.2.1.8 type=test
//# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
TEST_CASE("Logout Request may not use the reserved ITT", "[pdu][logout_request][validate]") {
  CHECK(has_violation(validate(close_connection().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/logout-request-itt-not-reserved"));
}
