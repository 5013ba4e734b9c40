#include "touchstone/pdu/login_request.hpp"

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

// A legal first login that asks to move on to operational negotiation.
login_request_builder first_login() {
  return login_request_builder{}
      .csg(login_stage::security_negotiation)
      .transit_to(login_stage::operational_negotiation)
      .isid(isid_fields{isid_format::random, 0, 0x1234, 0x56, 0x0001})
      .initiator_task_tag(1)
      .data(text_bytes("AuthMethod=None"));
}
}  // namespace

TEST_CASE("Login Request fields round-trip through builder and view", "[pdu][login_request]") {
  const auto text = text_bytes("InitiatorName=iqn.2020-01.org.example:host");
  const auto p = login_request_builder{}
                     .transit(false)
                     .continue_bit()
                     .csg(login_stage::operational_negotiation)
                     .isid(0x80123456789aULL)
                     .tsih(0xbeef)
                     .initiator_task_tag(0x01020304)
                     .cid(0x0a0b)
                     .cmd_sn(0x11223344)
                     .exp_stat_sn(0x55667788)
                     .data(text)
                     .build();
  const login_request_view v{p};
  CHECK(v.op() == opcode::login_request);
  CHECK(v.immediate());
  CHECK_FALSE(v.transit());
  CHECK(v.continue_bit());
  CHECK(v.csg() == login_stage::operational_negotiation);
  CHECK(v.raw_nsg() == 0);
  CHECK(v.version_max() == 0);
  CHECK(v.version_min() == 0);
  CHECK(v.isid() == 0x80123456789aULL);
  CHECK(v.isid_parts().t == isid_format::random);
  CHECK(v.isid_parts().b == 0x1234);
  CHECK(v.isid_parts().c == 0x56);
  CHECK(v.isid_parts().d == 0x789a);
  CHECK(v.tsih() == 0xbeef);
  CHECK(v.initiator_task_tag() == 0x01020304);
  CHECK(v.cid() == 0x0a0b);
  CHECK(v.cmd_sn() == 0x11223344);
  CHECK(v.exp_stat_sn() == 0x55667788);
  CHECK(v.data_segment_length() == text.size());
  CHECK(p.data == text);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + padded_length(text.size()));
  CHECK(wire[0] == (0x40 | 0x03));
  CHECK(wire[1] == (0x40 | (1 << 2)));
  CHECK(wire[2] == 0);
  CHECK(wire[3] == 0);
  CHECK(load_be24(&wire[5]) == text.size());
  CHECK(wire[8] == 0x80);
  CHECK(load_be32(&wire[10]) == 0x3456789a);
  CHECK(load_be16(&wire[14]) == 0xbeef);
  CHECK(load_be32(&wire[16]) == 0x01020304);
  CHECK(load_be16(&wire[20]) == 0x0a0b);
  CHECK(load_be32(&wire[24]) == 0x11223344);
  CHECK(load_be32(&wire[28]) == 0x55667788);
  CHECK(std::equal(text.begin(), text.end(), wire.begin() + 48));
}

TEST_CASE("Login Request stage, version and ISID setters", "[pdu][login_request]") {
  const auto p = login_request_builder{}
                     .csg(login_stage::security_negotiation)
                     .transit_to(login_stage::full_feature_phase)
                     .version_max(2)
                     .version_min(1)
                     .isid(isid_fields{isid_format::oui, 0x2a, 0xbbcc, 0xdd, 0xeeff})
                     .build();
  const login_request_view v{p};
  CHECK(v.transit());
  CHECK(v.nsg() == login_stage::full_feature_phase);
  CHECK(v.version_max() == 2);
  CHECK(v.version_min() == 1);
  CHECK(v.isid_parts().a == 0x2a);
  CHECK(v.isid() == 0x2abbccddeeffULL);
  const auto wire = encode(p);
  CHECK(wire[1] == (0x80 | 0x03));
  CHECK(wire[2] == 2);
  CHECK(wire[3] == 1);
  CHECK(wire[8] == 0x2a);
  CHECK(wire[13] == 0xff);
}

TEST_CASE("legal Login Requests validate clean", "[pdu][login_request][validate]") {
  CHECK(clean(login_request_builder{}.build()));
  CHECK(clean(first_login().build()));
  CHECK(clean(login_request_builder{}
                  .csg(login_stage::operational_negotiation)
                  .transit_to(login_stage::full_feature_phase)
                  .build()));
  CHECK(clean(login_request_builder{}.transit_to(login_stage::full_feature_phase).build()));
}

// rfc7143 section 11.12, in our words:
// byte 1 T|C|.|.|CSG|NSG; bytes 22-23 and 32-47 reserved
TEST_CASE("Login Request reserved fields are sender violations only",
          "[pdu][login_request][validate]") {
  const char* bits = "rfc7143#section-11.12/login-flags-bits2-3-reserved";
  const auto vs = validate(first_login().set_bits(1, 0x30, 0x10).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == bits);
  CHECK(vs[0].level == severity::reserved_field);
  CHECK(has_violation(validate(first_login().set_u8(23, 1).build()),
                      "rfc7143#section-11.12/login-bytes22-23-reserved"));
  CHECK(has_violation(validate(first_login().set_u8(32, 1).build()),
                      "rfc7143#section-11.12/login-bytes32-47-reserved"));
}

//= rfc7143#section-11.12 type=test
//# Login Requests are always considered as immediate.
TEST_CASE("Login Request carries the I bit", "[pdu][login_request][validate]") {
  CHECK(has_violation(validate(first_login().immediate(false).build()),
                      "rfc7143#section-11.12/login-i-bit-set"));
}

//= rfc7143#section-11.2.1.5 type=test
//# The TotalAHSLength is only used in PDUs that have an AHS and MUST be 0 in all other PDUs.
TEST_CASE("Login Request carries no AHS", "[pdu][login_request][validate]") {
  CHECK(has_violation(validate(first_login().ahs(byte_buffer{0, 1, 1, 0}).build()),
                      "rfc7143#section-11.2.1.5/login-request-no-ahs"));
}

//= rfc7143#section-11.2.1.8 type=test
//# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
TEST_CASE("Login Request may not use the reserved ITT", "[pdu][login_request][validate]") {
  CHECK(has_violation(validate(first_login().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/login-request-itt-not-reserved"));
}

//= rfc7143#section-11.12.4 type=test
//# both Version-min and Version-max MUST be set to 0x00.
TEST_CASE("Login Request versions must be 0x00", "[pdu][login_request][validate]") {
  CHECK(has_violation(validate(first_login().version_max(1).build()),
                      "rfc7143#section-11.12.4/version-max-zero"));
  CHECK(has_violation(validate(first_login().version_min(1).build()),
                      "rfc7143#section-11.12.4/version-min-zero"));
}

//= rfc7143#section-11.12.2 type=test
//# A Login Request with the C bit set to 1 MUST have the T bit set to 0.
//= rfc7143#section-6.2 type=test
//# As negotiation text may span PDU boundaries, a Text or Login Request or a Text or Login Response
//# PDU that has the C bit set to 1 MUST NOT have the F bit or T bit set to 1.
TEST_CASE("Login Request may not set both C and T", "[pdu][login_request][validate]") {
  CHECK(has_violation(validate(first_login().continue_bit().build()),
                      "rfc7143#section-11.12.2/continue-forbids-transit"));
}

// rfc7143 section 11.12.3, in our words:
// All other codes are reserved. The Next Stage value is only valid when the T bit is 1;
// otherwise, it is reserved.
TEST_CASE("Login Request stage codes", "[pdu][login_request][validate]") {
  const auto csg2 = first_login().raw_csg(2).build();
  CHECK(login_request_view{csg2}.raw_csg() == 2);
  CHECK(has_violation(validate(csg2), "rfc7143#section-11.12.3/csg-reserved"));

  const auto nsg2 = first_login().raw_nsg(2).build();
  CHECK(login_request_view{nsg2}.raw_nsg() == 2);
  CHECK(has_violation(validate(nsg2), "rfc7143#section-11.12.3/nsg-reserved"));

  const auto vs = validate(first_login().transit(false).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.12.3/nsg-reserved-without-t");
  CHECK(vs[0].level == severity::reserved_field);
}

//= rfc7143#section-6.3 type=test
//# Stage transitions during login (including entering and exit) are only possible as
//# outlined in the following table
TEST_CASE("Login Request stage transitions", "[pdu][login_request][validate]") {
  CHECK(has_violation(validate(first_login().csg(login_stage::full_feature_phase).build()),
                      "rfc7143#section-6.3/csg-is-negotiation-stage"));
  CHECK(has_violation(validate(first_login().transit_to(login_stage::security_negotiation).build()),
                      "rfc7143#section-6.3/transition-moves-forward"));
  CHECK(has_violation(validate(first_login()
                                   .csg(login_stage::operational_negotiation)
                                   .transit_to(login_stage::operational_negotiation)
                                   .build()),
                      "rfc7143#section-6.3/transition-moves-forward"));
}

// rfc7143 section 11.12.5, in our words:
// The T field value of 11b is reserved. (A is reserved for T 01b and 10b)
TEST_CASE("Login Request ISID format", "[pdu][login_request][validate]") {
  CHECK(has_violation(
      validate(first_login().isid(isid_fields{isid_format::reserved, 0, 1, 2, 3}).build()),
      "rfc7143#section-11.12.5/isid-t-reserved"));
  const auto vs =
      validate(first_login().isid(isid_fields{isid_format::enterprise_number, 1, 2, 3, 4}).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.12.5/isid-a-reserved");
  CHECK(vs[0].level == severity::reserved_field);
  // In the OUI format A is part of the OUI.
  CHECK(clean(first_login().isid(isid_fields{isid_format::oui, 1, 2, 3, 4}).build()));
}
