#include "touchstone/pdu/scsi_command.hpp"

#include <catch2/catch.hpp>

#include "test_util.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::clean;
using touchstone::pdu::test::has_violation;

namespace {
byte_buffer cdb_of(std::size_t n) {
  byte_buffer out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(0xa0 + i);
  return out;
}

// A legal 4 KiB read: the base of most negative tests below.
scsi_command_builder read_command() {
  return scsi_command_builder{}
      .read()
      .expected_data_transfer_length(4096)
      .initiator_task_tag(1)
      .cdb(cdb_of(10));
}
}  // namespace

TEST_CASE("SCSI Command fields round-trip through builder and view", "[pdu][scsi_command]") {
  const auto p = scsi_command_builder{}
                     .write()
                     .final_bit(false)
                     .attribute(task_attribute::head_of_queue)
                     .lun(0x0002000000000000)
                     .initiator_task_tag(0x11223344)
                     .expected_data_transfer_length(0x00010000)
                     .cmd_sn(0x55667788)
                     .exp_stat_sn(0x99aabbcc)
                     .cdb(cdb_of(16))
                     .data(byte_buffer(512, 0x5a))
                     .build();
  const scsi_command_view v{p};
  CHECK(v.op() == opcode::scsi_command);
  CHECK_FALSE(v.final_bit());
  CHECK(v.write());
  CHECK_FALSE(v.read());
  CHECK(v.attribute() == task_attribute::head_of_queue);
  CHECK(v.lun() == 0x0002000000000000);
  CHECK(v.initiator_task_tag() == 0x11223344);
  CHECK(v.expected_data_transfer_length() == 0x00010000);
  CHECK(v.cmd_sn() == 0x55667788);
  CHECK(v.exp_stat_sn() == 0x99aabbcc);
  CHECK(v.data_segment_length() == 512);
  CHECK(std::equal(v.cdb_field().begin(), v.cdb_field().end(), cdb_of(16).begin()));
  CHECK(v.full_cdb().value() == cdb_of(16));
  CHECK(p.ahs.empty());
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + 512);
  CHECK(wire[0] == 0x01);
  CHECK(wire[1] == (0x20 | 0x03));  // W, ATTR=3
  CHECK(load_be24(&wire[5]) == 512);
  CHECK(load_be64(&wire[8]) == 0x0002000000000000);
  CHECK(load_be32(&wire[16]) == 0x11223344);
  CHECK(load_be32(&wire[20]) == 0x00010000);
  CHECK(load_be32(&wire[24]) == 0x55667788);
  CHECK(load_be32(&wire[28]) == 0x99aabbcc);
  CHECK(wire[32] == 0xa0);
  CHECK(wire[47] == 0xaf);
}

TEST_CASE("SCSI Command builder defaults are legal", "[pdu][scsi_command][validate]") {
  const auto p = scsi_command_builder{}.build();
  const scsi_command_view v{p};
  CHECK(v.final_bit());
  CHECK(v.attribute() == task_attribute::simple);
  CHECK(encode(p)[1] == 0x81);
  CHECK(clean(p));
  CHECK(clean(read_command().build()));
}

TEST_CASE("a short CDB is zero padded in the BHS", "[pdu][scsi_command]") {
  const auto p = scsi_command_builder{}.cdb(cdb_of(16)).cdb(cdb_of(6)).build();
  const scsi_command_view v{p};
  CHECK(v.cdb_field()[5] == 0xa5);
  CHECK(v.cdb_field()[6] == 0);
  CHECK(v.cdb_field()[15] == 0);
}

//= rfc7143#section-11.3.5 type=test
//# Whenever the CDB is larger than 16 bytes, an Extended CDB AHS MUST be used to contain the CDB
//spillover.
TEST_CASE("a CDB longer than 16 bytes spills into an Extended CDB AHS",
          "[pdu][scsi_command][ahs]") {
  const auto cdb = cdb_of(32);
  const auto p = scsi_command_builder{}.initiator_task_tag(2).cdb(cdb).build();
  CHECK(p.ahs.size() == 20);
  CHECK(p.header().total_ahs_length() == 5);
  const scsi_command_view v{p};
  CHECK(v.full_cdb().value() == cdb);
  CHECK(clean(p));

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + 20);
  CHECK(wire[4] == 5);
  CHECK(load_be16(&wire[48]) == 17);
  CHECK(wire[50] == 0x01);
  CHECK(wire[52] == cdb[16]);

  // A later short CDB drops the spillover again.
  CHECK(scsi_command_builder{}.cdb(cdb).cdb(cdb_of(12)).build().ahs.empty());
}

//= rfc7143#section-11.3.4 type=test
//# For bidirectional operations, an additional header segment MUST be present in the
//# header sequence that indicates the Bidirectional Read Expected Data Transfer Length.
TEST_CASE("bidirectional commands carry the read length AHS", "[pdu][scsi_command][validate]") {
  const auto legal = scsi_command_builder{}
                         .read()
                         .write()
                         .initiator_task_tag(3)
                         .expected_data_transfer_length(512)
                         .cdb(cdb_of(20))
                         .bidirectional_read_length(8192)
                         .build();
  const scsi_command_view v{legal};
  CHECK(v.bidirectional());
  CHECK(v.bidirectional_read_length().value() == std::optional<std::uint32_t>{8192});
  CHECK(v.full_cdb().value() == cdb_of(20));
  CHECK(legal.ahs.size() == 8 + 8);
  CHECK(load_be32(&encode(legal)[48 + 8 + 4]) == 8192);
  CHECK(clean(legal));

  const auto missing =
      scsi_command_builder{}.read().write().expected_data_transfer_length(512).build();
  CHECK(scsi_command_view{missing}.bidirectional_read_length().value() == std::nullopt);
  CHECK(has_violation(validate(missing),
                      "rfc7143#section-11.3.4/bidirectional-needs-read-length-ahs"));
}

//= rfc7143#section-11.3.1 type=test
//# At least one of the W and F bits MUST be set to 1.
TEST_CASE("SCSI Command needs W or F", "[pdu][scsi_command][validate]") {
  CHECK(has_violation(validate(read_command().final_bit(false).build()),
                      "rfc7143#section-11.3.1/w-or-f-set"));
}

// rfc7143 section 11.3.1, in our words:
// R and W MUST NOT both be 0 when the Expected Data Transfer Length and/or
// Bidirectional Read Expected Data Transfer Length are not 0
TEST_CASE("a data transfer needs R or W", "[pdu][scsi_command][validate]") {
  CHECK(has_violation(validate(read_command().read(false).build()),
                      "rfc7143#section-11.3.1/transfer-needs-direction"));
  // The read length of a bidirectional AHS counts too.
  const auto bidi_only = scsi_command_builder{}.bidirectional_read_length(512).build();
  CHECK(has_violation(validate(bidi_only), "rfc7143#section-11.3.1/transfer-needs-direction"));
}

// rfc7143 section 11.3.1, in our words:
// Task Attributes 5-7 - Reserved; bit 3-4 Reserved.
TEST_CASE("SCSI Command task attribute and reserved flags", "[pdu][scsi_command][validate]") {
  const auto p = read_command().raw_task_attribute(6).build();
  CHECK(scsi_command_view{p}.raw_task_attribute() == 6);
  CHECK(has_violation(validate(p), "rfc7143#section-11.3.1/task-attribute-reserved"));

  const auto vs = validate(read_command().set_bits(1, 0x18, 0x08).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.3.1/flags-bits3-4-reserved");
  CHECK(vs[0].level == severity::reserved_field);
  CHECK(has_violation(validate(read_command().set_u8(3, 1).build()),
                      "rfc7143#section-11.3/bytes2-3-reserved"));
}

//= rfc7143#section-11.3.4 type=test
//# If the Expected Data Transfer Length for a write and the length of the immediate
//# data part that follows the command (if any) are the same ... the F bit MUST be set to 1.
TEST_CASE("a write with all its data immediate must set F", "[pdu][scsi_command][validate]") {
  const auto base =
      scsi_command_builder{}.write().expected_data_transfer_length(8).data(byte_buffer(8, 1));
  CHECK(clean(scsi_command_builder{base}.build()));
  CHECK(has_violation(validate(scsi_command_builder{base}.final_bit(false).build()),
                      "rfc7143#section-11.3.4/all-immediate-needs-f"));
  // More data to come: F=0 is legal.
  CHECK(
      clean(scsi_command_builder{base}.expected_data_transfer_length(16).final_bit(false).build()));
}

//= rfc7143#section-11.2.1.8 type=test
//# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
TEST_CASE("SCSI Command may not use the reserved ITT", "[pdu][scsi_command][validate]") {
  CHECK(has_violation(validate(read_command().initiator_task_tag(reserved_tag).build()),
                      "rfc7143#section-11.2.1.8/scsi-command-itt-not-reserved"));
}

//= rfc7143#section-11.2.2.2 type=test
//# The AHS is padded to the smallest integer number of 4-byte words
TEST_CASE("SCSI Command AHS must parse", "[pdu][scsi_command][validate][ahs]") {
  const auto p = read_command().ahs(byte_buffer{0, 9, 1, 0}).build();
  CHECK(scsi_command_view{p}.full_cdb().error() == ahs_error::length_beyond_buffer);
  CHECK(scsi_command_view{p}.bidirectional_read_length().error() ==
        ahs_error::length_beyond_buffer);
  CHECK(has_violation(validate(p), "rfc7143#section-11.2.2.2/ahs-segments-fit"));
}

// rfc7143 section 11.2.2.1, in our words:
// bit 0-1 - Reserved; AHS code 0 - Reserved; 3 - 63 Reserved
TEST_CASE("SCSI Command AHS types and reserved bits", "[pdu][scsi_command][validate][ahs]") {
  const byte_buffer body{0, 0, 0, 0};
  CHECK(has_violation(validate(read_command().ahs(make_ahs(3, 0, body)).build()),
                      "rfc7143#section-11.2.2.1/ahs-code-reserved"));
  CHECK(has_violation(validate(read_command().ahs(make_ahs(0, 0, body)).build()),
                      "rfc7143#section-11.2.2.1/ahs-code-reserved"));
  const auto vs = validate(read_command().ahs(make_ahs(0x80 | 2, 0, body)).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.2.2.1/type-bits0-1-reserved");
  CHECK(vs[0].level == severity::reserved_field);
}

//= rfc7143#section-11.2.2.3 type=test
//# This type of AHS MUST NOT be used if the CDBLength is less than 17. The length includes the
//reserved byte 3.
TEST_CASE("Extended CDB AHS rules", "[pdu][scsi_command][validate][ahs]") {
  const auto one_byte = read_command().ahs(make_ahs(1, 0, {})).build();
  CHECK(scsi_command_view{one_byte}.full_cdb().error() == ahs_error::wrong_length_for_type);
  CHECK(has_violation(validate(one_byte), "rfc7143#section-11.2.2.3/cdb-length-at-least-17"));
  const byte_buffer spill{1, 2};
  CHECK(has_violation(validate(read_command().ahs(make_ahs(1, 0x01, spill)).build()),
                      "rfc7143#section-11.2.2.3/byte3-reserved"));
}

//= rfc7143#section-11.2.2.4 type=test
//# AHSLength (0x0005)
TEST_CASE("Bidirectional read length AHS must have length 5",
          "[pdu][scsi_command][validate][ahs]") {
  const byte_buffer body{0, 0, 0x10, 0, 0, 0, 0, 0};
  const auto p = read_command().write().ahs(make_ahs(2, 0, body)).build();
  CHECK(scsi_command_view{p}.bidirectional_read_length().error() ==
        ahs_error::wrong_length_for_type);
  CHECK(has_violation(validate(p), "rfc7143#section-11.2.2.4/ahs-length-5"));
}

//= rfc7143#section-11.2 type=test
//# The padding bytes SHOULD be sent as 0.
TEST_CASE("AHS padding should be zero", "[pdu][scsi_command][validate][ahs]") {
  auto ahs = make_extended_cdb_ahs(byte_buffer{1, 2, 3});  // 7 bytes + 1 pad
  ahs.back() = 0xee;
  const auto vs = validate(read_command().ahs(ahs).build());
  REQUIRE(vs.size() == 1);
  CHECK(vs[0].requirement == "rfc7143#section-11.2/ahs-padding-zero");
  CHECK(vs[0].level == severity::should);
}
