// WRITE SAME(10)/(16): data, UNMAP, ANCHOR, NDOB, NUMBER OF LOGICAL BLOCKS 0,
// MAXIMUM WRITE SAME LENGTH, ranges, data-out size, write protection.
#include "sbc_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

struct ws_op {
  const char* name;
  std::uint8_t opcode;
  std::uint16_t blocks_byte;
};
constexpr ws_op ops[] = {{"10", 0x41, 7}, {"16", 0x93, 10}};

byte_buffer ws_cdb(const ws_op& op, std::uint64_t lba, std::uint32_t blocks, std::uint8_t b1 = 0) {
  if (op.opcode == 0x41)
    return cdb10(0x41, static_cast<std::uint32_t>(lba), static_cast<std::uint16_t>(blocks), b1);
  return cdb16(0x93, lba, blocks, b1);
}

constexpr std::uint8_t unmap_bit = 0x08, anchor_bit = 0x10, ndob_bit = 0x01;

}  // namespace

TEST_CASE("WRITE SAME writes the one block to every block of the range", "[scsi][write_same]") {
  for (std::uint32_t bs : {512U, 4096U}) {
    fixture f(make_memory_store(bs, 300));
    for (const auto& op : ops) {
      for (std::uint32_t n : {1U, 7U, 256U}) {
        auto block = pattern(bs, static_cast<std::uint8_t>(n + op.opcode));
        auto r = f.run(ws_cdb(op, 300 - n, n), block);
        CHECK(r.status == status::good);
        CHECK(r.data_out_length == bs);
        auto back = read_blocks(f, 300 - n, n);
        for (std::uint32_t i = 0; i < n; ++i)
          CHECK(byte_buffer(back.begin() + i * bs, back.begin() + (i + 1) * bs) == block);
      }
    }
  }
}

TEST_CASE("WRITE SAME: NUMBER OF LOGICAL BLOCKS 0 writes through the last LBA",
          "[scsi][write_same]") {
  fixture f(make_memory_store(512, 64));
  for (const auto& op : ops) {
    auto block = pattern(512, op.opcode);
    CHECK(f.run(ws_cdb(op, 60, 0), block).status == status::good);
    auto back = read_blocks(f, 59, 5);
    CHECK(back[0] == 0);
    for (std::uint32_t i = 1; i < 5; ++i)
      CHECK(byte_buffer(back.begin() + i * 512, back.begin() + (i + 1) * 512) == block);
    require_lba_out_of_range(f.run(ws_cdb(op, 64, 0), block));
    require_lba_out_of_range(f.run(ws_cdb(op, 65, 0), block));
  }
  auto block = pattern(512, 1);
  require_lba_out_of_range(f.run(cdb16(0x93, 0x8000000000000000ULL, 0), block));
  require_lba_out_of_range(f.run(cdb16(0x93, 0xFFFFFFFFFFFFFFFFULL, 0), block));
}

TEST_CASE("WRITE SAME: NUMBER OF LOGICAL BLOCKS 0 with WSNZ=1 is an INVALID FIELD IN CDB",
          "[scsi][write_same]") {
  lu_config c;
  c.write_same_no_zero = true;
  fixture f(make_memory_store(512, 64), c);
  write_blocks(f, 0, byte_buffer(512, 'a'));
  for (const auto& op : ops) {
    require_invalid_cdb_field(f.run(ws_cdb(op, 0, 0), byte_buffer(512, 1)), op.blocks_byte);
    CHECK(f.run(ws_cdb(op, 1, 1), byte_buffer(512, 1)).status == status::good);
  }
  CHECK(read_blocks(f, 0, 1)[0] == 'a');
}

TEST_CASE("WRITE SAME: more blocks than MAXIMUM WRITE SAME LENGTH", "[scsi][write_same]") {
  lu_config c;
  c.max_write_same_length = 8;
  fixture f(make_memory_store(512, 64), c);
  auto block = pattern(512, 9);
  for (const auto& op : ops) {
    CHECK(f.run(ws_cdb(op, 0, 8), block).status == status::good);
    require_invalid_cdb_field(f.run(ws_cdb(op, 0, 9), block), op.blocks_byte);
    // Zero blocks means 64 here, past the maximum.
    require_invalid_cdb_field(f.run(ws_cdb(op, 0, 0), block), op.blocks_byte);
    CHECK(f.run(ws_cdb(op, 56, 0), block).status == status::good);
  }
}

TEST_CASE("WRITE SAME: ranges past the capacity are LBA OUT OF RANGE", "[scsi][write_same]") {
  fixture f(make_memory_store(512, 64));
  auto block = pattern(512, 2);
  for (const auto& op : ops) {
    require_lba_out_of_range(f.run(ws_cdb(op, 63, 2), block));
    require_lba_out_of_range(f.run(ws_cdb(op, 64, 1), block));
    CHECK(f.run(ws_cdb(op, 63, 1), block).status == status::good);
  }
  require_lba_out_of_range(f.run(cdb16(0x93, 0x8000000000000000ULL, 1), block));
  require_lba_out_of_range(f.run(cdb16(0x93, 0xFFFFFFFFFFFFFFFFULL, 1), block));
}

TEST_CASE("WRITE SAME: CDB byte 1 checks", "[scsi][write_same]") {
  fixture f(make_memory_store(512, 64));
  auto block = pattern(512, 3);
  for (const auto& op : ops) {
    INFO(op.name);
    for (std::uint8_t p = 1; p < 8; ++p)
      require_invalid_cdb_field(f.run(ws_cdb(op, 0, 1, static_cast<std::uint8_t>(p << 5)), block),
                                1, 7);
    // ANCHOR without UNMAP, and ANCHOR with UNMAP (ANC_SUP=0).
    require_invalid_cdb_field(f.run(ws_cdb(op, 0, 1, anchor_bit), block), 1, 4);
    require_invalid_cdb_field(f.run(ws_cdb(op, 0, 1, anchor_bit | unmap_bit), block), 1, 4);
    // Obsolete PBDATA and LBDATA.
    require_invalid_cdb_field(f.run(ws_cdb(op, 0, 1, 0x04), block), 1, 2);
    require_invalid_cdb_field(f.run(ws_cdb(op, 0, 1, 0x02), block), 1, 1);
  }
  // NDOB's bit is reserved in WRITE SAME(10).
  require_invalid_cdb_field(f.run(cdb10(0x41, 0, 1, ndob_bit), block), 1, 0);
}

// sbc3#5.43: with UNMAP=1 the device server may unmap instead of writing;
// this one always does (LBPRZ=1: the blocks then read zeros), for (10) and
// (16) alike and whatever the data block holds (libiscsi
// WriteSame10.UnmapUntilEnd sends 0xFF and expects zeros back).
TEST_CASE("WRITE SAME with UNMAP=1: the range is deallocated whatever the data",
          "[scsi][write_same]") {
  fixture f(make_memory_store(512, 64));
  for (const auto& op : ops) {
    write_blocks(f, 0, byte_buffer(16 * 512, 'a'));
    CHECK(f.run(ws_cdb(op, 2, 4, unmap_bit), byte_buffer(512, 0)).status == status::good);
    CHECK(f.store->block_status(2)->state == block_state::deallocated);
    CHECK(f.store->block_status(2)->count == 4);
    CHECK(read_blocks(f, 2, 4) == byte_buffer(4 * 512, 0));
    CHECK(read_blocks(f, 6, 1)[0] == 'a');
    auto block = pattern(512, 5);
    CHECK(f.run(ws_cdb(op, 8, 2, unmap_bit), block).status == status::good);
    CHECK(f.store->block_status(8)->state == block_state::deallocated);
    CHECK(read_blocks(f, 8, 2) == byte_buffer(2 * 512, 0));
    CHECK(read_blocks(f, 10, 1)[0] == 'a');
    // UNMAP=0 writes the block.
    CHECK(f.run(ws_cdb(op, 8, 2, 0), block).status == status::good);
    CHECK(f.store->block_status(8)->state == block_state::mapped);
    CHECK(byte_buffer(read_blocks(f, 9, 1)) == block);
  }
}

TEST_CASE("WRITE SAME(16) NDOB=1: zeros with no data-out", "[scsi][write_same]") {
  fixture f(make_memory_store(512, 64));
  write_blocks(f, 0, byte_buffer(8 * 512, 'a'));
  auto r = f.run(cdb16(0x93, 0, 2, ndob_bit));
  CHECK(r.status == status::good);
  CHECK(r.data_out_length == 0);
  CHECK(read_blocks(f, 0, 2) == byte_buffer(1024, 0));
  CHECK(f.store->block_status(0)->state == block_state::mapped);
  CHECK(f.run(cdb16(0x93, 4, 2, ndob_bit | unmap_bit)).status == status::good);
  CHECK(f.store->block_status(4)->state == block_state::deallocated);
  CHECK(read_blocks(f, 4, 2) == byte_buffer(1024, 0));
  CHECK(read_blocks(f, 6, 1)[0] == 'a');
}

TEST_CASE("WRITE SAME on a fully provisioned LU: UNMAP=1 is an INVALID FIELD IN CDB",
          "[scsi][write_same]") {
  fixture f(std::make_shared<thick_store>(make_memory_store(512, 64)));
  for (const auto& op : ops) {
    require_invalid_cdb_field(f.run(ws_cdb(op, 0, 1, unmap_bit), byte_buffer(512, 0)), 1, 3);
    CHECK(f.run(ws_cdb(op, 0, 1), byte_buffer(512, 0)).status == status::good);
  }
}

TEST_CASE("WRITE SAME: the data-out must be exactly one block", "[scsi][write_same]") {
  fixture f(make_memory_store(512, 64));
  write_blocks(f, 0, byte_buffer(512, 'a'));
  for (const auto& op : ops) {
    for (std::size_t size : {std::size_t{0}, std::size_t{256}, std::size_t{1024}}) {
      auto r = f.run(ws_cdb(op, 0, 1, unmap_bit), byte_buffer(size, 0));
      require_short_data_out(r);
      CHECK(r.data_out_length == 512);
    }
  }
  CHECK(read_blocks(f, 0, 1)[0] == 'a');
}

TEST_CASE("WRITE SAME on a read-only LU or with SWP=1: DATA PROTECT", "[scsi][write_same]") {
  fixture ro(make_memory_store(512, 64), read_only_config());
  fixture swp(make_memory_store(512, 64));
  set_swp(swp);
  for (const auto& op : ops) {
    require_sense(ro.run(ws_cdb(op, 0, 1), byte_buffer(512, 1)), sense_key::data_protect,
                  asc::write_protected);
    require_sense(swp.run(ws_cdb(op, 0, 1), byte_buffer(512, 1)), sense_key::data_protect,
                  asc::software_write_protected);
  }
}

TEST_CASE("WRITE SAME: WCE=0 syncs before GOOD, a failing write is a MEDIUM ERROR",
          "[scsi][write_same]") {
  auto recording = std::make_shared<recording_store>(make_memory_store(512, 64));
  fixture f(recording);
  f.lu->pages().set_wce(false);
  CHECK(f.run(cdb16(0x93, 0, 4), byte_buffer(512, 1)).status == status::good);
  CHECK(recording->unsynced_writes() == 0);
  CHECK(recording->syncs() >= 1);

  auto faulty = std::make_shared<fault_store>(make_memory_store(512, 64));
  fixture g(faulty);
  faulty->fail_range(10, 1, io_direction::write);
  require_medium_error(g.run(cdb16(0x93, 8, 4), byte_buffer(512, 1)), asc::write_error, 10);
}
