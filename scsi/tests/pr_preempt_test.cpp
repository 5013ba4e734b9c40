// PERSISTENT RESERVE OUT: PREEMPT, PREEMPT AND ABORT, REGISTER AND MOVE.
#include "pr_support.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {
using ua_list = std::vector<unit_attention>;
}

TEST_CASE("PREEMPT the holder: its registration goes, the reservation passes over",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.register_key(f.b, 0xB));
  require_good(f.register_key(f.c, 0xC));
  require_good(f.reserve(f.b, 0xB, pr_type::write_exclusive));
  SECTION("same type: REGISTRATIONS PREEMPTED to the preempted only") {
    require_good(f.out(f.a, prsa::preempt, 0xA, 0xB, pr_type::write_exclusive));
    CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0xA, 0xC});
    auto held = f.reservation(f.a);
    REQUIRE(held);
    CHECK(held->key == 0xA);
    CHECK(f.uas(f.b) == ua_list{unit_attention::registrations_preempted});
    CHECK(f.uas(f.c).empty());
    CHECK(f.generation(f.a) == 4);
    require_sense(f.run_on(f.b, cdb6(0x00, 0, 0)), sense_key::unit_attention,
                  asc::registrations_preempted);
  }
  SECTION("another type: RESERVATIONS RELEASED to the remaining registrants") {
    require_good(f.out(f.a, prsa::preempt, 0xA, 0xB, pr_type::exclusive_access));
    CHECK(f.reservation(f.a)->type == pr_type::exclusive_access);
    CHECK(f.uas(f.b) == ua_list{unit_attention::registrations_preempted});
    CHECK(f.uas(f.c) == ua_list{unit_attention::reservations_released});
    CHECK(f.uas(f.a).empty());
  }
}

TEST_CASE("PREEMPT of registrations only: the reservation stays", "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.register_key(f.b, 0xB));
  require_good(f.register_key(f.c, 0xC));
  SECTION("no reservation") {
    require_good(f.out(f.a, prsa::preempt, 0xA, 0xC, pr_type::write_exclusive));
    CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0xA, 0xB});
    CHECK_FALSE(f.reservation(f.a));
    CHECK(f.uas(f.c) == ua_list{unit_attention::registrations_preempted});
  }
  SECTION("a reservation held by another key") {
    require_good(f.reserve(f.b, 0xB, pr_type::write_exclusive));
    require_good(f.out(f.a, prsa::preempt, 0xA, 0xC, pr_type::write_exclusive));
    CHECK(f.reservation(f.a)->key == 0xB);
    CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0xA, 0xB});
  }
  SECTION("a key nobody holds: RESERVATION CONFLICT") {
    require_conflict(f.out(f.a, prsa::preempt, 0xA, 0xD, pr_type::write_exclusive));
    CHECK(f.keys(f.a).size() == 3);
  }
  SECTION("a zero key without an all registrants reservation: INVALID FIELD IN PARAMETER LIST") {
    require_invalid_list_field(f.out(f.a, prsa::preempt, 0xA, 0, pr_type::write_exclusive), 8);
    require_good(f.reserve(f.b, 0xB, pr_type::exclusive_access));
    require_invalid_list_field(f.out(f.a, prsa::preempt, 0xA, 0, pr_type::write_exclusive), 8);
  }
  SECTION("an unregistered or mismatched preemptor: RESERVATION CONFLICT") {
    pr_fixture g;
    require_good(g.register_key(g.b, 0xB));
    require_conflict(g.out(g.a, prsa::preempt, 0, 0xB, pr_type::write_exclusive));
    require_conflict(f.out(f.a, prsa::preempt, 0xB, 0xC, pr_type::write_exclusive));
  }
}

TEST_CASE("PREEMPT an all registrants reservation", "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.register_key(f.b, 0xB));
  require_good(f.register_key(f.c, 0xC));
  require_good(f.reserve(f.b, 0xB, pr_type::write_exclusive_all_registrants));
  SECTION("zero key: every other registration goes, a new reservation for the preemptor") {
    require_good(f.out(f.a, prsa::preempt, 0xA, 0, pr_type::exclusive_access));
    CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0xA});
    auto held = f.reservation(f.a);
    REQUIRE(held);
    CHECK(held->type == pr_type::exclusive_access);
    CHECK(held->key == 0xA);
    CHECK(f.uas(f.b) == ua_list{unit_attention::registrations_preempted});
    CHECK(f.uas(f.c) == ua_list{unit_attention::registrations_preempted});
  }
  SECTION("non-zero key: only those registrations go, the reservation stays") {
    require_good(f.out(f.a, prsa::preempt, 0xA, 0xC, pr_type::exclusive_access));
    CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0xA, 0xB});
    CHECK(f.reservation(f.a)->type == pr_type::write_exclusive_all_registrants);
    CHECK(f.uas(f.c) == ua_list{unit_attention::registrations_preempted});
    CHECK(f.uas(f.b).empty());
  }
}

TEST_CASE("PREEMPT AND ABORT aborts the preempted nexus's tasks", "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.register_key(f.b, 0xB));
  require_good(f.reserve(f.b, 0xB, pr_type::exclusive_access));
  f.server.enter_task(f.b, 77, task_attribute::simple);
  f.server.enter_task(f.c, 78, task_attribute::simple);
  request q;
  auto tur = cdb6(0x00, 0, 0);
  q.cdb = tur;
  q.tag = 77;
  SECTION("TAS=0: aborted silently, COMMANDS CLEARED BY ANOTHER INITIATOR") {
    require_good(f.out(f.a, prsa::preempt_and_abort, 0xA, 0xB, pr_type::exclusive_access));
    CHECK(f.uas(f.b) == ua_list{unit_attention::registrations_preempted,
                                unit_attention::commands_cleared_by_another_initiator});
    auto e = f.server.execute(f.b, q);
    CHECK(e.aborted);
    CHECK(e.status == status::good);
    CHECK(f.lu->tasks().present(f.c.it, 78));  // not preempted
    CHECK(f.uas(f.c).empty());
  }
  SECTION("TAS=1: TASK ABORTED, no COMMANDS CLEARED") {
    f.lu->pages().find(mode_page_code::control)->current[5] |= 0x40;
    require_good(f.out(f.a, prsa::preempt_and_abort, 0xA, 0xB, pr_type::exclusive_access));
    CHECK(f.uas(f.b) == ua_list{unit_attention::registrations_preempted});
    auto e = f.server.execute(f.b, q);
    CHECK(e.aborted);
    CHECK(e.status == status::task_aborted);
  }
  CHECK(f.reservation(f.a)->key == 0xA);
}

namespace {

// The REGISTER AND MOVE parameter list with an iSCSI TransportID (format 01b).
byte_buffer move_list(std::uint64_t key, std::uint64_t sa_key, const std::string& port,
                      std::uint16_t rel_port = 1, std::uint8_t flags = 0, std::uint8_t byte0 = 0x45) {
  std::size_t text = (port.size() + 1 + 3) / 4 * 4;
  if (text < 20) text = 20;
  byte_buffer b(24 + 4 + text, 0);
  put_be64(&b[0], key);
  put_be64(&b[8], sa_key);
  b[17] = flags;
  put_be16(&b[18], rel_port);
  put_be32(&b[20], static_cast<std::uint32_t>(4 + text));
  b[24] = byte0;
  put_be16(&b[26], static_cast<std::uint16_t>(text));
  std::copy(port.begin(), port.end(), b.begin() + 28);
  return b;
}

response move(pr_fixture& f, const nexus& from, const byte_buffer& list,
              pr_type type = pr_type::write_exclusive) {
  return f.run_on(from, prout_cdb(prsa::register_and_move, code(type), static_cast<std::uint32_t>(list.size())),
                  list);
}

}  // namespace

TEST_CASE("REGISTER AND MOVE: the reservation moves to the named I_T nexus",
          "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive));
  const auto b_port = initiator_b().initiator_port;
  SECTION("destination registered with the new key; source stays registered") {
    require_good(move(f, f.a, move_list(0xA, 0xB, b_port)));
    CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0xA, 0xB});
    auto held = f.reservation(f.a);
    REQUIRE(held);
    CHECK(held->key == 0xB);
    CHECK(f.generation(f.a) == 2);
    require_conflict(f.run_on(f.a, cdb10(0x2A, 0, 1), byte_buffer(512, 0)));
    CHECK(f.run_on(f.b, cdb10(0x2A, 0, 1), byte_buffer(512, 0)).status == status::good);
  }
  SECTION("UNREG: the source is unregistered") {
    require_good(move(f, f.a, move_list(0xA, 0xB, b_port, 1, 0x02)));
    CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0xB});
    CHECK(f.reservation(f.a)->key == 0xB);
  }
  SECTION("a destination already registered keeps its key") {
    require_good(f.register_key(f.b, 0xBB));
    require_good(move(f, f.a, move_list(0xA, 0xB, b_port)));
    CHECK(f.keys(f.a) == std::vector<std::uint64_t>{0xA, 0xBB});
    CHECK(f.reservation(f.a)->key == 0xBB);
  }
  SECTION("to another target port, named by its relative target port identifier") {
    nexus b_elsewhere = f.b;
    b_elsewhere.it.target_port = "iqn.2024-01.test:t,t,0x2";
    b_elsewhere.relative_target_port = 2;
    f.clear_uas(b_elsewhere.it);
    (void)f.in(b_elsewhere, prsa::read_keys);  // the device server learns port 2
    require_good(move(f, f.a, move_list(0xA, 0xB, b_port, 2)));
    require_conflict(f.run_on(f.b, cdb10(0x2A, 0, 1), byte_buffer(512, 0)));
    CHECK(f.run_on(b_elsewhere, cdb10(0x2A, 0, 1), byte_buffer(512, 0)).status == status::good);
  }
}

TEST_CASE("REGISTER AND MOVE errors", "[scsi][persistent_reservations]") {
  pr_fixture f;
  require_good(f.register_key(f.a, 0xA));
  require_good(f.register_key(f.c, 0xC));
  const auto b_port = initiator_b().initiator_port;
  SECTION("not the holder, no reservation, or wrong key: RESERVATION CONFLICT") {
    require_conflict(move(f, f.a, move_list(0xA, 0xB, b_port)));
    require_good(f.reserve(f.c, 0xC, pr_type::write_exclusive));
    require_conflict(move(f, f.a, move_list(0xA, 0xB, b_port)));
    require_conflict(move(f, f.c, move_list(0xA, 0xB, b_port)));
    require_conflict(move(f, f.b, move_list(0, 0xB, b_port)));
  }
  SECTION("an all registrants reservation: RESERVATION CONFLICT") {
    require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive_all_registrants));
    require_conflict(move(f, f.a, move_list(0xA, 0xB, b_port), pr_type::write_exclusive_all_registrants));
  }
  SECTION("field errors of the parameter list") {
    require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive));
    require_invalid_list_field(move(f, f.a, move_list(0xA, 0, b_port)), 8);
    require_invalid_list_field(move(f, f.a, move_list(0xA, 0xB, b_port, 1, 0x01)), 17, 0);
    require_invalid_list_field(move(f, f.a, move_list(0xA, 0xB, b_port, 9)), 18);
    require_invalid_list_field(move(f, f.a, move_list(0xA, 0xB, initiator_a().initiator_port)), 24);
    require_invalid_list_field(move(f, f.a, move_list(0xA, 0xB, b_port, 1, 0, 0x41)), 24, 3);
    require_invalid_list_field(move(f, f.a, move_list(0xA, 0xB, "iqn.2024-01.test:b", 1, 0, 0x05)), 24, 7);
    require_invalid_list_field(move(f, f.a, move_list(0xA, 0xB, "iqn.2024-01.test:b")), 28);
    CHECK(f.reservation(f.a)->key == 0xA);
    CHECK(f.keys(f.a).size() == 2);
  }
  SECTION("short lists: PARAMETER LIST LENGTH ERROR") {
    require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive));
    auto list = move_list(0xA, 0xB, b_port);
    byte_buffer header(list.begin(), list.begin() + 20);
    require_sense(move(f, f.a, header), sense_key::illegal_request, asc::parameter_list_length_error);
    list.resize(list.size() - 4);  // TRANSPORTID PARAMETER DATA LENGTH now runs past the end
    require_sense(move(f, f.a, list), sense_key::illegal_request, asc::parameter_list_length_error);
  }
  SECTION("invalid TYPE: INVALID FIELD IN CDB") {
    require_good(f.reserve(f.a, 0xA, pr_type::write_exclusive));
    auto list = move_list(0xA, 0xB, b_port);
    require_invalid_cdb_field(f.run_on(f.a, prout_cdb(prsa::register_and_move, 0x02,
                                                      static_cast<std::uint32_t>(list.size())), list),
                              2, 3);
  }
}
