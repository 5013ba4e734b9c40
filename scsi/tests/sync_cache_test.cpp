// SYNCHRONIZE CACHE, TEST UNIT READY, and the durability rules of writes.
#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

struct durable_fixture {
  std::shared_ptr<recording_store> rec =
      std::make_shared<recording_store>(make_memory_store(512, 1024));
  fixture f;
  explicit durable_fixture(bool wce) : f(rec, config(wce)) {}
  static lu_config config(bool wce) {
    lu_config c;
    c.write_cache = wce;
    return c;
  }
};

constexpr std::uint8_t fua = 0x08;

}  // namespace

TEST_CASE("WCE=1: plain writes stay unsynced until SYNCHRONIZE CACHE", "[scsi][sync_cache]") {
  durable_fixture d(true);
  REQUIRE(d.f.run(cdb10(0x2A, 0, 1), pattern(512, 1)).status == status::good);
  REQUIRE(d.f.run(cdb16(0x8A, 8, 2), pattern(1024, 2)).status == status::good);
  CHECK(d.rec->unsynced_writes() == 2);
  CHECK(d.rec->syncs() == 0);
  REQUIRE(d.f.run(cdb10(0x35, 0, 0)).status == status::good);
  CHECK(d.rec->unsynced_writes() == 0);
  CHECK(d.rec->syncs() == 1);
  REQUIRE(d.f.run(cdb10(0x2A, 0, 1), pattern(512, 1)).status == status::good);
  REQUIRE(d.f.run(cdb16(0x91, 0, 0)).status == status::good);
  CHECK(d.rec->unsynced_writes() == 0);
}

TEST_CASE("WCE=1: a FUA write is synced before GOOD", "[scsi][sync_cache]") {
  durable_fixture d(true);
  for (auto cdb : {cdb10(0x2A, 0, 1, fua), cdb12(0xAA, 0, 1, fua), cdb16(0x8A, 0, 1, fua)}) {
    REQUIRE(d.f.run(cdb, pattern(512, 1)).status == status::good);
    CHECK(d.rec->unsynced_writes() == 0);
    auto ev = d.rec->events();
    REQUIRE(ev.size() >= 2);
    CHECK(ev[ev.size() - 2].op == recording_store::op::write);
    CHECK(ev.back().op == recording_store::op::sync);
  }
  CHECK(d.rec->syncs() == 3);
}

TEST_CASE("WCE=0: every write is synced before GOOD", "[scsi][sync_cache]") {
  durable_fixture d(false);
  for (auto cdb : {cdb6(0x0A, 0, 1), cdb10(0x2A, 0, 1), cdb12(0xAA, 0, 1), cdb16(0x8A, 0, 1)}) {
    REQUIRE(d.f.run(cdb, pattern(512, 1)).status == status::good);
    CHECK(d.rec->unsynced_writes() == 0);
  }
  CHECK(d.rec->syncs() == 4);
}

TEST_CASE("WCE changed at run time takes effect on the next write", "[scsi][sync_cache]") {
  durable_fixture d(true);
  d.f.lu->pages().find(mode_page_code::caching)->current[2] &= static_cast<std::uint8_t>(~0x04);
  REQUIRE(d.f.run(cdb10(0x2A, 0, 1), pattern(512, 1)).status == status::good);
  CHECK(d.rec->unsynced_writes() == 0);
}

TEST_CASE("a failed sync is a MEDIUM ERROR, WRITE ERROR", "[scsi][sync_cache]") {
  auto faults = std::make_shared<fault_store>(make_memory_store(512, 64));
  fixture f(faults);
  faults->fail_sync(true);
  require_sense(f.run(cdb10(0x35, 0, 0)), sense_key::medium_error, asc::write_error);
  require_sense(f.run(cdb10(0x2A, 0, 1, fua), pattern(512, 0)), sense_key::medium_error, asc::write_error);
}

TEST_CASE("SYNCHRONIZE CACHE range checks", "[scsi][sync_cache]") {
  fixture f(make_memory_store(512, 1024));
  CHECK(f.run(cdb10(0x35, 1000, 24)).status == status::good);
  CHECK(f.run(cdb10(0x35, 1024, 0)).status == status::good);
  require_sense(f.run(cdb10(0x35, 1000, 25)), sense_key::illegal_request, asc::lba_out_of_range);
  require_sense(f.run(cdb10(0x35, 1025, 0)), sense_key::illegal_request, asc::lba_out_of_range);
  require_sense(f.run(cdb16(0x91, ~0ULL, 1)), sense_key::illegal_request, asc::lba_out_of_range);
  auto immed = cdb10(0x35, 0, 0, 0x02);
  CHECK(f.run(immed).status == status::good);
}

TEST_CASE("TEST UNIT READY: GOOD, UA first, NOT READY when stopped", "[scsi][sync_cache][tur]") {
  fixture f;
  CHECK(f.run(cdb6(0x00, 0, 0)).status == status::good);
  f.lu->establish_ua(f.nx.it, unit_attention::capacity_data_changed);
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::capacity_data_has_changed);
  f.lu->set_stopped(true);
  require_sense(f.run(cdb6(0x00, 0, 0)), sense_key::not_ready, asc::not_ready_initializing_command_required);
  require_sense(f.run(cdb10(0x28, 0, 1)), sense_key::not_ready, asc::not_ready_initializing_command_required);
}
