// SPC-2 RESERVE/RELEASE 6/10: holder, conflicts, release by others, resets.
#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

byte_buffer reserve6() { return cdb6(0x16, 0, 0); }
byte_buffer release6() { return cdb6(0x17, 0, 0); }
byte_buffer reserve10(std::uint8_t b1 = 0) { return cdb10(0x56, 0, 0, b1); }
byte_buffer release10(std::uint8_t b1 = 0) { return cdb10(0x57, 0, 0, b1); }
byte_buffer mode_sense6() { return cdb6(0x1A, 0x3F00, 255); }

struct two_initiators : fixture {
  nexus b = nexus_of(initiator_b());
  two_initiators() { clear_uas(initiator_b()); }
};

}  // namespace

TEST_CASE("RESERVE and RELEASE from one initiator", "[scsi][reserve_release]") {
  two_initiators f;
  auto [reserve, release] = GENERATE(std::make_pair(reserve6(), release6()),
                                     std::make_pair(reserve10(), release10()));
  CHECK(f.run(reserve).status == status::good);
  CHECK(f.run(reserve).status == status::good);  // the holder may reserve again
  CHECK(f.run(cdb10(0x28, 0, 1)).status == status::good);
  CHECK(f.run(release).status == status::good);
  CHECK(f.run(release).status == status::good);  // nothing held: still GOOD
  CHECK(f.run_on(f.b, reserve).status == status::good);
  CHECK(f.run_on(f.b, release).status == status::good);
}

TEST_CASE("a reservation conflicts other initiators' commands", "[scsi][reserve_release]") {
  two_initiators f;
  REQUIRE(f.run(reserve6()).status == status::good);
  CHECK(f.run_on(f.b, reserve6()).status == status::reservation_conflict);
  CHECK(f.run_on(f.b, reserve10()).status == status::reservation_conflict);
  auto r = f.run_on(f.b, mode_sense6());
  CHECK(r.status == status::reservation_conflict);
  CHECK(r.sense.empty());
  CHECK(f.run_on(f.b, cdb6(0x00, 0, 0)).status == status::reservation_conflict);
  CHECK(f.run_on(f.b, cdb10(0x28, 0, 1)).status == status::reservation_conflict);
  CHECK(f.run_on(f.b, cdb10(0x2A, 0, 1), byte_buffer(512, 1)).status ==
        status::reservation_conflict);
  SECTION("INQUIRY, REQUEST SENSE, REPORT LUNS still run") {
    CHECK(f.run_on(f.b, cdb6(0x12, 0, 36)).status == status::good);
    CHECK(f.run_on(f.b, cdb6(0x03, 0, 18)).status == status::good);
    byte_buffer rl(12, 0);
    rl[0] = 0xA0;
    rl[9] = 64;
    CHECK(f.run_on(f.b, rl).status == status::good);
  }
  SECTION("RELEASE from another initiator is GOOD and releases nothing") {
    CHECK(f.run_on(f.b, release6()).status == status::good);
    CHECK(f.run_on(f.b, release10()).status == status::good);
    CHECK(f.run_on(f.b, reserve6()).status == status::reservation_conflict);
    CHECK(f.run(mode_sense6()).status == status::good);
    REQUIRE(f.run(release10()).status == status::good);
    CHECK(f.run_on(f.b, reserve6()).status == status::good);
    CHECK(f.run(reserve6()).status == status::reservation_conflict);
  }
}

TEST_CASE("LOGICAL UNIT RESET releases the reservation", "[scsi][reserve_release]") {
  two_initiators f;
  REQUIRE(f.run(reserve6()).status == status::good);
  (void)f.server.task_management(f.nx, tmf_function::logical_unit_reset);
  f.clear_uas(initiator_b());
  CHECK(f.run_on(f.b, reserve6()).status == status::good);
}

TEST_CASE("loss of the holder's I_T nexus releases the reservation", "[scsi][reserve_release]") {
  two_initiators f;
  REQUIRE(f.run(reserve10()).status == status::good);
  f.server.it_nexus_lost(initiator_b());  // not the holder: no effect
  f.clear_uas(initiator_b());
  CHECK(f.run_on(f.b, reserve6()).status == status::reservation_conflict);
  f.server.it_nexus_lost(initiator_a());
  CHECK(f.run_on(f.b, reserve6()).status == status::good);
}

TEST_CASE("I_T NEXUS RESET of the holder releases the reservation", "[scsi][reserve_release]") {
  two_initiators f;
  REQUIRE(f.run(reserve6()).status == status::good);
  (void)f.server.task_management(f.nx, tmf_function::it_nexus_reset);
  CHECK(f.run_on(f.b, reserve6()).status == status::good);
}

TEST_CASE("third-party and extent reservations are refused", "[scsi][reserve_release]") {
  two_initiators f;
  require_invalid_cdb_field(f.run(reserve10(0x10)), 1, 4);
  require_invalid_cdb_field(f.run(reserve10(0x02)), 1, 1);
  require_invalid_cdb_field(f.run(release10(0x10)), 1, 4);
  require_invalid_cdb_field(f.run(cdb6(0x16, 0, 0, 0x01)), 1, 0);
  require_invalid_cdb_field(f.run(cdb6(0x17, 0, 0, 0x01)), 1, 0);
  CHECK(f.run_on(f.b, reserve6()).status == status::good);  // nothing was reserved
}
