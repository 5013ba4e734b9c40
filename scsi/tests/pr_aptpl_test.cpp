// APTPL (persist through power loss), registrations across a rebuilt I_T
// nexus (session reinstatement), I_T nexus loss and LU reset, concurrency.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "pr_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() /
           ("touchstone-pr-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file() const { return (path / "lun0.pr").string(); }
};

// A "power cycle": a new device server and LU over the same store and state file.
struct aptpl_fixture : pr_fixture {
  explicit aptpl_fixture(const std::string& file, std::shared_ptr<block_store> s)
      : pr_fixture(std::move(s)) {
    REQUIRE(enable_aptpl(*lu, file));
  }
};

}  // namespace

TEST_CASE("APTPL=1: registrations and the reservation survive a restart",
          "[scsi][persistent_reservations][aptpl]") {
  temp_dir dir;
  std::shared_ptr<block_store> store = make_memory_store(512, 2048);
  {
    aptpl_fixture f(dir.file(), store);
    auto caps = f.in(f.a, prsa::report_capabilities);
    CHECK(int{caps.data_in[2]} == 0x15);  // PTPL_C
    CHECK(int{caps.data_in[3]} == 0x90);  // PTPL_A=0
    require_good(f.register_key(f.a, 0xA, 0x01));
    require_good(f.register_key(f.b, 0xB, 0x01));  // an APTPL=0 here would end persistence
    require_good(f.reserve(f.a, 0xA, pr_type::exclusive_access_registrants_only));
    CHECK(std::filesystem::exists(dir.file()));
    CHECK_FALSE(std::filesystem::exists(dir.file() + ".tmp"));
  }
  aptpl_fixture g(dir.file(), store);
  CHECK(g.keys(g.c) == std::vector<std::uint64_t>{0xA, 0xB});
  CHECK(g.generation(g.c) == 2);
  auto held = g.reservation(g.c);
  REQUIRE(held);
  CHECK(held->type == pr_type::exclusive_access_registrants_only);
  CHECK(held->key == 0xA);
  CHECK(int{g.in(g.a, prsa::report_capabilities).data_in[3]} == 0x91);  // PTPL_A
  // Enforced at once, before any PR command ran in this "power cycle".
  aptpl_fixture h(dir.file(), store);
  require_conflict(h.run_on(h.c, cdb10(0x28, 0, 1)));
  CHECK(h.run_on(h.b, cdb10(0x28, 0, 1)).status == status::good);
  require_good(h.release(h.a, 0xA, pr_type::exclusive_access_registrants_only));
}

TEST_CASE("without APTPL nothing persists, APTPL=0 removes the saved state",
          "[scsi][persistent_reservations][aptpl]") {
  temp_dir dir;
  std::shared_ptr<block_store> store = make_memory_store(512, 2048);
  SECTION("never APTPL") {
    {
      aptpl_fixture f(dir.file(), store);
      require_good(f.register_key(f.a, 0xA));
      CHECK_FALSE(std::filesystem::exists(dir.file()));
    }
    aptpl_fixture g(dir.file(), store);
    CHECK(g.keys(g.a).empty());
  }
  SECTION("APTPL=1 then a REGISTER with APTPL=0") {
    {
      aptpl_fixture f(dir.file(), store);
      require_good(f.register_key(f.a, 0xA, 0x01));
      CHECK(std::filesystem::exists(dir.file()));
      require_good(f.out(f.a, prsa::register_key, 0xA, 0xA2));
      CHECK_FALSE(std::filesystem::exists(dir.file()));
    }
    aptpl_fixture g(dir.file(), store);
    CHECK(g.keys(g.a).empty());
  }
  SECTION("no APTPL configured at all (plain LU)") {
    pr_fixture f(store);
    require_good(f.register_key(f.a, 0xA));
    pr_fixture g(store);
    CHECK(g.keys(g.a).empty());
  }
}

TEST_CASE("APTPL: a corrupt state file is refused", "[scsi][persistent_reservations][aptpl]") {
  temp_dir dir;
  {
    std::ofstream out(dir.file());
    out << "touchstone-pr-state 1\ngeneration 3\naptpl 1\nregistration zz\nend\n";
  }
  fixture f;
  auto r = enable_aptpl(*f.lu, dir.file());
  REQUIRE_FALSE(r);
  CHECK(r.error() == aptpl_error::corrupt);
}

TEST_CASE("APTPL: a save that fails leaves the state unchanged",
          "[scsi][persistent_reservations][aptpl]") {
  temp_dir dir;
  pr_fixture f;
  REQUIRE(enable_aptpl(*f.lu, (dir.path / "missing-dir" / "lun0.pr").string()));
  require_sense(f.register_key(f.a, 0xA, 0x01), sense_key::illegal_request,
                asc::insufficient_registration_resources);
  CHECK(f.keys(f.a).empty());
  CHECK(f.generation(f.a) == 0);
}

TEST_CASE("registrations follow an I_T nexus rebuilt by session reinstatement",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive));
  // The session goes away (I_T nexus loss) and is reinstated: same initiator
  // port name and ISID, so an equal nexus built anew (rfc7143 appendix E.2).
  f.server.it_nexus_lost(f.a.it);
  nexus again;
  again.it = it_nexus{std::string("iqn.2024-01.test:a") + ",i,0x" + "000000000001",
                      std::string("iqn.2024-01.test:t,t,0x1")};
  again.lun = 0;
  require_sense(f.run_on(again, cdb6(0x00, 0, 0)), sense_key::unit_attention,
                asc::i_t_nexus_loss_occurred);
  CHECK(f.keys(again) == std::vector<std::uint64_t>{0xA});
  CHECK(f.run_on(again, cdb10(0x2A, 0, 1), byte_buffer(512, 0)).status == status::good);
  require_conflict(f.run_on(f.b, cdb10(0x2A, 0, 1), byte_buffer(512, 0)));
  require_good(f.release(again, 0xA, pr_type::write_exclusive));
  SECTION("another ISID is another I_T nexus") {
    nexus other = again;
    other.it.initiator_port = "iqn.2024-01.test:a,i,0x000000000009";
    f.clear_uas(other.it);
    require_conflict(f.unregister(other, 0xA));
  }
}

TEST_CASE("LOGICAL UNIT RESET leaves persistent reservations alone",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.reserve(f.a, 0xA, pr_type::exclusive_access));
  (void)f.server.task_management(f.a, tmf_function::logical_unit_reset);
  f.clear_uas(f.a.it);
  f.clear_uas(f.c.it);
  CHECK(f.reservation(f.a)->key == 0xA);
  require_conflict(f.run_on(f.c, cdb10(0x28, 0, 1)));
}

TEST_CASE("concurrent PERSISTENT RESERVE OUT from several threads stays consistent",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  constexpr int threads = 4;
  constexpr int rounds = 200;
  std::vector<std::thread> pool;
  std::atomic<int> failures{0};
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      nexus n = nexus_of(it_nexus{"iqn.2024-01.test:t" + std::to_string(t) + ",i,0x00000000000" + std::to_string(t),
                                  "iqn.2024-01.test:t,t,0x1"});
      const std::uint64_t key = 0x100 + static_cast<std::uint64_t>(t);
      for (int i = 0; i < rounds; ++i) {
        request r;
        auto cdb = prout_cdb(prsa::register_ignore, 0, 24);
        auto list = basic_list(0, (i % 2 == 0) ? key : 0);
        r.cdb = cdb;
        r.data_out = list;
        r.tag = static_cast<task_tag>(i);
        auto resp = f.server.execute(n, r);
        // The first command of a nexus may see POWER ON; everything else is GOOD.
        if (resp.status != status::good && i != 0) ++failures;
      }
    });
  }
  for (auto& th : pool) th.join();
  CHECK(failures == 0);
  CHECK(f.keys(f.a).empty());  // every thread ended unregistered
}
