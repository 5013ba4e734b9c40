// execute() from several threads: per-LU serialisation keeps every block whole.
#include <algorithm>
#include <thread>

#include "support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

TEST_CASE("concurrent writers and readers on one LU never see a torn block", "[scsi][core][threads]") {
  fixture f(make_memory_store(512, 64));
  auto writer = [&f](std::uint8_t value, std::uint64_t tag_base) {
    nexus n = nexus_of(value == 1 ? initiator_a() : initiator_b());
    for (std::uint64_t i = 0; i < 200; ++i) {
      request r;
      auto c = cdb10(0x2A, 0, 8);
      byte_buffer data(8 * 512, value);
      r.cdb = c;
      r.data_out = data;
      r.tag = tag_base + i;
      auto resp = f.server.execute(n, r);
      CHECK((resp.status == status::good || resp.status == status::check_condition));
    }
  };
  std::thread a(writer, std::uint8_t{1}, 1000);
  std::thread b(writer, std::uint8_t{2}, 5000);
  for (int i = 0; i < 200; ++i) {
    auto r = f.run(cdb10(0x28, 0, 8), {}, 8 * 512);
    REQUIRE(r.status == status::good);
    const std::uint8_t first = r.data_in[0];
    CHECK(std::all_of(r.data_in.begin(), r.data_in.end(), [first](std::uint8_t v) { return v == first; }));
  }
  a.join();
  b.join();
}

TEST_CASE("commands to different LUs run side by side", "[scsi][core][threads]") {
  fixture f(make_memory_store(512, 64));
  lu_config c;
  c.lun = 1;
  REQUIRE(f.server.add_lu(std::make_shared<logical_unit>(c, make_memory_store(512, 64))));
  auto work = [&f](lun_t lun) {
    nexus n = nexus_of(initiator_a(), lun);
    for (std::uint64_t i = 0; i < 100; ++i) {
      request r;
      auto cdb = cdb10(0x2A, static_cast<std::uint32_t>(i % 60), 1);
      byte_buffer data(512, static_cast<std::uint8_t>(lun));
      r.cdb = cdb;
      r.data_out = data;
      r.tag = 100 + i;
      (void)f.server.execute(n, r);
    }
  };
  std::thread t0(work, 0), t1(work, 1);
  t0.join();
  t1.join();
  auto r = f.run_on(nexus_of(initiator_a(), 1), cdb10(0x28, 5, 1));
  if (r.status == status::check_condition) r = f.run_on(nexus_of(initiator_a(), 1), cdb10(0x28, 5, 1));
  CHECK(r.data_in == byte_buffer(512, 1));
}
