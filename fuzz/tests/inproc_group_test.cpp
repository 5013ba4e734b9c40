// Program groups run in-process on one node (group_runner.hpp): a
// reservation from one I_T nexus gives the other nexus RESERVATION CONFLICT
// (and does not when the READ goes first); a second login with the same
// ISID ends the first session's connection, by session or by connection
// reinstatement. The answers each connection got are asserted.
#include <catch2/catch.hpp>

#include "touchstone/fuzz/group_generator.hpp"
#include "touchstone/fuzz/inproc/group_runner.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using fuzz::inproc::group_record;
using fuzz::inproc::run_group;

namespace {

fuzz::step tur() { return {pdu::scsi_command_builder{}.cdb(pdu::byte_buffer(6, 0)).build(), {}}; }
fuzz::step read10() {
  return {pdu::scsi_command_builder{}.read().expected_data_transfer_length(512)
              .cdb(pdu::byte_buffer{0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}).build(), {}};
}

fuzz::program on_isid(std::uint64_t isid, std::vector<fuzz::step> steps) {
  fuzz::program p;
  p.login.isid = isid;
  p.steps = std::move(steps);
  return p;
}

// The SCSI status among `answers` (a SCSI Response, or a Data-In with S), or -1.
int status_of(const std::vector<pdu::pdu>& answers) {
  for (const auto& a : answers) {
    if (a.op() == pdu::opcode::scsi_response) return a.bhs[3];
    if (a.op() == pdu::opcode::data_in && (a.bhs[1] & 0x01) != 0) return a.bhs[3];
  }
  return -1;
}

bool has(const std::vector<pdu::pdu>& answers, pdu::opcode op) {
  for (const auto& a : answers)
    if (a.op() == op) return true;
  return false;
}

constexpr int reservation_conflict = 0x18, good = 0x00;
constexpr std::uint64_t key_a = 0x0a0a;

}  // namespace

TEST_CASE("in-process: a reservation from one nexus gives the other RESERVATION CONFLICT",
          "[fuzz][inproc][group]") {
  fuzz::program_group g;
  // spc4 5.13 (from memory): under Exclusive Access (type 3) a READ from a
  // nexus that is not the holder is refused with RESERVATION CONFLICT. The
  // first command of each nexus takes its unit attention (power on).
  g.sessions = {on_isid(0x800000000a01, {tur(), fuzz::pr_out_step(0, 0, 0, key_a),
                                         fuzz::pr_out_step(1, 3, key_a, 0), fuzz::pr_out_step(3, 0, key_a, 0)}),
                on_isid(0x800000000a02, {tur(), read10()})};
  group_record r;
  SECTION("reserved first: the second nexus's READ conflicts") {
    g.schedule = {0, 0, 0, 1, 1, 0};
    run_group(g, &r);
    REQUIRE(r.sessions.size() == 2);
    CHECK(r.sessions[0].logged_in);
    CHECK(r.sessions[1].logged_in);
    CHECK(r.sessions[0].tsih != r.sessions[1].tsih);
    REQUIRE(r.sessions[0].answers.size() == 4);
    CHECK(status_of(r.sessions[0].answers[1]) == good);  // REGISTER
    CHECK(status_of(r.sessions[0].answers[2]) == good);  // RESERVE
    REQUIRE(r.sessions[1].answers.size() == 2);
    CHECK(status_of(r.sessions[1].answers[1]) == reservation_conflict);
    CHECK_FALSE(has(r.sessions[1].answers[1], pdu::opcode::data_in));
    CHECK(status_of(r.sessions[0].answers[3]) == good);  // CLEAR
  }
  SECTION("the READ first, the CLEAR last: no conflict") {
    g.schedule = {1, 1, 0, 0, 0, 0};
    run_group(g, &r);
    REQUIRE(r.sessions.size() == 2);
    REQUIRE(r.sessions[1].answers.size() == 2);
    CHECK(has(r.sessions[1].answers[1], pdu::opcode::data_in));
    CHECK(status_of(r.sessions[1].answers[1]) == good);
    REQUIRE(r.sessions[0].answers.size() == 4);
    CHECK(status_of(r.sessions[0].answers[2]) == good);
  }
}

TEST_CASE("in-process: a second login with the same ISID ends the first session's connection",
          "[fuzz][inproc][group]") {
  constexpr std::uint64_t isid = 0x800000000b01;
  fuzz::program_group g;
  g.sessions = {on_isid(isid, {tur(), tur()}), on_isid(isid, {tur()})};
  g.schedule = {0, 1, 0};
  group_record r;
  SECTION("session reinstatement (TSIH 0): a new session, the old one ended") {
    run_group(g, &r);
    REQUIRE(r.sessions.size() == 2);
    CHECK(r.sessions[1].logged_in);
    CHECK(r.sessions[1].tsih != r.sessions[0].tsih);
  }
  SECTION("connection reinstatement (the first session's TSIH and CID): the same session") {
    g.tsih_from = {-1, 0};
    run_group(g, &r);
    REQUIRE(r.sessions.size() == 2);
    CHECK(r.sessions[1].logged_in);
    CHECK(r.sessions[1].tsih == r.sessions[0].tsih);
  }
  // The first connection closed when the second login woke it, so its
  // second step was never sent; the new connection's command was answered.
  CHECK(r.sessions[0].logged_in);
  CHECK(r.sessions[0].closed_by_other);
  CHECK(r.sessions[0].answers.size() == 1);
  REQUIRE(r.sessions[1].answers.size() == 1);
  CHECK(has(r.sessions[1].answers[0], pdu::opcode::scsi_response));
  CHECK_FALSE(r.sessions[1].closed);
}

TEST_CASE("in-process: generated groups of every kind run to their end", "[fuzz][inproc][group]") {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    for (const auto kind : {fuzz::group_kind::reservations, fuzz::group_kind::session_reinstatement,
                            fuzz::group_kind::connection_reinstatement, fuzz::group_kind::racing}) {
      const auto g = fuzz::group_generator(seed).next(kind);
      group_record r;
      run_group(g, &r);
      INFO(fuzz::name(kind) << " seed " << seed);
      REQUIRE(r.sessions.size() == g.sessions.size());
      CHECK(r.sessions[0].logged_in);
    }
  }
}
