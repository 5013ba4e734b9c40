#include <catch2/catch.hpp>

#include "touchstone/scsi/nexus.hpp"

using namespace touchstone::scsi;

TEST_CASE("LUN encoding: peripheral below 256, flat from 256", "[scsi][lun]") {
  CHECK(encode_lun(0) == 0);
  CHECK(encode_lun(5) == 0x0005000000000000ULL);
  CHECK(encode_lun(256) == 0x4100000000000000ULL);
  CHECK(encode_lun(16383) == 0x7FFF000000000000ULL);
  for (lun_t l : {0ULL, 1ULL, 255ULL, 256ULL, 1000ULL, 16383ULL}) CHECK(decode_lun(encode_lun(l)) == l);
}

TEST_CASE("LUN decoding rejects other address methods and levels", "[scsi][lun]") {
  CHECK(decode_lun(0x4001000000000000ULL) == 1);  // flat addressing of a small LUN
  CHECK(decode_lun(0x0101000000000000ULL) == invalid_lun);  // bus 1
  CHECK(decode_lun(0x8001000000000000ULL) == invalid_lun);  // logical unit addressing
  CHECK(decode_lun(0x0001000100000000ULL) == invalid_lun);  // second level
}
