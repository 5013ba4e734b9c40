// REPORT LUNS: select report, addressing, allocation length, no-LU LUNs, UA.
#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

byte_buffer report_luns_cdb(std::uint8_t select, std::uint32_t allocation) {
  byte_buffer c(12, 0);
  c[0] = 0xA0;
  c[2] = select;
  put_be32(&c[6], allocation);
  return c;
}

void add_lu(fixture& f, lun_t lun) {
  lu_config c;
  c.lun = lun;
  REQUIRE(f.server.add_lu(std::make_shared<logical_unit>(c, make_memory_store(512, 8))));
}

}  // namespace

TEST_CASE("REPORT LUNS lists every LU, peripheral and flat addressing", "[scsi][report_luns]") {
  fixture f;
  add_lu(f, 255);
  add_lu(f, 256);
  add_lu(f, 16383);
  f.clear_uas();
  for (std::uint8_t select : {0x00, 0x02}) {
    auto r = f.run(report_luns_cdb(select, 1024));
    REQUIRE(r.status == status::good);
    REQUIRE(r.data_in.size() == 8 + 4 * 8);
    CHECK(get_be32(&r.data_in[0]) == 32);
    CHECK(get_be32(&r.data_in[4]) == 0);
    CHECK(get_be64(&r.data_in[8]) == 0);
    CHECK(get_be64(&r.data_in[16]) == 0x00FF000000000000ULL);   // peripheral, LUN 255
    CHECK(get_be64(&r.data_in[24]) == 0x4100000000000000ULL);   // flat, LUN 256
    CHECK(get_be64(&r.data_in[32]) == 0x7FFF000000000000ULL);   // flat, LUN 16383
  }
}

TEST_CASE("REPORT LUNS select report 01h: no well-known LUs", "[scsi][report_luns]") {
  fixture f;
  auto r = f.run(report_luns_cdb(0x01, 64));
  REQUIRE(r.status == status::good);
  CHECK(r.data_in == byte_buffer(8, 0));
}

TEST_CASE("REPORT LUNS errors", "[scsi][report_luns]") {
  fixture f;
  for (std::uint8_t select : {0x03, 0x10, 0x11, 0x12, 0xFF})
    require_invalid_cdb_field(f.run(report_luns_cdb(select, 64)), 2);
  for (std::uint32_t n : {0U, 1U, 8U, 15U}) require_invalid_cdb_field(f.run(report_luns_cdb(0, n)), 6);
}

TEST_CASE("REPORT LUNS truncates to the allocation length, the list length stays", "[scsi][report_luns]") {
  fixture f;
  add_lu(f, 1);
  add_lu(f, 2);
  auto r = f.run(report_luns_cdb(0, 16));
  REQUIRE(r.status == status::good);
  REQUIRE(r.data_in.size() == 16);
  CHECK(get_be32(&r.data_in[0]) == 24);
  r = f.run(report_luns_cdb(0, 17));
  CHECK(r.data_in.size() == 17);
}

TEST_CASE("REPORT LUNS answers on a LUN without an LU", "[scsi][report_luns]") {
  fixture f;
  auto r = f.run_on(nexus_of(initiator_b(), 9), report_luns_cdb(0, 64));
  REQUIRE(r.status == status::good);
  CHECK(get_be32(&r.data_in[0]) == 8);
}

TEST_CASE("REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED, nothing else", "[scsi][report_luns]") {
  fixture f;
  f.lu->establish_ua(f.nx.it, unit_attention::mode_parameters_changed);
  add_lu(f, 1);
  CHECK(f.run(report_luns_cdb(0, 64)).status == status::good);
  CHECK(f.lu->pending_uas(f.nx.it) ==
        std::vector<unit_attention>{unit_attention::mode_parameters_changed});
}
