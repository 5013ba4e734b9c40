// PRE-FETCH(10)/(16): range checks; GOOD (no cache to pre-fetch into).
#include "sbc_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

byte_buffer prefetch_cdb(bool sixteen, std::uint64_t lba, std::uint32_t blocks, std::uint8_t b1 = 0,
                         std::uint8_t group = 0) {
  if (!sixteen) {
    auto c = cdb10(0x34, static_cast<std::uint32_t>(lba), static_cast<std::uint16_t>(blocks), b1);
    c[6] = group;
    return c;
  }
  auto c = cdb16(0x90, lba, blocks, b1);
  c[14] = group;
  return c;
}

constexpr std::uint8_t immed = 0x02;

}  // namespace

TEST_CASE("PRE-FETCH answers GOOD: no block is held in a cache", "[scsi][prefetch]") {
  fixture f(make_memory_store(512, 1024));
  for (bool sixteen : {false, true}) {
    for (std::uint32_t n : {1U, 256U}) {
      CHECK(f.run(prefetch_cdb(sixteen, 0, n)).status == status::good);
      CHECK(f.run(prefetch_cdb(sixteen, 1024 - n, n)).status == status::good);
    }
    // IMMED and GROUP NUMBER change nothing here.
    CHECK(f.run(prefetch_cdb(sixteen, 0, 1, immed)).status == status::good);
    CHECK(f.run(prefetch_cdb(sixteen, 0, 1, 0, 3)).status == status::good);
    CHECK(f.run(prefetch_cdb(sixteen, 0, 1, immed, 3)).status == status::good);
    auto r = f.run(prefetch_cdb(sixteen, 0, 1));
    CHECK(r.sense.empty());
    CHECK(r.data_in.empty());
  }
}

TEST_CASE("PRE-FETCH: PREFETCH LENGTH 0 reaches the last LBA, ranges past it are out of range",
          "[scsi][prefetch]") {
  fixture f(make_memory_store(512, 1024));
  for (bool sixteen : {false, true}) {
    INFO((sixteen ? "16" : "10"));
    CHECK(f.run(prefetch_cdb(sixteen, 0, 0)).status == status::good);
    CHECK(f.run(prefetch_cdb(sixteen, 1023, 0)).status == status::good);
    require_lba_out_of_range(f.run(prefetch_cdb(sixteen, 1024, 0)));
    require_lba_out_of_range(f.run(prefetch_cdb(sixteen, 1025, 0)));
    require_lba_out_of_range(f.run(prefetch_cdb(sixteen, 1023, 2)));
    require_lba_out_of_range(f.run(prefetch_cdb(sixteen, 0xFFFFFFFF, 1)));
  }
  require_lba_out_of_range(f.run(prefetch_cdb(true, 0x8000000000000000ULL, 0)));
  require_lba_out_of_range(f.run(prefetch_cdb(true, 0xFFFFFFFFFFFFFFFFULL, 1)));
}

TEST_CASE("PRE-FETCH reads nothing and works on a read-only LU", "[scsi][prefetch]") {
  auto recording = std::make_shared<recording_store>(make_memory_store(512, 64));
  fixture f(recording, read_only_config());
  CHECK(f.run(prefetch_cdb(true, 0, 8)).status == status::good);
  CHECK(recording->events().empty());
}
