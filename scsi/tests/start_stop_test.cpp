// START STOP UNIT: stop/start, NOT READY for medium access while stopped,
// NO_FLUSH, LOEJ on a non-removable medium, power conditions.
#include "sbc_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

byte_buffer ssu(bool start, std::uint8_t condition = 0, std::uint8_t modifier = 0,
                bool loej = false, bool no_flush = false, bool immed = false) {
  byte_buffer c(6, 0);
  c[0] = 0x1B;
  c[1] = immed ? 1 : 0;
  c[3] = modifier;
  c[4] = static_cast<std::uint8_t>(condition << 4 | (no_flush ? 4 : 0) | (loej ? 2 : 0) |
                                   (start ? 1 : 0));
  return c;
}

void require_not_ready(const response& r) {
  require_sense(r, sense_key::not_ready, asc::not_ready_initializing_command_required);
}

}  // namespace

TEST_CASE("START STOP UNIT: a stopped LU answers medium access with NOT READY",
          "[scsi][start_stop]") {
  for (bool immed : {false, true}) {
    fixture f(make_memory_store(512, 64));
    CHECK(f.run(ssu(false, 0, 0, false, false, immed)).status == status::good);
    CHECK(f.lu->stopped());
    require_not_ready(f.run(cdb6(0x00, 0, 0)));
    require_not_ready(f.run(cdb10(0x28, 0, 1)));
    require_not_ready(f.run(cdb10(0x2A, 0, 1), byte_buffer(512, 0)));
    require_not_ready(f.run(unmap_cdb(24), unmap_list({{0, 1}})));
    require_not_ready(f.run(cdb10(0x41, 0, 1), byte_buffer(512, 0)));
    require_not_ready(f.run(cdb16(0x93, 0, 1), byte_buffer(512, 0)));
    auto caw = cdb16(0x89, 0, 0);
    caw[13] = 1;
    require_not_ready(f.run(caw, byte_buffer(1024, 0)));
    require_not_ready(f.run(cdb16(0x8B, 0, 1), byte_buffer(512, 0)));
    require_not_ready(f.run(get_lba_status_cdb(0, 24)));
    require_not_ready(f.run(cdb10(0x34, 0, 1)));
    require_not_ready(f.run(cdb16(0x90, 0, 1)));
    require_not_ready(f.run(cdb10(0x2F, 0, 1)));
    require_not_ready(f.run(cdb16(0x8F, 0, 1)));
    require_not_ready(f.run(cdb10(0x2E, 0, 1), byte_buffer(512, 0)));
    // Stopping again is no error; START=1 makes the LU ready.
    CHECK(f.run(ssu(false)).status == status::good);
    CHECK(f.run(ssu(true, 0, 0, false, false, immed)).status == status::good);
    CHECK_FALSE(f.lu->stopped());
    CHECK(f.run(cdb6(0x00, 0, 0)).status == status::good);
    CHECK(f.run(cdb10(0x28, 0, 1)).status == status::good);
  }
}

TEST_CASE("START STOP UNIT: NO_FLUSH=0 syncs before stopping, NO_FLUSH=1 does not",
          "[scsi][start_stop]") {
  auto recording = std::make_shared<recording_store>(make_memory_store(512, 64));
  fixture f(recording);
  write_blocks(f, 0, byte_buffer(512, 1));
  CHECK(f.run(ssu(false, 0, 0, false, true)).status == status::good);
  CHECK(recording->unsynced_writes() == 1);
  CHECK(f.run(ssu(true)).status == status::good);
  CHECK(f.run(ssu(false)).status == status::good);
  CHECK(recording->unsynced_writes() == 0);

  auto faulty = std::make_shared<fault_store>(make_memory_store(512, 64));
  fixture g(faulty);
  faulty->fail_sync(true);
  require_sense(g.run(ssu(false)), sense_key::medium_error, asc::write_error);
  CHECK_FALSE(g.lu->stopped());
}

TEST_CASE("START STOP UNIT: LOEJ=1 on a medium that is not removable", "[scsi][start_stop]") {
  fixture f;
  require_invalid_cdb_field(f.run(ssu(false, 0, 0, true)), 4, 1);
  require_invalid_cdb_field(f.run(ssu(true, 0, 0, true, false, true)), 4, 1);
  CHECK_FALSE(f.lu->stopped());
  // With a power condition, LOEJ and START are ignored.
  CHECK(f.run(ssu(false, 1, 0, true)).status == status::good);
  CHECK_FALSE(f.lu->stopped());
}

TEST_CASE("START STOP UNIT: power conditions", "[scsi][start_stop]") {
  fixture f;
  struct valid {
    std::uint8_t condition, max_modifier;
  };
  for (valid v :
       {valid{1, 0}, valid{2, 2}, valid{3, 1}, valid{7, 0}, valid{0xA, 0}, valid{0xB, 0}}) {
    INFO("POWER CONDITION " << int{v.condition});
    for (std::uint8_t m = 0; m <= v.max_modifier; ++m)
      CHECK(f.run(ssu(false, v.condition, m)).status == status::good);
    require_invalid_cdb_field(
        f.run(ssu(false, v.condition, static_cast<std::uint8_t>(v.max_modifier + 1))), 3, 3);
    CHECK_FALSE(f.lu->stopped());
  }
  for (std::uint8_t reserved :
       std::initializer_list<std::uint8_t>{4, 5, 6, 8, 9, 0xC, 0xD, 0xE, 0xF})
    require_invalid_cdb_field(f.run(ssu(true, reserved)), 4, 7);
  require_invalid_cdb_field(f.run(ssu(true, 0, 1)), 3, 3);
  // A stopped LU stays stopped when a power condition is requested.
  CHECK(f.run(ssu(false)).status == status::good);
  CHECK(f.run(ssu(true, 1)).status == status::good);
  CHECK(f.lu->stopped());
}

TEST_CASE("START STOP UNIT runs on a stopped LU and on a read-only LU", "[scsi][start_stop]") {
  fixture f(make_memory_store(512, 64), read_only_config());
  CHECK(f.run(ssu(false)).status == status::good);
  CHECK(f.run(ssu(true)).status == status::good);
  CHECK(f.run(cdb6(0x00, 0, 0)).status == status::good);
}
