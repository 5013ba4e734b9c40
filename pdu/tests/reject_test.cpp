#include <catch2/catch.hpp>

#include "test_util.hpp"
#include "touchstone/pdu/nop_out.hpp"
#include "touchstone/pdu/reject.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {

const pdu bad_nop_out = nop_out_builder{}.initiator_task_tag(0x42).cmd_sn(3).build();

// A SNACK header of the given type, made with the raw escape hatch.
pdu snack_of_type(std::uint8_t type) {
  return nop_out_builder{}
      .raw_opcode(0x10)
      .set_u8(1, static_cast<std::uint8_t>(0x80 | type))
      .build();
}

reject_builder legal() {
  return reject_builder{}.reason(reject_reason::invalid_pdu_field).rejected_pdu(bad_nop_out);
}

}  // namespace

TEST_CASE("Reject fields round-trip through builder, view and wire", "[pdu][reject]") {
  const byte_buffer vendor{0xee};
  const auto p = legal()
                     .reason(reject_reason::protocol_error)
                     .stat_sn(0xb1b2b3b4)
                     .exp_cmd_sn(0xc1c2c3c4)
                     .max_cmd_sn(0xd1d2d3d4)
                     .data_sn_or_r2t_sn(0xe1e2e3e4)
                     .rejected_pdu(snack_of_type(0), vendor)
                     .build();
  const reject_view v{p};
  CHECK(v.op() == opcode::reject);
  CHECK(v.final_bit());
  CHECK(v.initiator_task_tag() == 0xffffffff);
  CHECK(v.reason() == reject_reason::protocol_error);
  CHECK(v.stat_sn() == 0xb1b2b3b4);
  CHECK(v.exp_cmd_sn() == 0xc1c2c3c4);
  CHECK(v.max_cmd_sn() == 0xd1d2d3d4);
  CHECK(v.data_sn_or_r2t_sn() == 0xe1e2e3e4);
  REQUIRE(v.rejected_header());
  CHECK(v.rejected_header()->op() == opcode::snack);
  CHECK(v.holds_complete_header());
  CHECK(v.rejected_ahs().empty());
  CHECK(byte_buffer(v.vendor_data().begin(), v.vendor_data().end()) == vendor);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + 52);
  CHECK(wire[0] == 0x3f);
  CHECK(wire[1] == 0x80);
  CHECK(wire[2] == 0x04);
  CHECK(wire[7] == 49);
  CHECK(wire[16] == 0xff);
  CHECK(wire[24] == 0xb1);
  CHECK(wire[28] == 0xc1);
  CHECK(wire[32] == 0xd1);
  CHECK(wire[36] == 0xe1);
  CHECK(wire[48] == 0x10);
  CHECK(wire[96] == 0xee);
}

TEST_CASE("Reject carries the rejected header with its AHS", "[pdu][reject]") {
  const auto with_ahs = nop_out_builder{}.ahs(byte_buffer{0, 4, 0x7f, 0, 1, 2, 3, 4}).build();
  const auto p = legal().rejected_pdu(with_ahs).build();
  const reject_view v{p};
  REQUIRE(v.rejected_header());
  CHECK(v.rejected_header()->total_ahs_length() == 2);
  CHECK(v.rejected_ahs().size() == 8);
  CHECK(v.vendor_data().empty());
  CHECK(clean(p));
  CHECK(reject_view{legal().build().bhs}.data_segment().empty());
}

TEST_CASE("Reject reasons keep unknown values", "[pdu][reject]") {
  const auto p = legal().raw_reason(0x99).build();
  CHECK(reject_view{p}.raw_reason() == 0x99);
  CHECK(original_pdu_may_be_resent(reject_reason::data_digest_error));
  CHECK_FALSE(original_pdu_may_be_resent(reject_reason::invalid_pdu_field));
}

// rfc7143 section 11.17.1, in our words:
// 0x01 Reserved ... All other values for Reason are unassigned.
TEST_CASE("Reject reason codes", "[pdu][reject][validate]") {
  for (std::uint8_t code : {0x00, 0x01, 0x0d, 0xff}) {
    CAPTURE(code);
    CHECK(has_violation(validate(legal().raw_reason(code).build()),
                        "rfc7143#section-11.17.1/reason-unassigned"));
  }
  //= rfc7143#section-11.17.1 type=test
  //# Reason code 0x0b ("Negotiation Reset") ... is deprecated and MUST NOT be used
  CHECK(has_violation(validate(legal().reason(reject_reason::negotiation_reset).build()),
                      "rfc7143#section-11.17.1/reason-negotiation-reset-deprecated"));
}

//= rfc7143#section-11.17.4 type=test
//# The target returns the header (not including the digest) of the PDU in error as the data
TEST_CASE("Reject data carries the complete rejected header", "[pdu][reject][validate]") {
  const auto none = legal().data(byte_buffer{}).build();
  CHECK_FALSE(reject_view{none}.rejected_header());
  CHECK(has_violation(validate(none), "rfc7143#section-11.17.4/carries-rejected-header"));
  const auto short_one = legal().data(byte_buffer(47, 0)).build();
  CHECK(has_violation(validate(short_one), "rfc7143#section-11.17.4/carries-rejected-header"));
  // A BHS that declares 8 bytes of AHS that are not there.
  byte_buffer cut(bad_nop_out.bhs.begin(), bad_nop_out.bhs.end());
  cut[4] = 2;
  const auto no_ahs = legal().data(cut).build();
  CHECK(reject_view{no_ahs}.rejected_header());
  CHECK(reject_view{no_ahs}.rejected_ahs().empty());
  CHECK(has_violation(validate(no_ahs), "rfc7143#section-11.17.4/carries-rejected-header"));
  // A BHS declaring 1020 bytes of AHS, cut at 512 bytes (the least
  // MaxRecvDataSegmentLength a receiver may declare): the limit wins.
  byte_buffer long_header(bad_nop_out.bhs.begin(), bad_nop_out.bhs.end());
  long_header[4] = 255;
  long_header.resize(512, 0);
  const auto cut_at_limit = legal().data(long_header).build();
  CHECK(reject_view{cut_at_limit}.holds_header_cut_at_limit());
  CHECK_FALSE(has_violation(validate(cut_at_limit), "rfc7143#section-11.17.4/carries-rejected-header"));
  long_header.resize(511);
  const auto under_limit = legal().data(long_header).build();
  CHECK(has_violation(validate(under_limit), "rfc7143#section-11.17.4/carries-rejected-header"));
}

//= rfc7143#section-11.17.2 type=test
//# This field is only valid if the rejected PDU is a Data/R2T SNACK and the Reject
//# reason code is "Protocol Error"
TEST_CASE("Reject DataSN/R2TSN is reserved unless it answers a Data/R2T SNACK",
          "[pdu][reject][validate]") {
  const auto id = "rfc7143#section-11.17.2/data-sn-reserved-unless-snack-protocol-error";
  const auto protocol_error = [] { return legal().reason(reject_reason::protocol_error); };
  CHECK(clean(protocol_error().rejected_pdu(snack_of_type(0)).data_sn_or_r2t_sn(5).build()));
  CHECK(has_violation(
      validate(protocol_error().rejected_pdu(snack_of_type(1)).data_sn_or_r2t_sn(5).build()), id));
  CHECK(has_violation(validate(protocol_error().data_sn_or_r2t_sn(5).build()), id));
  const auto vs = validate(legal().rejected_pdu(snack_of_type(0)).data_sn_or_r2t_sn(5).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == id);
  CHECK(vs[0].level == severity::reserved_field);
}

// rfc7143 section 11.17, in our words:
// |1| Reserved | Reason | Reserved |; 16| 0xffffffff; bytes 8-15, 20-23 and 40-47 reserved
TEST_CASE("Reject fixed fields", "[pdu][reject][validate]") {
  CHECK(
      has_violation(validate(legal().final_bit(false).build()), "rfc7143#section-11.17/f-bit-set"));
  CHECK(has_violation(validate(legal().initiator_task_tag(1).build()),
                      "rfc7143#section-11.17/itt-reserved-value"));
  CHECK(has_violation(validate(legal().set_u8(1, 0x81).build()),
                      "rfc7143#section-11.17/byte1-reserved"));
  CHECK(has_violation(validate(legal().set_u8(3, 1).build()),
                      "rfc7143#section-11.17/byte3-reserved"));
  CHECK(
      has_violation(validate(legal().lun(1).build()), "rfc7143#section-11.17/bytes8-15-reserved"));
  CHECK(has_violation(validate(legal().set_u8(20, 1).build()),
                      "rfc7143#section-11.17/bytes20-23-reserved"));
  CHECK(has_violation(validate(legal().set_u8(40, 1).build()),
                      "rfc7143#section-11.17/bytes40-47-reserved"));
}
