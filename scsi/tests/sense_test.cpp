#include <catch2/catch.hpp>

#include "touchstone/scsi/sense.hpp"

using namespace touchstone::scsi;

TEST_CASE("fixed sense: key, ASC/ASCQ, field pointer with bit", "[scsi][sense]") {
  auto b = encode_sense(invalid_field_in_cdb(1, 4), sense_format::fixed);
  const byte_buffer want = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0x00, 0,
                            0xC0 | 0x08 | 4, 0x00, 0x01};
  CHECK(b == want);
  auto s = decode_sense(b);
  REQUIRE(s);
  CHECK(*s == invalid_field_in_cdb(1, 4));
}

TEST_CASE("fixed sense: parameter list pointer has C/D=0, no BPV", "[scsi][sense]") {
  auto b = encode_sense(invalid_field_in_parameter_list(0x102), sense_format::fixed);
  CHECK(b[15] == 0x80);
  CHECK(b[16] == 0x01);
  CHECK(b[17] == 0x02);
}

TEST_CASE("fixed sense: INFORMATION and VALID, deferred 71h", "[scsi][sense]") {
  sense s = make_sense(sense_key::medium_error, asc::unrecovered_read_error);
  s.information = 0x12345678;
  s.deferred = true;
  auto b = encode_sense(s, sense_format::fixed);
  CHECK(b[0] == 0xF1);
  CHECK(b[3] == 0x12);
  CHECK(b[6] == 0x78);
  CHECK(b[15] == 0);
  CHECK(decode_sense(b) == s);
}

TEST_CASE("fixed sense: INFORMATION too large for 4 bytes leaves VALID=0", "[scsi][sense]") {
  sense s = make_sense(sense_key::medium_error, asc::unrecovered_read_error);
  s.information = 0x100000000ULL;
  auto b = encode_sense(s, sense_format::fixed);
  CHECK(b[0] == 0x70);
  CHECK(b[3] == 0);
}

TEST_CASE("descriptor sense: header, information and SKS descriptors", "[scsi][sense]") {
  sense s = invalid_field_in_cdb(2, 7);
  s.information = 0x1122334455667788ULL;
  auto b = encode_sense(s, sense_format::descriptor);
  const byte_buffer want = {0x72, 0x05, 0x24, 0x00, 0, 0, 0, 20,
                            // information descriptor
                            0x00, 0x0A, 0x80, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                            // sense key specific descriptor
                            0x02, 0x06, 0, 0, 0xC0 | 0x08 | 7, 0x00, 0x02, 0};
  CHECK(b == want);
  CHECK(decode_sense(b) == s);
}

TEST_CASE("descriptor sense without descriptors is 8 bytes", "[scsi][sense]") {
  auto b = encode_sense(make_sense(sense_key::unit_attention, asc::power_on_reset_or_bus_device_reset),
                        sense_format::descriptor);
  CHECK(b == byte_buffer{0x72, 0x06, 0x29, 0x00, 0, 0, 0, 0});
}

TEST_CASE("decode_sense rejects unknown response codes and short buffers", "[scsi][sense]") {
  CHECK_FALSE(decode_sense(byte_buffer{}));
  CHECK_FALSE(decode_sense(byte_buffer{0x7F, 0, 0, 0, 0, 0, 0, 0}));
  CHECK_FALSE(decode_sense(byte_buffer{0x70, 0, 5}));
}
