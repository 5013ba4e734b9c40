// VERIFY(10/12/16) with BYTCHK 00b/01b/11b and WRITE AND VERIFY(10/12/16).
#include "sbc_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

struct op {
  const char* name;
  std::uint8_t verify, write_verify;
  int size;
  std::uint16_t length_byte;
};
constexpr op ops[] = {
    {"10", 0x2F, 0x2E, 10, 7}, {"12", 0xAF, 0xAE, 12, 6}, {"16", 0x8F, 0x8E, 16, 10}};

byte_buffer cdb_of(const op& o, std::uint8_t opcode, std::uint64_t lba, std::uint32_t len,
                   std::uint8_t b1 = 0) {
  switch (o.size) {
    case 10:
      return cdb10(opcode, static_cast<std::uint32_t>(lba), static_cast<std::uint16_t>(len), b1);
    case 12: return cdb12(opcode, static_cast<std::uint32_t>(lba), len, b1);
    default: return cdb16(opcode, lba, len, b1);
  }
}

constexpr std::uint8_t bytchk_all = 0x02, bytchk_reserved = 0x04, bytchk_one = 0x06;

}  // namespace

TEST_CASE("VERIFY BYTCHK=01b compares the data-out with the medium", "[scsi][verify]") {
  for (std::uint32_t bs : {512U, 4096U}) {
    fixture f(make_memory_store(bs, 64));
    auto data = pattern(5 * bs, 7);
    write_blocks(f, 59, data);
    for (const auto& o : ops) {
      INFO(o.name);
      auto r = f.run(cdb_of(o, o.verify, 59, 5, bytchk_all), data);
      CHECK(r.status == status::good);
      CHECK(r.data_out_length == 5 * bs);
      for (std::uint64_t offset :
           {std::uint64_t{0}, std::uint64_t{bs - 1}, std::uint64_t{3 * bs + 17}}) {
        auto wrong = data;
        wrong[offset] ^= 'X';
        require_miscompare(f.run(cdb_of(o, o.verify, 59, 5, bytchk_all), wrong), offset);
      }
      require_short_data_out(
          f.run(cdb_of(o, o.verify, 59, 5, bytchk_all), byte_buffer(data.begin(), data.end() - 1)));
    }
  }
}

TEST_CASE("VERIFY BYTCHK=00b checks the medium only and ignores any data-out", "[scsi][verify]") {
  fixture f(make_memory_store(512, 64));
  write_blocks(f, 0, pattern(4 * 512, 1));
  for (const auto& o : ops) {
    auto r = f.run(cdb_of(o, o.verify, 0, 4), byte_buffer(4 * 512, 0xEE));
    CHECK(r.status == status::good);
    CHECK(r.data_out_length == 0);
    CHECK(f.run(cdb_of(o, o.verify, 0, 4)).status == status::good);
  }
}

TEST_CASE("VERIFY BYTCHK=11b compares one block with every block of the range", "[scsi][verify]") {
  fixture f(make_memory_store(512, 64));
  auto block = pattern(512, 3);
  for (int i = 0; i < 6; ++i) write_blocks(f, 10 + static_cast<std::uint64_t>(i), block);
  for (const auto& o : ops) {
    auto r = f.run(cdb_of(o, o.verify, 10, 6, bytchk_one), block);
    CHECK(r.status == status::good);
    CHECK(r.data_out_length == 512);
    // One block beyond the run differs (it reads zeros): offset counted over the range.
    require_miscompare(f.run(cdb_of(o, o.verify, 10, 7, bytchk_one), block), 6 * 512);
    require_short_data_out(f.run(cdb_of(o, o.verify, 10, 6, bytchk_one), byte_buffer(100, 0)));
  }
}

TEST_CASE("VERIFY: BYTCHK 10b, VRPROTECT, ranges, lengths", "[scsi][verify]") {
  lu_config c;
  c.max_transfer_length = 8;
  fixture f(make_memory_store(512, 64), c);
  for (const auto& o : ops) {
    INFO(o.name);
    require_invalid_cdb_field(
        f.run(cdb_of(o, o.verify, 0, 1, bytchk_reserved), byte_buffer(512, 0)), 1, 2);
    for (std::uint8_t p = 1; p < 8; ++p)
      require_invalid_cdb_field(
          f.run(cdb_of(o, o.verify, 0, 1, static_cast<std::uint8_t>(p << 5 | bytchk_all)),
                byte_buffer(512, 0)),
          1, 7);
    require_lba_out_of_range(f.run(cdb_of(o, o.verify, 63, 2)));
    require_lba_out_of_range(f.run(cdb_of(o, o.verify, 65, 0)));
    require_lba_out_of_range(f.run(cdb_of(o, o.verify, 0xFFFFFFFF, 1)));
    auto zero = f.run(cdb_of(o, o.verify, 64, 0, bytchk_all));
    CHECK(zero.status == status::good);
    CHECK(zero.data_out_length == 0);
    require_invalid_cdb_field(f.run(cdb_of(o, o.verify, 0, 9, bytchk_all), byte_buffer(9 * 512, 0)),
                              o.length_byte);
    CHECK(f.run(cdb_of(o, o.verify, 0, 9)).status == status::good);  // no transfer: no limit
  }
  require_lba_out_of_range(f.run(cdb16(0x8F, 0x8000000000000000ULL, 1)));
}

TEST_CASE("VERIFY: an unreadable block is a MEDIUM ERROR with its LBA", "[scsi][verify]") {
  auto faulty = std::make_shared<fault_store>(make_memory_store(512, 64));
  fixture f(faulty);
  faulty->fail_range(7, 2, io_direction::read);
  for (const auto& o : ops) {
    require_medium_error(f.run(cdb_of(o, o.verify, 3, 10)), asc::unrecovered_read_error, 7);
    require_medium_error(f.run(cdb_of(o, o.verify, 8, 4, bytchk_all), byte_buffer(4 * 512, 0)),
                         asc::unrecovered_read_error, 8);
    require_medium_error(f.run(cdb_of(o, o.verify, 5, 4, bytchk_one), byte_buffer(512, 0)),
                         asc::unrecovered_read_error, 7);
    CHECK(f.run(cdb_of(o, o.verify, 0, 7)).status == status::good);
  }
  // Descriptor format carries the same INFORMATION.
  f.lu->pages().find(mode_page_code::control)->current[2] |= 0x04;
  auto r = f.run(cdb16(0x8F, 3, 10));
  CHECK(r.sense[0] == 0x72);
  require_medium_error(r, asc::unrecovered_read_error, 7);
}

TEST_CASE("WRITE AND VERIFY writes, syncs, then verifies", "[scsi][verify]") {
  auto recording = std::make_shared<recording_store>(make_memory_store(512, 64));
  fixture f(recording);
  for (const auto& o : ops) {
    INFO(o.name);
    for (std::uint8_t bytchk : {std::uint8_t{0}, bytchk_all}) {
      auto data = pattern(3 * 512, static_cast<std::uint8_t>(o.size + bytchk));
      auto r = f.run(cdb_of(o, o.write_verify, 61, 3, bytchk), data);
      CHECK(r.status == status::good);
      CHECK(r.data_out_length == data.size());
      CHECK(recording->unsynced_writes() == 0);
      CHECK(read_blocks(f, 61, 3) == data);
    }
  }
}

TEST_CASE("WRITE AND VERIFY: CDB checks, ranges, data-out, protection, medium errors",
          "[scsi][verify]") {
  fixture f(make_memory_store(512, 64));
  for (const auto& o : ops) {
    INFO(o.name);
    require_invalid_cdb_field(
        f.run(cdb_of(o, o.write_verify, 0, 1, bytchk_reserved), byte_buffer(512, 0)), 1, 2);
    require_invalid_cdb_field(
        f.run(cdb_of(o, o.write_verify, 0, 1, bytchk_one), byte_buffer(512, 0)), 1, 2);
    require_invalid_cdb_field(f.run(cdb_of(o, o.write_verify, 0, 1, 0x20), byte_buffer(512, 0)), 1,
                              7);
    require_lba_out_of_range(f.run(cdb_of(o, o.write_verify, 63, 2), byte_buffer(1024, 0)));
    CHECK(f.run(cdb_of(o, o.write_verify, 0, 0)).status == status::good);
    // rfc7143#section-11.4.5.2 (the transport reports the residual): a
    // data-out short by whole blocks writes and verifies those blocks, GOOD,
    // data_out_length the CDB's; a partial block is 0Eh/03h, nothing written.
    auto r = f.run(cdb_of(o, o.write_verify, 4, 1));
    CHECK(r.status == status::good);
    CHECK(r.data_out_length == 512);
    CHECK(read_blocks(f, 4, 1) == byte_buffer(512, 0));
    r = f.run(cdb_of(o, o.write_verify, 0, 2), byte_buffer(512, 1));
    CHECK(r.status == status::good);
    CHECK(r.data_out_length == 1024);
    CHECK(read_blocks(f, 0, 1) == byte_buffer(512, 1));
    CHECK(read_blocks(f, 1, 1) == byte_buffer(512, 0));
    r = f.run(cdb_of(o, o.write_verify, 2, 2, bytchk_all), byte_buffer(512, 1));
    CHECK(r.status == status::good);
    CHECK(read_blocks(f, 2, 1) == byte_buffer(512, 1));
    CHECK(read_blocks(f, 3, 1) == byte_buffer(512, 0));
    r = f.run(cdb_of(o, o.write_verify, 1, 2), byte_buffer(700, 2));
    require_short_data_out(r);
    CHECK(r.data_out_length == 1024);
    CHECK(read_blocks(f, 1, 1) == byte_buffer(512, 0));
  }

  fixture ro(make_memory_store(512, 64), read_only_config());
  fixture swp;
  set_swp(swp);
  for (const auto& o : ops) {
    require_sense(ro.run(cdb_of(o, o.write_verify, 0, 1), byte_buffer(512, 1)),
                  sense_key::data_protect, asc::write_protected);
    require_sense(swp.run(cdb_of(o, o.write_verify, 0, 1), byte_buffer(512, 1)),
                  sense_key::data_protect, asc::software_write_protected);
    // VERIFY itself writes nothing: allowed on both.
    CHECK(ro.run(cdb_of(o, o.verify, 0, 1)).status == status::good);
    CHECK(swp.run(cdb_of(o, o.verify, 0, 1)).status == status::good);
  }

  auto faulty = std::make_shared<fault_store>(make_memory_store(512, 64));
  fixture g(faulty);
  faulty->fail_range(4, 1, io_direction::write);
  require_medium_error(g.run(cdb_of(ops[0], 0x2E, 2, 4), byte_buffer(4 * 512, 1)), asc::write_error,
                       4);
  faulty->clear();
  faulty->fail_range(5, 1, io_direction::read);
  require_medium_error(g.run(cdb_of(ops[2], 0x8E, 2, 4, bytchk_all), byte_buffer(4 * 512, 1)),
                       asc::unrecovered_read_error, 5);
}
