// ORWRITE(16) basic mode: the medium becomes medium OR data-out.
#include "sbc_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

byte_buffer orwrite_cdb(std::uint64_t lba, std::uint32_t blocks, std::uint8_t b1 = 0) {
  return cdb16(0x8B, lba, blocks, b1);
}

}  // namespace

TEST_CASE("ORWRITE ORs the data-out into the medium", "[scsi][orwrite]") {
  for (std::uint32_t bs : {512U, 4096U}) {
    fixture f(make_memory_store(bs, 64));
    write_blocks(f, 62, byte_buffer(2 * bs, 0x0F));
    auto r = f.run(orwrite_cdb(62, 2), byte_buffer(2 * bs, 0xA0));
    CHECK(r.status == status::good);
    CHECK(r.data_out_length == 2 * bs);
    CHECK(read_blocks(f, 62, 2) == byte_buffer(2 * bs, 0xAF));
    // Unwritten (deallocated) blocks read as zeros, so ORWRITE there is a write.
    CHECK(f.run(orwrite_cdb(0, 1), byte_buffer(bs, 0x11)).status == status::good);
    CHECK(read_blocks(f, 0, 1) == byte_buffer(bs, 0x11));
  }
}

TEST_CASE("ORWRITE: TRANSFER LENGTH 0, ranges, ORPROTECT, short data-out, limits",
          "[scsi][orwrite]") {
  lu_config c;
  c.max_transfer_length = 8;
  fixture f(make_memory_store(512, 64), c);
  CHECK(f.run(orwrite_cdb(0, 0)).status == status::good);
  CHECK(f.run(orwrite_cdb(64, 0)).status == status::good);
  require_lba_out_of_range(f.run(orwrite_cdb(65, 0)));
  require_lba_out_of_range(f.run(orwrite_cdb(63, 2), byte_buffer(1024, 1)));
  require_lba_out_of_range(f.run(orwrite_cdb(0x8000000000000000ULL, 1), byte_buffer(512, 1)));
  for (std::uint8_t p = 1; p < 8; ++p)
    require_invalid_cdb_field(
        f.run(orwrite_cdb(0, 1, static_cast<std::uint8_t>(p << 5)), byte_buffer(512, 1)), 1, 7);
  require_invalid_cdb_field(f.run(orwrite_cdb(0, 9), byte_buffer(9 * 512, 1)), 10);
  auto r = f.run(orwrite_cdb(0, 2), byte_buffer(512, 1));
  require_short_data_out(r);
  CHECK(r.data_out_length == 1024);
  CHECK(read_blocks(f, 0, 1)[0] == 0);
}

TEST_CASE("ORWRITE on a read-only LU or with SWP=1: DATA PROTECT", "[scsi][orwrite]") {
  fixture ro(make_memory_store(512, 64), read_only_config());
  require_sense(ro.run(orwrite_cdb(0, 1), byte_buffer(512, 1)), sense_key::data_protect,
                asc::write_protected);
  fixture swp;
  set_swp(swp);
  require_sense(swp.run(orwrite_cdb(0, 1), byte_buffer(512, 1)), sense_key::data_protect,
                asc::software_write_protected);
}

TEST_CASE("ORWRITE: medium errors on read and write, FUA syncs", "[scsi][orwrite]") {
  auto faulty = std::make_shared<fault_store>(make_memory_store(512, 64));
  fixture f(faulty);
  faulty->fail_range(3, 1, io_direction::read);
  require_medium_error(f.run(orwrite_cdb(2, 2), byte_buffer(1024, 1)), asc::unrecovered_read_error,
                       3);
  faulty->clear();
  faulty->fail_range(2, 1, io_direction::write);
  require_medium_error(f.run(orwrite_cdb(2, 2), byte_buffer(1024, 1)), asc::write_error, 2);

  auto recording = std::make_shared<recording_store>(make_memory_store(512, 64));
  fixture g(recording);
  CHECK(g.run(orwrite_cdb(0, 1, 0x08), byte_buffer(512, 1)).status == status::good);
  CHECK(recording->unsynced_writes() == 0);
  CHECK(recording->syncs() == 1);
}
