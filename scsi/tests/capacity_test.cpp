// READ CAPACITY(10)/(16).
#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {
byte_buffer rc16(std::uint32_t allocation, std::uint64_t lba = 0, bool pmi = false) {
  byte_buffer c = cdb16(0x9E, lba, allocation, 0x10);
  if (pmi) c[14] = 0x01;
  return c;
}
}  // namespace

TEST_CASE("READ CAPACITY(10): last LBA and block length", "[scsi][capacity]") {
  fixture f(make_memory_store(4096, 1000));
  auto r = f.run(cdb10(0x25, 0, 0));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in == byte_buffer{0, 0, 0x03, 0xE7, 0, 0, 0x10, 0});
}

TEST_CASE("READ CAPACITY(10): FFFFFFFFh when the capacity does not fit", "[scsi][capacity]") {
  fixture f(make_null_store(512, 0x100000001ULL));
  auto r = f.run(cdb10(0x25, 0, 0));
  REQUIRE(r.status == status::good);
  CHECK(get_be32(&r.data_in[0]) == 0xFFFFFFFFU);
  fixture g(make_null_store(512, 0xFFFFFFFFULL));
  CHECK(get_be32(&g.run(cdb10(0x25, 0, 0)).data_in[0]) == 0xFFFFFFFEU);
  auto r16 = f.run(rc16(32));
  CHECK(get_be64(&r16.data_in[0]) == 0x100000000ULL);
}

TEST_CASE("READ CAPACITY: PMI=0 with an LBA is an invalid field", "[scsi][capacity]") {
  fixture f;
  require_invalid_cdb_field(f.run(cdb10(0x25, 5, 0)), 2);
  auto pmi = cdb10(0x25, 5, 0);
  pmi[8] = 0x01;
  CHECK(f.run(pmi).status == status::good);
  require_invalid_cdb_field(f.run(rc16(32, 5)), 2);
  CHECK(f.run(rc16(32, 5, true)).status == status::good);
}

TEST_CASE("READ CAPACITY(16): 32 bytes, LBPME/LBPRZ only for thin stores", "[scsi][capacity]") {
  fixture thin(make_memory_store(512, 2048));
  auto r = thin.run(rc16(32));
  REQUIRE(r.data_in.size() == 32);
  CHECK(get_be64(&r.data_in[0]) == 2047);
  CHECK(get_be32(&r.data_in[8]) == 512);
  CHECK(r.data_in[12] == 0);     // no protection
  CHECK(r.data_in[14] == 0xC0);  // LBPME, LBPRZ
  fixture thick(make_null_store(512, 2048));
  CHECK(thick.run(rc16(32)).data_in[14] == 0);
}

TEST_CASE("READ CAPACITY(16): allocation length cuts the data, 0 is no error", "[scsi][capacity]") {
  fixture f;
  auto r = f.run(rc16(12));
  CHECK(r.status == status::good);
  CHECK(r.data_in.size() == 12);
  CHECK(r.data_in_length == 12);
  r = f.run(rc16(0));
  CHECK(r.status == status::good);
  CHECK(r.data_in.empty());
  r = f.run(rc16(100));
  CHECK(r.data_in.size() == 32);
}

TEST_CASE("SERVICE ACTION IN(16) with another service action: field pointer at byte 1 bit 4",
          "[scsi][capacity]") {
  fixture f;
  require_invalid_cdb_field(f.run(cdb16(0x9E, 0, 32, 0x1F)), 1, 4);
}
