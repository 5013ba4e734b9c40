#include <catch2/catch.hpp>

// all.hpp first: this test also proves every PDU header compiles together.
#include "test_util.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone::pdu;
using touchstone::pdu::test::has_violation;

//= rfc7143#section-11.2.1.2 type=test
//# 0x1c-0x1e Vendor-specific codes ... All other Opcodes are unassigned.
TEST_CASE("unknown_view exposes a vendor-specific PDU's raw bytes", "[pdu][unknown]") {
  const byte_buffer ahs{0, 5, 0x3f, 0, 1, 2, 3, 4};
  const byte_buffer data{9, 8, 7};
  const auto p = unknown_builder{0x1d}
                     .immediate()
                     .final_bit()
                     .set_u8(2, 0xaa)
                     .set_u8(3, 0xbb)
                     .lun(0x0102030405060708)
                     .initiator_task_tag(0x11223344)
                     .set_u32(20, 0xcafef00d)
                     .set_u8(47, 0xee)
                     .ahs(ahs)
                     .data(data)
                     .build();
  REQUIRE(unknown_view::applies_to(p));
  const unknown_view v{p};
  CHECK(v.raw_opcode() == 0x1d);
  CHECK(v.vendor_specific());
  CHECK(v.from_initiator());
  CHECK(v.opcode_name() == "vendor-specific");
  CHECK(v.immediate());
  CHECK(v.opcode_specific_head()[0] == 0x80);
  CHECK(v.opcode_specific_head()[1] == 0xaa);
  CHECK(v.opcode_specific_head()[2] == 0xbb);
  CHECK(load_be32(v.opcode_specific_tail().data()) == 0xcafef00d);
  CHECK(v.opcode_specific_tail()[27] == 0xee);
  CHECK(v.lun() == 0x0102030405060708);
  CHECK(v.initiator_task_tag() == 0x11223344);
  CHECK(std::equal(v.ahs().begin(), v.ahs().end(), ahs.begin(), ahs.end()));
  CHECK(std::equal(v.data().begin(), v.data().end(), data.begin(), data.end()));
  CHECK(v.total_ahs_length() == 2);
  CHECK(v.data_segment_length() == 3);

  const auto wire = encode(p);
  REQUIRE(wire.size() == 48 + 8 + 4);
  CHECK(wire[0] == (0x40 | 0x1d));
  CHECK(load_be32(&wire[20]) == 0xcafef00d);
  CHECK(wire[48] == 0);
  CHECK(wire[56] == 9);
  CHECK(has_violation(validate(p), "rfc7143#section-11.2.1.2/unknown-opcode"));
}

TEST_CASE("unknown_view names unassigned and target-side codes", "[pdu][unknown]") {
  const auto undefined = unknown_builder{0x07}.build();
  CHECK(unknown_view::applies_to(undefined));
  const unknown_view u{undefined};
  CHECK_FALSE(u.vendor_specific());
  CHECK(u.from_initiator());
  CHECK(u.opcode_name() == "unknown");

  const auto target_vendor = unknown_builder{0x3c}.build();
  const unknown_view t{target_vendor};
  CHECK(t.vendor_specific());
  CHECK_FALSE(t.from_initiator());

  // Only the low 6 bits are the opcode.
  CHECK(unknown_builder{0xc7}.build().bhs[0] == 0x07);
}

TEST_CASE("typed PDUs are not unknown", "[pdu][unknown]") {
  CHECK_FALSE(unknown_view::applies_to(scsi_command_builder{}.build()));
  CHECK_FALSE(unknown_view::applies_to(snack_builder{}.build()));
  CHECK_FALSE(unknown_view::applies_to(nop_out_builder{}.build()));
  for (std::uint8_t code = 0; code < 64; ++code) {
    CHECK(unknown_view::applies_to(unknown_builder{code}.build()) == !is_defined(code));
  }
}
