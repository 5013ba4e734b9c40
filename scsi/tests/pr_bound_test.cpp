// The registrations of a logical unit are a table initiators fill (one per
// I_T nexus, and they outlive the nexus): past lu_config::max_pr_registrations
// a new one is refused with INSUFFICIENT REGISTRATION RESOURCES.
#include <string>

#include "pr_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

constexpr std::size_t bound = 16;

nexus port(std::size_t n) {
  return nexus_of({"iqn.2024-01.test:i,i,0x" + std::to_string(100000 + n), "iqn.2024-01.test:t,t,0x1"});
}

response register_key(fixture& f, const nexus& n, std::uint64_t key, std::uint64_t sa_key) {
  f.clear_uas(n.it);
  return f.run_on(n, prout_cdb(prsa::register_key, 0, 24), basic_list(key, sa_key));
}

}  // namespace

TEST_CASE("PR: registrations past the bound get INSUFFICIENT REGISTRATION RESOURCES",
          "[scsi][persistent_reservations][bounded]") {
  CHECK(lu_config{}.max_pr_registrations == 4096);
  lu_config c;
  c.max_pr_registrations = bound;
  fixture f(make_memory_store(512, 2048), c);
  for (std::size_t i = 0; i < bound; ++i) {
    REQUIRE(register_key(f, port(i), 0, 0x1000 + i).status == status::good);
    f.server.it_nexus_lost(port(i).it);  // the registration stays (spc4#5.13.1, from memory)
  }
  //= spc4#5.13.7 type=test
  //# a registration the device server has no room for: INSUFFICIENT REGISTRATION RESOURCES
  require_sense(register_key(f, port(bound), 0, 0xE), sense_key::illegal_request,
                asc::insufficient_registration_resources);
  // One goes: there is room for one more.
  REQUIRE(register_key(f, port(0), 0x1000, 0).status == status::good);
  CHECK(register_key(f, port(bound), 0, 0xE).status == status::good);
  require_sense(register_key(f, port(bound + 1), 0, 0xF), sense_key::illegal_request,
                asc::insufficient_registration_resources);
}
