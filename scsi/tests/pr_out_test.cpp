// PERSISTENT RESERVE OUT: REGISTER, REGISTER AND IGNORE EXISTING KEY,
// RESERVE, RELEASE, CLEAR; CDB and parameter list errors; PRgeneration; UAs.
#include "pr_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

TEST_CASE("REGISTER: register, change key, unregister, PRgeneration counts each",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0x10));
  CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0x10});
  CHECK(f.generation(f.a) == 1);
  require_good(f.out(f.a, prsa::register_key, 0x10, 0x20));
  CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0x20});
  CHECK(f.generation(f.a) == 2);
  require_good(f.unregister(f.a, 0x20));
  CHECK(f.keys(f.a).empty());
  CHECK(f.generation(f.a) == 3);
}

TEST_CASE("REGISTER: key mismatches are RESERVATION CONFLICT, nothing changes",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  SECTION("unregistered I_T nexus with a non-zero RESERVATION KEY") {
    require_conflict(f.out(f.a, prsa::register_key, 0x99, 0x10));
    CHECK(f.keys(f.a).empty());
    CHECK(f.generation(f.a) == 0);
  }
  SECTION("registered I_T nexus with another RESERVATION KEY") {
    require_good(f.register_key(f.a, 0x10));
    require_conflict(f.out(f.a, prsa::register_key, 0x11, 0x20));
    require_conflict(f.out(f.a, prsa::register_key, 0, 0x20));
    CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0x10});
    CHECK(f.generation(f.a) == 1);
  }
}

TEST_CASE("REGISTER with a zero key from an unregistered I_T nexus does nothing",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0));
  CHECK(f.keys(f.a).empty());
  CHECK(f.generation(f.a) == 0);
}

TEST_CASE("REGISTER AND IGNORE EXISTING KEY ignores the RESERVATION KEY",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.out(f.a, prsa::register_ignore, 0x1234, 0x10));
  CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0x10});
  require_good(f.out(f.a, prsa::register_ignore, 0x5678, 0x20));
  CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0x20});
  require_good(f.out(f.a, prsa::register_ignore, 0x9999, 0));
  CHECK(f.keys(f.a).empty());
  CHECK(f.generation(f.a) == 3);
}

TEST_CASE("PERSISTENT RESERVE OUT parameter list length other than 24: PARAMETER LIST LENGTH ERROR",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  for (std::uint8_t sa = 0; sa <= 6; ++sa) {
    for (std::uint32_t len : {0U, 8U, 23U, 25U, 32U}) {
      INFO("service action " << int{sa} << " length " << len);
      byte_buffer list(len, 0);
      auto r = f.run(prout_cdb(sa, code(pr_type::write_exclusive), len), list);
      require_sense(r, sense_key::illegal_request, asc::parameter_list_length_error);
      CHECK(r.data_out_length == len);
    }
  }
  SECTION("less data-out than the CDB announces") {
    byte_buffer list(10, 0);
    require_sense(f.run(prout_cdb(prsa::register_key, 0, 24), list), sense_key::illegal_request,
                  asc::parameter_list_length_error);
  }
}

TEST_CASE("SPEC_I_PT=1 is refused: INVALID FIELD IN PARAMETER LIST at byte 20 bit 3",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_invalid_list_field(f.register_key(f.a, 0x10, 0x08), 20, 3);
  // Also with TransportIDs appended (a longer list).
  byte_buffer list = basic_list(0, 0x10, 0x08);
  list.resize(24 + 4 + 40, 0);
  put_be32(&list[24], 40);
  require_invalid_list_field(f.run(prout_cdb(prsa::register_key, 0, 68), list), 20, 3);
  CHECK(f.keys(f.a).empty());
}

TEST_CASE("APTPL=1 without an APTPL file (PTPL_C=0): INVALID FIELD IN PARAMETER LIST",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_invalid_list_field(f.register_key(f.a, 0x10, 0x01), 20, 0);
  require_invalid_list_field(f.out(f.a, prsa::register_ignore, 0, 0x10, pr_type::none, 0x01), 20, 0);
  CHECK(f.keys(f.a).empty());
}

TEST_CASE("unknown PERSISTENT RESERVE OUT service action: INVALID FIELD IN CDB at byte 1",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  auto list = basic_list(0, 1);
  for (std::uint8_t sa = 8; sa < 0x20; ++sa)
    require_invalid_cdb_field(f.run(prout_cdb(sa, 0, 24), list), 1, 4);
}

TEST_CASE("invalid TYPE or SCOPE: INVALID FIELD IN CDB with the bit pointer",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0x10));
  auto list = basic_list(0x10, 0x20);
  for (std::uint8_t sa : {prsa::reserve, prsa::release, prsa::preempt, prsa::preempt_and_abort}) {
    INFO("service action " << int{sa});
    for (std::uint8_t type : {0x0, 0x2, 0x4, 0x9, 0xF})
      require_invalid_cdb_field(f.run(prout_cdb(sa, type, 24), list), 2, 3);
    for (std::uint8_t scope : {0x1, 0x2, 0xF})
      require_invalid_cdb_field(f.run(prout_cdb(sa, static_cast<std::uint8_t>(scope << 4 | 1), 24), list), 2, 7);
  }
  SECTION("REGISTER and CLEAR ignore SCOPE and TYPE") {
    require_good(f.run(prout_cdb(prsa::register_key, 0xFF, 24), basic_list(0x10, 0x11)));
    require_good(f.run(prout_cdb(prsa::clear, 0xFF, 24), basic_list(0x11, 0)));
  }
  CHECK_FALSE(f.reservation(f.a));
}

TEST_CASE("RESERVE: holder, idempotent, conflicts", "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.register_key(f.b, 0xB));
  SECTION("unregistered I_T nexus") {
    require_conflict(f.reserve(f.c, 0, pr_type::write_exclusive));
  }
  SECTION("wrong key") {
    require_conflict(f.reserve(f.a, 0xB, pr_type::write_exclusive));
  }
  SECTION("reserve, again the same: GOOD; another type: conflict; another nexus: conflict") {
    require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive));
    require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive));
    require_conflict(f.reserve(f.a, 0xA, pr_type::exclusive_access));
    require_conflict(f.reserve(f.b, 0xB, pr_type::write_exclusive));
    auto held = f.reservation(f.c);
    REQUIRE(held);
    CHECK(held->key == 0xA);
    CHECK(held->type == pr_type::write_exclusive);
    CHECK(f.generation(f.a) == 2);  // RESERVE leaves PRgeneration alone
  }
  SECTION("all registrants: every registrant holds it") {
    require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive_all_registrants));
    require_good(f.reserve(f.b, 0xB, pr_type::write_exclusive_all_registrants));
    require_conflict(f.reserve(f.b, 0xB, pr_type::exclusive_access_all_registrants));
  }
}

TEST_CASE("RELEASE: non-holder GOOD without effect, wrong type INVALID RELEASE",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.register_key(f.b, 0xB));
  require_good(f.release(f.a, 0xA, pr_type::write_exclusive));  // nothing to release
  require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive));
  require_conflict(f.release(f.c, 0, pr_type::write_exclusive));
  require_conflict(f.release(f.a, 0xB, pr_type::write_exclusive));
  require_good(f.release(f.b, 0xB, pr_type::write_exclusive));
  CHECK(f.reservation(f.a));
  require_sense(f.release(f.a, 0xA, pr_type::exclusive_access), sense_key::illegal_request,
                asc::invalid_release_of_persistent_reservation);
  CHECK(f.reservation(f.a));
  require_good(f.release(f.a, 0xA, pr_type::write_exclusive));
  CHECK_FALSE(f.reservation(f.a));
  CHECK(f.uas(f.b).empty());  // Write Exclusive: no RESERVATIONS RELEASED
  CHECK(f.generation(f.a) == 2);
}

TEST_CASE("RELEASE of a Registrants Only / All Registrants reservation: RESERVATIONS RELEASED to the other registrants",
          "[scsi][persistent_reservations]") {
  auto type = GENERATE(pr_type::write_exclusive_registrants_only, pr_type::exclusive_access_registrants_only,
                       pr_type::write_exclusive_all_registrants, pr_type::exclusive_access_all_registrants);
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.register_key(f.b, 0xB));
  require_good(f.reserve(f.a, 0xA, type));
  require_good(f.release(f.a, 0xA, type));
  CHECK(f.uas(f.b) == std::vector<unit_attention>{unit_attention::reservations_released});
  CHECK(f.uas(f.a).empty());
  CHECK(f.uas(f.c).empty());  // not registered
  require_sense(f.run_on(f.b, cdb6(0x00, 0, 0)), sense_key::unit_attention, asc::reservations_released);
}

TEST_CASE("unregistering the holder releases the reservation (not for all registrants)",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.register_key(f.b, 0xB));
  SECTION("Write Exclusive: released, no unit attention") {
    require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive));
    require_good(f.unregister(f.a, 0xA));
    CHECK_FALSE(f.reservation(f.b));
    CHECK(f.uas(f.b).empty());
  }
  SECTION("Registrants Only: released, RESERVATIONS RELEASED to the registrants") {
    require_good(f.reserve(f.a, 0xA, pr_type::exclusive_access_registrants_only));
    require_good(f.unregister(f.a, 0xA));
    CHECK(f.uas(f.b) == std::vector<unit_attention>{unit_attention::reservations_released});
    CHECK_FALSE(f.reservation(f.c));
  }
  SECTION("All Registrants: kept until the last registrant goes") {
    require_good(f.reserve(f.a, 0xA, pr_type::exclusive_access_all_registrants));
    require_good(f.unregister(f.a, 0xA));
    auto held = f.reservation(f.b);
    REQUIRE(held);
    CHECK(held->type == pr_type::exclusive_access_all_registrants);
    require_good(f.release(f.b, 0xB, pr_type::exclusive_access_all_registrants));
    CHECK_FALSE(f.reservation(f.b));
  }
  SECTION("All Registrants: the last registrant unregistering releases it") {
    require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive_all_registrants));
    require_good(f.unregister(f.a, 0xA));
    require_good(f.unregister(f.b, 0xB));
    CHECK_FALSE(f.reservation(f.c));
  }
}

TEST_CASE("CLEAR: everything goes, RESERVATIONS PREEMPTED to the other registrants",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.register_key(f.b, 0xB));
  require_good(f.reserve(f.b, 0xB, pr_type::write_exclusive));
  require_conflict(f.out(f.c, prsa::clear, 0, 0));
  require_conflict(f.out(f.a, prsa::clear, 0xB, 0));
  require_good(f.out(f.a, prsa::clear, 0xA, 0));
  CHECK(f.keys(f.a).empty());
  CHECK_FALSE(f.reservation(f.a));
  CHECK(f.generation(f.a) == 3);
  CHECK(f.uas(f.b) == std::vector<unit_attention>{unit_attention::reservations_preempted});
  CHECK(f.uas(f.a).empty());
  CHECK(f.uas(f.c).empty());
}

TEST_CASE("ALL_TG_PT: the registration covers the initiator port on every target port",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  nexus other_port = f.a;
  other_port.it.target_port = "iqn.2024-01.test:t,t,0x2";
  other_port.relative_target_port = 2;
  f.clear_uas(other_port.it);
  SECTION("without ALL_TG_PT, the other port is a separate I_T nexus") {
    require_good(f.register_key(f.a, 0xA));
    require_conflict(f.reserve(other_port, 0xA, pr_type::write_exclusive));
  }
  SECTION("with ALL_TG_PT, it is registered through both") {
    require_good(f.register_key(f.a, 0xA, 0x04));
    require_good(f.reserve(other_port, 0xA, pr_type::write_exclusive));
    // The holder is the I_T nexus that reserved: writes from the first port conflict.
    require_conflict(f.run_on(f.a, cdb10(0x2A, 0, 1), byte_buffer(512, 0)));
  }
}

TEST_CASE("PERSISTENT RESERVE OUT reports the parameter list as data-out length",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  auto r = f.register_key(f.a, 0x10);
  require_good(r);
  CHECK(r.data_out_length == 24);
}
