#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/login_response.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {

const byte_buffer target_address{'T', 'a', 'r', 'g', 'e', 't', 'A', 'd', 'd', 'r', 'e', 's',
                                 's', '=', '1', '0', '.', '0', '.', '0', '.', '1', 0};

login_response_builder partial() { return login_response_builder{}.initiator_task_tag(1); }
login_response_builder final_response() {
  return partial()
      .csg(login_stage::operational_negotiation)
      .transit_to(login_stage::full_feature_phase)
      .tsih(0x1234);
}

}  // namespace

TEST_CASE("Login Response fields round-trip through builder, view and wire",
          "[pdu][login_response]") {
  const auto p = partial()
                     .transit_to(login_stage::operational_negotiation)
                     .csg(login_stage::security_negotiation)
                     .version_max(0)
                     .version_active(0)
                     .isid(0x80123456789aULL)
                     .tsih(0xbeef)
                     .initiator_task_tag(0x91929394)
                     .stat_sn(0xb1b2b3b4)
                     .exp_cmd_sn(0xc1c2c3c4)
                     .max_cmd_sn(0xd1d2d3d4)
                     .status(login_status::success)
                     .data(target_address)
                     .build();
  const login_response_view v{p};
  CHECK(v.op() == opcode::login_response);
  CHECK(v.transit());
  CHECK_FALSE(v.continue_bit());
  CHECK(v.csg() == login_stage::security_negotiation);
  CHECK(v.nsg() == login_stage::operational_negotiation);
  CHECK_FALSE(v.is_final_response());
  CHECK(v.isid() == 0x80123456789aULL);
  CHECK(v.isid_parts().t == isid_format::random);
  CHECK(v.tsih() == 0xbeef);
  CHECK(v.initiator_task_tag() == 0x91929394);
  CHECK(v.stat_sn() == 0xb1b2b3b4);
  CHECK(v.exp_cmd_sn() == 0xc1c2c3c4);
  CHECK(v.max_cmd_sn() == 0xd1d2d3d4);
  CHECK(v.status() == login_status::success);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + 24);
  CHECK(wire[0] == 0x23);
  CHECK(wire[1] == 0x81);
  CHECK(wire[8] == 0x80);
  CHECK(wire[13] == 0x9a);
  CHECK(wire[14] == 0xbe);
  CHECK(wire[15] == 0xef);
  CHECK(wire[16] == 0x91);
  CHECK(wire[24] == 0xb1);
  CHECK(wire[28] == 0xc1);
  CHECK(wire[32] == 0xd1);
  CHECK(wire[48] == 'T');
}

TEST_CASE("Login Response versions, status and stage bits on the wire", "[pdu][login_response]") {
  const auto p = partial()
                     .continue_bit()
                     .raw_csg(1)
                     .version_max(0x02)
                     .version_active(0x01)
                     .status(login_status::session_does_not_exist)
                     .build();
  const login_response_view v{p};
  CHECK(v.continue_bit());
  CHECK(v.raw_csg() == 1);
  CHECK(v.version_max() == 2);
  CHECK(v.version_active() == 1);
  CHECK(v.status_class() == 2);
  CHECK(v.status_detail() == 0x0a);
  CHECK(v.status() == login_status::session_does_not_exist);
  const auto wire = encode(p);
  CHECK(wire[1] == 0x44);
  CHECK(wire[2] == 2);
  CHECK(wire[3] == 1);
  CHECK(wire[36] == 2);
  CHECK(wire[37] == 0x0a);
  CHECK(status_class_of(login_status::out_of_resources) == 3);
  CHECK(status_detail_of(login_status::out_of_resources) == 2);
  CHECK(make_login_status(1, 2) == login_status::target_moved_permanently);
}

TEST_CASE("Login Response legal shapes validate clean", "[pdu][login_response][validate]") {
  CHECK(clean(partial().build()));
  CHECK(clean(final_response().build()));
  CHECK(
      clean(partial().status(login_status::target_moved_temporarily).data(target_address).build()));
  CHECK(clean(partial().status(login_status::authentication_failure).build()));
  CHECK(clean(partial().status(login_status::unsupported_version).version_max(0).build()));
}

//= rfc7143#section-11.13.7 type=test
//# A Login Response with the C bit set to 1 MUST have the T bit set to 0.
TEST_CASE("Login Response C bit needs T clear", "[pdu][login_response][validate]") {
  CHECK(has_violation(validate(final_response().continue_bit().build()),
                      "rfc7143#section-11.13.7/c-bit-needs-t-clear"));
}

// rfc7143 section 11.12.3, in our words:
// The Next Stage value is only valid when the T bit is 1; otherwise, it is reserved.
// All other codes are reserved.
TEST_CASE("Login Response stage codes", "[pdu][login_response][validate]") {
  CHECK(has_violation(validate(partial().raw_csg(2).build()),
                      "rfc7143#section-11.12.3/login-response-csg-reserved"));
  CHECK(has_violation(validate(partial().transit().raw_nsg(2).build()),
                      "rfc7143#section-11.12.3/login-response-nsg-reserved"));
  const auto vs = validate(partial().raw_nsg(1).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.12.3/login-response-nsg-reserved-without-t");
  CHECK(vs[0].level == severity::reserved_field);
}

//= rfc7143#section-6.3 type=test
//# Stage transitions during login ... are only possible as outlined in the following table
TEST_CASE("Login Response stage transitions go forward", "[pdu][login_response][validate]") {
  CHECK(has_violation(validate(partial().csg(login_stage::full_feature_phase).build()),
                      "rfc7143#section-6.3/login-response-csg-not-full-feature"));
  CHECK(has_violation(validate(partial().transit_to(login_stage::security_negotiation).build()),
                      "rfc7143#section-6.3/login-response-transition-forward"));
  CHECK(has_violation(validate(partial()
                                   .csg(login_stage::operational_negotiation)
                                   .transit_to(login_stage::security_negotiation)
                                   .build()),
                      "rfc7143#section-6.3/login-response-transition-forward"));
  CHECK(clean(partial().tsih(1).transit_to(login_stage::full_feature_phase).build()));
}

//= rfc7143#section-11.13.2 type=test
//# Version-active indicates the highest version supported by the target and initiator.
TEST_CASE("Login Response versions", "[pdu][login_response][validate]") {
  CHECK(has_violation(validate(partial().version_active(1).build()),
                      "rfc7143#section-11.13.2/version-active-within-max"));
  //= rfc7143#section-11.12.4 type=test
  //# The version number for this document is 0x00.
  CHECK(has_violation(validate(partial().version_max(1).version_active(1).build()),
                      "rfc7143#section-11.12.4/login-response-version-active-defined"));
}

//= rfc7143#section-11.13.3 type=test
//# For a new session, the target MUST generate a non-zero TSIH and ONLY return
//# it in the Login Final-Response
TEST_CASE("Login Final-Response carries a non-zero TSIH", "[pdu][login_response][validate]") {
  CHECK(has_violation(validate(final_response().tsih(0).build()),
                      "rfc7143#section-11.13.3/final-response-tsih-nonzero"));
  // A rejecting response is no Final-Response that accepts: no TSIH needed.
  CHECK(clean(final_response().tsih(0).status(login_status::out_of_resources).build()));
}

//= rfc7143#section-11.13.5 type=test
//# The table below shows all of the currently allocated status codes.
TEST_CASE("Login Response status codes", "[pdu][login_response][validate]") {
  CHECK(has_violation(validate(partial().status_class(4).build()),
                      "rfc7143#section-11.13.5/status-class-reserved"));
  for (auto [cls, detail] : {std::pair{0, 1}, {1, 0}, {1, 3}, {2, 0x0c}, {3, 3}}) {
    CAPTURE(cls, detail);
    const auto p = partial()
                       .status_class(static_cast<std::uint8_t>(cls))
                       .status_detail(static_cast<std::uint8_t>(detail))
                       .data(target_address)
                       .build();
    CHECK(has_violation(validate(p), "rfc7143#section-11.13.5/status-detail-unallocated"));
  }
  //= rfc7143#section-11.13.5 type=test
  //# All of the redirection Status-Class responses MUST return one or more text
  //# key parameters of the type "TargetAddress"
  CHECK(has_violation(validate(partial().status(login_status::target_moved_permanently).build()),
                      "rfc7143#section-11.13.5/redirection-carries-text"));
}

// rfc7143 section 11.13, in our words:
// |T|C|.|.|CSG|NSG|; bytes 20-23 and 38-47 reserved
TEST_CASE("Login Response reserved fields", "[pdu][login_response][validate]") {
  CHECK(has_violation(validate(partial().set_bits(1, 0x30, 0x10).build()),
                      "rfc7143#section-11.13/byte1-reserved"));
  CHECK(has_violation(validate(partial().set_u8(20, 1).build()),
                      "rfc7143#section-11.13/bytes20-23-reserved"));
  CHECK(has_violation(validate(partial().set_u8(38, 1).build()),
                      "rfc7143#section-11.13/bytes38-47-reserved"));
  //= rfc7143#section-11.2.1.8 type=test
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  CHECK(has_violation(validate(partial().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/login-response-itt-not-reserved"));
}
