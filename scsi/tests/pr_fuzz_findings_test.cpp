// Regression tests for what fuzz/scsi_reservations found (docs/fuzzing.md).
#include "pr_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

TEST_CASE("fuzz finding: READ FULL STATUS shows an ALL_TG_PT registration holding a reservation "
          "taken through another target port",
          "[scsi][persistent_reservations][fuzz]") {
  pr_fixture f;
  nexus a2 = f.a;
  a2.it.target_port = "iqn.2024-01.test:t,t,0x2";
  a2.relative_target_port = 2;
  f.clear_uas(a2.it);
  //= spc4#6.16.3 type=test
  //# ALL_TG_PT=1: the registration holds for the initiator port on every target port
  require_good(f.register_key(f.a, 0xA1, 0x04));
  require_good(f.reserve(a2, 0xA1, pr_type::write_exclusive));
  auto r = f.in(f.c, prsa::read_full_status);
  require_good(r);
  REQUIRE(r.data_in.size() > 8 + 24);
  const std::uint8_t* d = &r.data_in[8];
  CHECK(get_be64(d) == 0xA1);
  //= spc4#6.15.5 type=test
  //# R_HOLDER (12.0), SCOPE/TYPE (13) when a holder
  CHECK(int{d[12]} == 0x03);  // ALL_TG_PT and R_HOLDER
  CHECK(int{d[13]} == 0x01);  // LU_SCOPE, Write Exclusive
  // The holder is a2: its writes pass, another registrant's would not.
  CHECK(f.reservation(f.c)->key == 0xA1);
}

TEST_CASE("fuzz finding: with overlapping registrations READ FULL STATUS marks the one holder "
          "READ RESERVATION reports",
          "[scsi][persistent_reservations][fuzz]") {
  pr_fixture f;
  nexus a2 = f.a;
  a2.it.target_port = "iqn.2024-01.test:t,t,0x2";
  a2.relative_target_port = 2;
  f.clear_uas(a2.it);
  require_good(f.register_key(f.a, 0x11));
  require_good(f.reserve(f.a, 0x11, pr_type::exclusive_access));
  // Unregistered on port 2, a registers there for every port: both
  // registrations now cover a on port 1 (a state the device server allows).
  require_good(f.register_key(a2, 0xAB, 0x04));
  auto r = f.in(f.c, prsa::read_full_status);
  require_good(r);
  int holders = 0;
  for (std::size_t at = 8; at + 24 <= r.data_in.size(); at += 24 + get_be32(&r.data_in[at + 20])) {
    if ((r.data_in[at + 12] & 0x01) == 0) continue;
    ++holders;
    //= spc4#6.15.3 type=test
    //# READ RESERVATION: the holder's key
    CHECK(get_be64(&r.data_in[at]) == f.reservation(f.c)->key);
  }
  CHECK(holders == 1);
  CHECK(f.reservation(f.c)->key == 0x11);
}
