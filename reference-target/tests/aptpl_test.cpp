// APTPL wiring: a LUN's "aptpl" state file (config file, --lun ...,aptpl=)
// reaches scsi::enable_aptpl when the instance builds the LU, so a
// registration made with APTPL=1 survives recreating the instance
// (spc4#5.13.5), and a LUN without one refuses APTPL=1.
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "support.hpp"
#include "touchstone/target/config_file.hpp"
#include "touchstone/target/instance.hpp"

using namespace touchstone;
using namespace touchstone::target;
using json = nlohmann::json;

namespace {

constexpr auto iqn = "iqn.2026-11.org.touchstone:pr";
constexpr std::uint64_t key = 0x1122334455667788;

struct temp_dir {
  std::string path;
  temp_dir() {
    char name[] = "/tmp/touchstone-aptpl-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    path = name;
  }
  ~temp_dir() {
    const auto state = path + "/lun0.pr";
    std::remove(state.c_str());
    std::remove((state + ".tmp").c_str());
    ::rmdir(path.c_str());
  }
};

target_definition with_lun(const std::string& aptpl) {
  json lun{{"store", "mem"}, {"size", "1MiB"}};
  if (!aptpl.empty()) lun["aptpl"] = aptpl;
  auto t = parse_target(json{{"iqn", iqn}, {"luns", json::array({lun})}}, "t");
  REQUIRE(t);
  return *t;
}

// One I_T nexus talking to LUN 0 of the instance's target.
struct initiator {
  scsi::device_server& devices;
  scsi::nexus nx{{"iqn.2026-11.org.touchstone:host,i,0x800000000001", std::string(iqn) + ",t,0x1"}, 0};
  scsi::task_tag tag = 1;

  // Runs a command; a unit attention (a fresh nexus) is consumed first.
  scsi::response run(const pdu::byte_buffer& cdb, const pdu::byte_buffer& data_out, std::uint32_t data_in) {
    for (int i = 0;; ++i) {
      auto r = devices.execute(nx, {cdb, scsi::task_attribute::simple, tag++, data_out, data_in});
      if (i < 3 && r.status == scsi::status::check_condition && r.sense.size() > 2 && (r.sense[2] & 0x0f) == 0x6)
        continue;
      return r;
    }
  }
  // PERSISTENT RESERVE OUT: service action, type, key, service action key, APTPL.
  scsi::response pr_out(std::uint8_t action, std::uint8_t type, std::uint64_t k, std::uint64_t sa_key, bool aptpl) {
    pdu::byte_buffer cdb(10, 0), list(24, 0);
    cdb[0] = 0x5f;
    cdb[1] = action;
    cdb[2] = type;
    cdb[8] = 24;
    pdu::store_be64(&list[0], k);
    pdu::store_be64(&list[8], sa_key);
    list[20] = aptpl ? 0x01 : 0x00;
    return run(cdb, list, 0);
  }
  scsi::response pr_in(std::uint8_t action) {
    pdu::byte_buffer cdb(10, 0);
    cdb[0] = 0x5e;
    cdb[1] = action;
    cdb[8] = 255;
    return run(cdb, {}, 255);
  }
};

scsi::device_server& devices_of(instance& in) {
  const auto* t = in.find(iqn);
  REQUIRE(t);
  return *t->node->devices;
}

}  // namespace

TEST_CASE("a LUN's aptpl state file: config file, --lun option, lun.list shape", "[aptpl][config]") {
  auto t = with_lun("/var/lib/touchstone/lun0.pr");
  REQUIRE(t.luns.size() == 1);
  CHECK(t.luns[0].aptpl == "/var/lib/touchstone/lun0.pr");
  CHECK(with_lun("").luns[0].aptpl.empty());

  auto l = parse_lun_option("file:/tmp/disk.img,size=1MiB,aptpl=/tmp/disk.pr", 0);
  REQUIRE(l);
  CHECK(l->aptpl == "/tmp/disk.pr");
  CHECK(l->path == "/tmp/disk.img");
  CHECK_FALSE(parse_lun_option("mem:1MiB,aptpl=", 0));
  CHECK_FALSE(parse_target(json{{"iqn", iqn}, {"luns", json::array({json{{"store", "mem"}, {"size", "1MiB"}, {"aptpl", 7}}})}}, "t"));
}

//= spc4#5.13.5 type=test
//# with APTPL the registrations and the reservation survive power loss
TEST_CASE("REGISTER with APTPL=1 survives recreating the instance", "[aptpl][persistent_reservations]") {
  temp_dir dir;
  const auto state = dir.path + "/lun0.pr";
  {
    instance in({"127.0.0.1:3260"}, {});
    REQUIRE(in.create_target(with_lun(state)));
    initiator host{devices_of(in)};
    auto caps = host.pr_in(0x02);
    REQUIRE(caps.status == scsi::status::good);
    CHECK((caps.data_in[2] & 0x01) == 0x01);  // PTPL_C
    CHECK((caps.data_in[3] & 0x01) == 0x00);  // PTPL_A: nothing asked yet
    REQUIRE(host.pr_out(0x00, 0x00, 0, key, true).status == scsi::status::good);         // REGISTER, APTPL=1
    REQUIRE(host.pr_out(0x01, 0x01, key, 0, false).status == scsi::status::good);        // RESERVE Write Exclusive
  }
  CHECK(::access(state.c_str(), F_OK) == 0);

  instance again({"127.0.0.1:3260"}, {});
  REQUIRE(again.create_target(with_lun(state)));
  initiator host{devices_of(again)};
  const auto keys = host.pr_in(0x00);
  REQUIRE(keys.status == scsi::status::good);
  REQUIRE(pdu::load_be32(&keys.data_in[4]) == 8);
  CHECK(pdu::load_be64(&keys.data_in[8]) == key);
  const auto held = host.pr_in(0x01);
  REQUIRE(held.status == scsi::status::good);
  REQUIRE(pdu::load_be32(&held.data_in[4]) == 16);
  CHECK(pdu::load_be64(&held.data_in[8]) == key);
  CHECK((held.data_in[21] & 0x0f) == 0x01);
  CHECK((host.pr_in(0x02).data_in[3] & 0x01) == 0x01);  // PTPL_A still set

  // A REGISTER with APTPL=0 removes the saved state: nothing to restore next time.
  REQUIRE(host.pr_out(0x00, 0x00, key, key, false).status == scsi::status::good);
  CHECK(::access(state.c_str(), F_OK) != 0);
}

TEST_CASE("without an aptpl file APTPL=1 is refused and nothing is saved", "[aptpl][persistent_reservations]") {
  instance in({"127.0.0.1:3260"}, {});
  REQUIRE(in.create_target(with_lun("")));
  initiator host{devices_of(in)};
  CHECK((host.pr_in(0x02).data_in[2] & 0x01) == 0x00);  // PTPL_C
  const auto r = host.pr_out(0x00, 0x00, 0, key, true);
  REQUIRE(r.status == scsi::status::check_condition);
  REQUIRE(r.sense.size() >= 14);
  CHECK((r.sense[2] & 0x0f) == 0x05);
  CHECK(r.sense[12] == 0x26);  // INVALID FIELD IN PARAMETER LIST
  CHECK(r.sense[13] == 0x00);
}

TEST_CASE("a corrupt aptpl file refuses the LUN with store_failed", "[aptpl][persistent_reservations]") {
  temp_dir dir;
  const auto state = dir.path + "/lun0.pr";
  std::ofstream(state) << "not a state file\n";
  instance in({"127.0.0.1:3260"}, {});
  const auto created = in.create_target(with_lun(state));
  REQUIRE_FALSE(created);
  CHECK(created.error().code == app_error_code::store_failed);
  CHECK(created.error().message.find(state) != std::string::npos);
}
