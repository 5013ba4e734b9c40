// Program groups against the reference target in process: a reservation
// from one I_T nexus gives the other nexus RESERVATION CONFLICT; a second
// login with the same ISID closes the first session's connection, and the
// close is recorded; a connection reinstatement takes the first session's
// TSIH; the group minimiser drops the session a planted departure does
// not need.
#include <catch2/catch.hpp>

#include "direct_target.hpp"
#include "net_test_target.hpp"
#include "touchstone/conformance/cdb.hpp"
#include "touchstone/fuzz/group_generator.hpp"
#include "touchstone/fuzz/minimiser.hpp"
#include "touchstone/fuzz/net/group_executor.hpp"
#include "touchstone/fuzz/net/reproduce.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz::net;
using touchstone::fuzz::net::testing::direct_target;
using fuzz::numbering;

namespace {

run_options quick() {
  run_options o;
  o.answer_wait = milliseconds{1000};  // generous on a loaded machine; answers end waits early
  o.login_wait = milliseconds{5000};
  o.cap = milliseconds{15000};
  return o;
}

fuzz::step tur() { return {pdu::scsi_command_builder{}.cdb(conformance::cdb::test_unit_ready()).build(), {}}; }
fuzz::step read10() {
  return {pdu::scsi_command_builder{}.read().expected_data_transfer_length(512)
              .cdb(std::vector<std::uint8_t>{0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}).build(), {}};
}

fuzz::program on_isid(std::uint64_t isid, std::vector<fuzz::step> steps) {
  fuzz::program p;
  p.login.isid = isid;
  p.steps = std::move(steps);
  return p;
}

bool reached(const run_result& r, std::uint8_t opcode, std::uint8_t code) {
  for (const auto& t : r.reached)
    if (t.to.kind == answer_kind::pdu && t.to.opcode == opcode && t.to.code == code) return true;
  return false;
}

constexpr std::uint8_t scsi_response = 0x21, data_in = 0x25, reservation_conflict = 0x18;
constexpr std::uint64_t key_a = 0x0a0a;

}  // namespace

TEST_CASE("a reservation from one nexus: the other meets RESERVATION CONFLICT", "[fuzz][net][group]") {
  direct_target t;
  state_graph graph;
  fuzz::program_group g;
  // spc4 5.13 (from memory): under Exclusive Access (type 3) a READ from a
  // nexus that is not the holder is refused with RESERVATION CONFLICT. The
  // first command of each nexus takes its unit attention (power on).
  g.sessions = {on_isid(0x800000000a01, {tur(), fuzz::pr_out_step(0, 0, 0, key_a),
                                         fuzz::pr_out_step(1, 3, key_a, 0), fuzz::pr_out_step(3, 0, key_a, 0)}),
                on_isid(0x800000000a02, {tur(), read10()})};
  SECTION("reserved first: the second nexus's READ conflicts") {
    g.schedule = {0, 0, 0, 1, 1, 0};
    const auto r = run_group(g, t.config(), graph, quick());
    INFO(r.summary.detail);
    REQUIRE(r.sessions.size() == 2);
    CHECK(r.sessions[0].logged_in);
    CHECK(r.sessions[1].logged_in);
    CHECK(reached(r.sessions[1], scsi_response, reservation_conflict));
    CHECK(reached(r.summary, scsi_response, reservation_conflict));
    CHECK(r.summary.departures.empty());
  }
  SECTION("the READs first, the CLEAR last: no conflict") {
    g.schedule = {1, 1, 0, 0, 0, 0};
    const auto r = run_group(g, t.config(), graph, quick());
    INFO(r.summary.detail);
    CHECK_FALSE(reached(r.sessions[1], scsi_response, reservation_conflict));
    CHECK(reached(r.sessions[1], data_in, 0));
    CHECK(reached(r.sessions[0], scsi_response, 0));
  }
}

TEST_CASE("a second login with the same ISID closes the first session's connection", "[fuzz][net][group]") {
  direct_target t;
  state_graph graph;
  fuzz::program_group g;
  constexpr std::uint64_t isid = 0x800000000b01;
  g.sessions = {on_isid(isid, {tur(), tur()}), on_isid(isid, {tur()})};
  g.schedule = {0, 1, 0};
  SECTION("session reinstatement (TSIH 0)") {}
  SECTION("connection reinstatement (the first session's TSIH and CID)") { g.tsih_from = {-1, 0}; }
  const auto r = run_group(g, t.config(), graph, quick());
  INFO(r.sessions[0].detail << " / " << r.sessions[1].detail);
  REQUIRE(r.sessions.size() == 2);
  CHECK(r.sessions[1].logged_in);
  CHECK(r.sessions[1].last_answer.opcode == scsi_response);
  CHECK(r.sessions[0].end == session_end::closed);
  // The close is recorded as the old session's answer to the new login.
  bool seen = false;
  for (const auto& tr : r.sessions[0].reached)
    seen = seen || (tr.from == phase::full_feature && tr.request.opcode == 0x03 && tr.to.kind == answer_kind::close);
  CHECK(seen);
  // The summary is the new session's: a close the group caused is no worse.
  CHECK(r.summary.end == session_end::answered);
}

TEST_CASE("the group minimiser drops the session a planted departure does not need", "[fuzz][net][group]") {
  test::proxied_target t(test::misbehaviour::depart);
  const run_target target{t.config()};
  fuzz::step trigger{pdu::nop_out_builder{}.immediate().initiator_task_tag(test::trigger_itt).build(), {}};
  trigger.send.numbers = numbering::as_written;
  fuzz::program_group g;
  g.sessions = {on_isid(0x800000000c01, {tur(), tur()}), on_isid(0x800000000c02, {tur(), trigger, tur()})};
  g.schedule = {0, 1, 0, 1, 1};
  auto o = quick();
  std::size_t runs = 0;
  const auto departs = [&](const fuzz::program_group& candidate) {
    ++runs;
    state_graph scratch;
    return !run_group(candidate, target, scratch, o).summary.departures.empty();
  };
  REQUIRE(departs(g));
  const auto m = fuzz::minimise(g, departs, 40);
  INFO(m.oracle_calls << " oracle calls");
  REQUIRE(m.smallest.sessions.size() == 1);
  REQUIRE(m.smallest.sessions[0].steps.size() == 1);
  CHECK(m.smallest.sessions[0].steps[0].pdu.header().initiator_task_tag() == test::trigger_itt);
  CHECK(runs == m.oracle_calls + 1);
}

TEST_CASE("a reservation a group left behind is cleared by reservation_cleanup", "[fuzz][net][group]") {
  direct_target t;
  state_graph graph;
  fuzz::program_group g;
  g.sessions = {on_isid(0x800000000d01, {tur(), fuzz::pr_out_step(0, 0, 0, key_a), fuzz::pr_out_step(1, 3, key_a, 0)}),
                on_isid(0x800000000d02, {tur()})};
  REQUIRE(fuzz::sends_pr_out(g));
  run_group(g, t.config(), graph, quick());
  // The holder's nexus is gone; its reservation is not (spc4, from memory:
  // registrations and the reservation persist past an I_T nexus loss).
  const auto later = on_isid(0x800000000d03, {tur(), read10()});
  CHECK(reached(run_program(later, t.config(), graph, quick()), scsi_response, reservation_conflict));
  const auto cleaned = run_program(fuzz::reservation_cleanup(), t.config(), graph, quick());
  CHECK(cleaned.last_answer.opcode == scsi_response);
  CHECK(cleaned.last_answer.code == 0);
  const auto after = run_program(later, t.config(), graph, quick());
  CHECK_FALSE(reached(after, scsi_response, reservation_conflict));
  CHECK(reached(after, data_in, 0));
}
