// READ/WRITE 6/10/12/16.
#include <unistd.h>

#include <cstdio>

#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

struct rw_op {
  const char* name;
  std::uint8_t read, write;
  int size;
};
constexpr rw_op ops[] = {{"10", 0x28, 0x2A, 10}, {"12", 0xA8, 0xAA, 12}, {"16", 0x88, 0x8A, 16}};

byte_buffer cdb_of(int size, std::uint8_t op, std::uint64_t lba, std::uint32_t len, std::uint8_t b1 = 0) {
  switch (size) {
    case 6:
      return cdb6(op, static_cast<std::uint32_t>(lba), static_cast<std::uint8_t>(len), b1);
    case 10:
      return cdb10(op, static_cast<std::uint32_t>(lba), static_cast<std::uint16_t>(len), b1);
    case 12:
      return cdb12(op, static_cast<std::uint32_t>(lba), len, b1);
    default:
      return cdb16(op, lba, len, b1);
  }
}

}  // namespace

TEST_CASE("WRITE then READ round-trips at 512 and 4096", "[scsi][read_write]") {
  for (std::uint32_t bs : {512U, 4096U}) {
    fixture f(make_memory_store(bs, 1024));
    for (const auto& op : ops) {
      auto data = pattern(3 * bs, static_cast<std::uint8_t>(op.size));
      auto w = f.run(cdb_of(op.size, op.write, 10, 3), data);
      CHECK(w.status == status::good);
      CHECK(w.data_out_length == 3 * bs);
      auto r = f.run(cdb_of(op.size, op.read, 10, 3));
      CHECK(r.status == status::good);
      CHECK(r.data_in == data);
      CHECK(r.data_in_length == 3 * bs);
    }
  }
}

TEST_CASE("READ(6)/WRITE(6): 21-bit LBA, length 0 means 256 blocks", "[scsi][read_write]") {
  fixture f(make_memory_store(512, 1024));
  auto data = pattern(256 * 512, 3);
  CHECK(f.run(cdb6(0x0A, 100, 0), data).status == status::good);
  auto r = f.run(cdb6(0x08, 100, 0));
  CHECK(r.status == status::good);
  CHECK(r.data_in == data);
  auto one = f.run(cdb6(0x08, 355, 1));
  CHECK(byte_buffer(one.data_in.begin(), one.data_in.end()) ==
        byte_buffer(data.end() - 512, data.end()));
  require_sense(f.run(cdb6(0x08, 1000, 0)), sense_key::illegal_request, asc::lba_out_of_range);
}

TEST_CASE("transfer length 0 moves nothing and is GOOD, but not past the end", "[scsi][read_write]") {
  fixture f(make_memory_store(512, 1024));
  for (const auto& op : ops) {
    auto r = f.run(cdb_of(op.size, op.read, 0, 0));
    CHECK(r.status == status::good);
    CHECK(r.data_in.empty());
    CHECK(f.run(cdb_of(op.size, op.write, 1024, 0)).status == status::good);
    require_sense(f.run(cdb_of(op.size, op.read, 1025, 0)), sense_key::illegal_request,
                  asc::lba_out_of_range);
    require_sense(f.run(cdb_of(op.size, op.write, 1025, 0)), sense_key::illegal_request,
                  asc::lba_out_of_range);
  }
}

TEST_CASE("LBA OUT OF RANGE: past the end, straddling it, and overflowing 64 bits", "[scsi][read_write]") {
  fixture f(make_memory_store(512, 1024));
  auto block = pattern(2 * 512, 1);
  for (const auto& op : ops) {
    require_sense(f.run(cdb_of(op.size, op.read, 1023, 2)), sense_key::illegal_request, asc::lba_out_of_range);
    require_sense(f.run(cdb_of(op.size, op.write, 1023, 2), block), sense_key::illegal_request,
                  asc::lba_out_of_range);
    CHECK(f.run(cdb_of(op.size, op.read, 1022, 2)).status == status::good);
  }
  require_sense(f.run(cdb16(0x88, ~0ULL, 2)), sense_key::illegal_request, asc::lba_out_of_range);
  require_sense(f.run(cdb10(0x28, 0xFFFFFFFF, 1)), sense_key::illegal_request, asc::lba_out_of_range);
}

TEST_CASE("RDPROTECT/WRPROTECT without protection information: INVALID FIELD IN CDB", "[scsi][read_write]") {
  fixture f;
  for (const auto& op : ops) {
    require_invalid_cdb_field(f.run(cdb_of(op.size, op.read, 0, 1, 0x20)), 1, 7);
    require_invalid_cdb_field(f.run(cdb_of(op.size, op.write, 0, 1, 0xE0), pattern(512, 0)), 1, 7);
  }
}

TEST_CASE("TRANSFER LENGTH above the Block Limits maximum: INVALID FIELD IN CDB", "[scsi][read_write]") {
  lu_config c;
  c.max_transfer_length = 8;
  fixture f(make_memory_store(512, 1024), c);
  require_invalid_cdb_field(f.run(cdb10(0x28, 0, 9)), 7);
  require_invalid_cdb_field(f.run(cdb12(0xA8, 0, 9)), 6);
  require_invalid_cdb_field(f.run(cdb16(0x88, 0, 9)), 10);
  CHECK(f.run(cdb10(0x28, 0, 8)).status == status::good);
}

TEST_CASE("writes to a read-only LU or under SWP: DATA PROTECT", "[scsi][read_write]") {
  lu_config c;
  c.read_only = true;
  fixture ro(make_memory_store(512, 64), c);
  for (const auto& op : ops) {
    require_sense(ro.run(cdb_of(op.size, op.write, 0, 1), pattern(512, 0)), sense_key::data_protect,
                  asc::write_protected);
    CHECK(ro.run(cdb_of(op.size, op.read, 0, 1)).status == status::good);
  }
  fixture swp;
  swp.lu->pages().find(mode_page_code::control)->current[4] |= 0x08;
  require_sense(swp.run(cdb6(0x0A, 0, 1), pattern(512, 0)), sense_key::data_protect,
                asc::software_write_protected);
}

// rfc7143 section 11.4.5.2, in our words:
// SPDTL > EDTL: the target signals an overflow with residual SPDTL - EDTL
// A data-out short by whole blocks: the blocks received are written, GOOD,
// data_out_length stays the CDB's length (the transport reports the
// residual); a data-out ending inside a block: 0Eh/03h, nothing written.
TEST_CASE("write data-out short by whole blocks: those written, GOOD, full length",
          "[scsi][read_write]") {
  fixture f;
  for (std::uint8_t op : {std::uint8_t{0x2A}, std::uint8_t{0xAA}, std::uint8_t{0x8A}}) {
    auto cdb_for = [&](std::uint64_t lba, std::uint32_t blocks) {
      return op == 0x2A ? cdb10(op, lba, blocks) : op == 0xAA ? cdb12(op, lba, blocks)
                                                               : cdb16(op, lba, blocks);
    };
    REQUIRE(f.run(cdb10(0x2A, 0, 2), byte_buffer(1024, 'a')).status == status::good);
    // No data-out for a 1-block write: nothing written.
    auto r = f.run(cdb_for(0, 1), {});
    CHECK(r.status == status::good);
    CHECK(r.data_out_length == 512);
    CHECK(f.run(cdb10(0x28, 0, 2)).data_in == byte_buffer(1024, 'a'));
    // One block of data-out for a 2-block write: the first block written.
    r = f.run(cdb_for(0, 2), byte_buffer(512, 'b'));
    CHECK(r.status == status::good);
    CHECK(r.data_out_length == 1024);
    auto back = f.run(cdb10(0x28, 0, 2)).data_in;
    CHECK(byte_buffer(back.begin(), back.begin() + 512) == byte_buffer(512, 'b'));
    CHECK(byte_buffer(back.begin() + 512, back.end()) == byte_buffer(512, 'a'));
    // A partial block (200 bytes): 0Eh/03h, nothing written.
    r = f.run(cdb_for(0, 1), byte_buffer(200, 'c'));
    require_sense(r, sense_key::illegal_request, asc::invalid_field_in_command_information_unit);
    CHECK(r.data_out_length == 512);
    r = f.run(cdb_for(0, 2), byte_buffer(700, 'c'));
    require_sense(r, sense_key::illegal_request, asc::invalid_field_in_command_information_unit);
    CHECK(f.run(cdb10(0x28, 0, 2)).data_in == back);
  }
  // More data-out than needed: only the CDB's blocks are written.
  CHECK(f.run(cdb10(0x2A, 0, 1), byte_buffer(1024, 'd')).status == status::good);
  auto back = f.run(cdb10(0x28, 0, 2)).data_in;
  CHECK(byte_buffer(back.begin(), back.begin() + 512) == byte_buffer(512, 'd'));
  CHECK(byte_buffer(back.begin() + 512, back.end()) == byte_buffer(512, 'a'));
}

TEST_CASE("READ with a short expected length: data cut, full length for the residual", "[scsi][read_write]") {
  fixture f;
  auto r = f.run(cdb10(0x28, 0, 4), {}, 200);
  CHECK(r.status == status::good);
  CHECK(r.data_in.size() == 200);
  CHECK(r.data_in_length == 2048);
  r = f.run(cdb10(0x28, 0, 1), {}, 0);
  CHECK(r.data_in.empty());
  CHECK(r.data_in_length == 512);
}

TEST_CASE("medium errors carry the failing LBA in INFORMATION", "[scsi][read_write]") {
  auto faults = std::make_shared<fault_store>(make_memory_store(512, 1024));
  fixture f(faults);
  faults->fail_range(105, 1, io_direction::read);
  auto r = f.run(cdb10(0x28, 100, 10));
  require_sense(r, sense_key::medium_error, asc::unrecovered_read_error);
  CHECK(sense_of(r).information == 105U);
  CHECK(r.sense[0] == 0xF0);  // fixed format, VALID
  faults->fail_range(7, 1, io_direction::write);
  r = f.run(cdb16(0x8A, 0, 8), pattern(8 * 512, 0));
  require_sense(r, sense_key::medium_error, asc::write_error);
  CHECK(sense_of(r).information == 7U);
  faults->clear();
  faults->fail_nth_io(1, store_errc::io_error);
  require_sense(f.run(cdb10(0x28, 0, 1)), sense_key::hardware_error, asc::internal_target_failure);
  faults->fail_nth_io(1, store_errc::no_space);
  require_sense(f.run(cdb10(0x2A, 0, 1), pattern(512, 0)), sense_key::data_protect,
                asc::space_allocation_failed_write_protect);
}

TEST_CASE("medium error with D_SENSE=1 puts the 8-byte LBA in an information descriptor",
          "[scsi][read_write]") {
  auto faults = std::make_shared<fault_store>(make_memory_store(512, 1024));
  fixture f(faults);
  f.lu->pages().find(mode_page_code::control)->current[2] |= 0x04;
  faults->fail_range(1000, 1, io_direction::read);
  auto r = f.run(cdb16(0x88, 999, 2));
  REQUIRE(r.sense.size() == 20);
  CHECK(r.sense[0] == 0x72);
  CHECK(r.sense[8] == 0x00);
  CHECK(r.sense[10] == 0x80);
  CHECK(get_be64(&r.sense[12]) == 1000);
}

TEST_CASE("READ/WRITE on a file store", "[scsi][read_write]") {
  char name[] = "/tmp/touchstone-rw-XXXXXX";
  int fd = ::mkstemp(name);
  REQUIRE(fd >= 0);
  ::close(fd);
  auto s = open_file_store({.path = name, .block_size = 4096, .block_count = 64});
  REQUIRE(s);
  {
    fixture f(std::shared_ptr<block_store>(std::move(*s)));
    auto data = pattern(2 * 4096, 9);
    CHECK(f.run(cdb10(0x2A, 62, 2), data).status == status::good);
    CHECK(f.run(cdb10(0x28, 62, 2)).data_in == data);
  }
  std::remove(name);
}
