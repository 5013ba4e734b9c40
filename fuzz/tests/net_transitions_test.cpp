// Transitions and the state graph: a known exchange gives the expected set,
// repeats are not new, the cap holds, keys round-trip, DOT and JSON are
// written; and a real exchange with the reference target is classified.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "net_test_target.hpp"
#include "touchstone/conformance/cdb.hpp"
#include "touchstone/conformance/context.hpp"
#include "touchstone/conformance/login.hpp"
#include "touchstone/conformance/requests.hpp"
#include "touchstone/conformance/scsi_task.hpp"
#include "touchstone/fuzz/net/transitions.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz::net;
using conformance::observation;
using conformance::observed;

namespace {

observation seen(pdu::pdu p) { return {observed::pdu, std::move(p), {}}; }
observation seen(observed what) { return {what, {}, {}}; }

pdu::pdu scsi_command(std::uint8_t cdb_opcode) {
  pdu::byte_buffer cdb(cdb_opcode < 0x20 ? 6 : 10, 0);
  cdb[0] = cdb_opcode;
  return pdu::scsi_command_builder{}.initiator_task_tag(1).cdb(cdb).build();
}

pdu::pdu check_condition(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq) {
  pdu::byte_buffer sense(18, 0);
  sense[0] = 0x70;
  sense[2] = key;
  sense[7] = 10;
  sense[12] = asc;
  sense[13] = ascq;
  return pdu::scsi_response_builder{}.status(pdu::scsi_status::check_condition).sense_data(sense).build();
}

// The exchange: a one-step login, TUR, a READ past the end, an ABORT TASK
// for an unknown task, an unknown opcode, a NOP-Out nobody answers, a
// Logout, and a NOP-Out after it that meets the close.
std::vector<transition> known_exchange() {
  const auto login = pdu::login_request_builder{}
                         .csg(pdu::login_stage::operational_negotiation)
                         .transit_to(pdu::login_stage::full_feature_phase)
                         .build();
  const auto ok = pdu::login_response_builder{}.build();
  const auto abort = pdu::task_mgmt_request_builder{pdu::tmf_function::abort_task}.build();
  const auto no_task = pdu::task_mgmt_response_builder{}.response(pdu::tmf_response::task_does_not_exist).build();
  const auto unknown = pdu::unknown_builder{0x0f}.build();
  const auto reject = pdu::reject_builder{}.reason(pdu::reject_reason::command_not_supported).build();
  const auto nop = pdu::nop_out_builder{}.initiator_task_tag(pdu::reserved_tag).build();
  const auto logout = pdu::logout_request_builder{}.build();
  const auto bye = pdu::logout_response_builder{}.build();
  return {
      make_transition(phase::login_operational, login, seen(ok)),
      make_transition(phase::full_feature, scsi_command(0x00), seen(pdu::scsi_response_builder{}.build())),
      make_transition(phase::full_feature, scsi_command(0x28), seen(check_condition(0x5, 0x21, 0x00))),
      make_transition(phase::full_feature, abort, seen(no_task)),
      make_transition(phase::full_feature, unknown, seen(reject)),
      make_transition(phase::full_feature, nop, seen(observed::timeout)),
      make_transition(phase::full_feature, logout, seen(bye)),
      make_transition(phase::logout, nop, seen(observed::closed)),
  };
}

std::set<std::string> labels(const std::vector<transition>& ts) {
  std::set<std::string> out;
  for (const auto& t : ts) out.insert(t.label());
  return out;
}

}  // namespace

TEST_CASE("transitions: a known exchange gives the expected transition set", "[fuzz][net]") {
  const auto ts = known_exchange();
  CHECK(labels(ts) == std::set<std::string>{
                          "login-operational: Login Request (0x03) CSG 1 NSG 3 T 1 C 0 -> Login Response (0x23) status 0x00/0x00",
                          "full-feature: SCSI Command (0x01) cdb 0x00 -> SCSI Response (0x21) status 0x00",
                          "full-feature: SCSI Command (0x01) cdb 0x28 -> SCSI Response (0x21) status 0x02 sense 0x05/0x21/0x00",
                          "full-feature: Task Management Function Request (0x02) function 1 -> Task Management Function Response (0x22) response 1",
                          "full-feature: " + describe(request_kind{0x0f, 0}) + " -> Reject (0x3f) reason 0x05",
                          "full-feature: NOP-Out (0x00) -> silence",
                          "full-feature: Logout Request (0x06) -> Logout Response (0x26) response 0",
                          "logout: NOP-Out (0x00) -> close",
                      });
  for (const auto& t : ts) CHECK(transition::from_key(t.key()) == t);
}

TEST_CASE("transitions: repeats are not new and rare transitions weigh most", "[fuzz][net]") {
  state_graph g;
  const auto ts = known_exchange();
  for (const auto& t : ts) CHECK(g.record(t) == recorded::new_transition);
  for (const auto& t : ts) CHECK(g.record(t) == recorded::seen_before);
  CHECK(g.record(ts[1]) == recorded::seen_before);
  CHECK(g.distinct() == ts.size());
  CHECK(g.total() == 2 * ts.size() + 1);
  CHECK(g.count(ts[1]) == 3);
  CHECK(g.rarity(ts[0]) == Approx(0.5));
  CHECK(g.rarity(ts[1]) == Approx(1.0 / 3));
  const auto unseen = transition{phase::discovery_ffp, {0x04, 0}, {answer_kind::close}};
  CHECK(g.rarity(unseen) == 1.0);
  CHECK(g.rarity(std::vector<transition>{ts[1], unseen}) == 1.0);
  CHECK(g.rarity(std::vector<transition>{}) == 0.0);
}

TEST_CASE("transitions: the cap holds and what is past it is counted as overflow", "[fuzz][net]") {
  state_graph g(4);
  for (std::uint8_t cdb = 0; cdb < 10; ++cdb)
    g.record(make_transition(phase::full_feature, scsi_command(cdb), seen(observed::timeout)));
  CHECK(g.distinct() == 4);
  CHECK(g.overflow() == 6);
  CHECK(g.total() == 10);
  // Known transitions are still counted at the cap.
  CHECK(g.record(make_transition(phase::full_feature, scsi_command(0), seen(observed::timeout))) == recorded::seen_before);
}

TEST_CASE("transitions: the graph is written as DOT and as JSON", "[fuzz][net]") {
  state_graph g;
  for (const auto& t : known_exchange()) g.record(t);
  std::ostringstream dot, json;
  g.write_dot(dot);
  g.write_json(json);
  CHECK(dot.str().rfind("digraph transitions {", 0) == 0);
  CHECK(dot.str().find("\"logout\" -> \"close\" [label=\"NOP-Out (0x00) x1\"];") != std::string::npos);
  const auto doc = nlohmann::json::parse(json.str());
  CHECK(doc["distinct"] == 8);
  CHECK(doc["overflow"] == 0);
  REQUIRE(doc["transitions"].size() == 8);
  CHECK(doc["transitions"][0].contains("label"));
}

TEST_CASE("transitions: a real login and TEST UNIT READY and logout with the reference target", "[fuzz][net]") {
  test::proxied_target t(test::misbehaviour::none);
  const conformance::timing times;
  const auto config = t.config();  // the context keeps a reference
  conformance::case_context ctx(config, times);
  conformance::session s(config.portal, times);
  REQUIRE_FALSE(s.connect());
  const auto in = conformance::login(s, ctx.normal_login());
  INFO(in.summary());
  REQUIRE(in.ok());
  REQUIRE(in.requests.size() == in.responses.size());
  state_graph g;
  for (std::size_t i = 0; i < in.requests.size(); ++i)
    g.record(make_transition(login_phase(in.requests[i]), in.requests[i], seen(in.responses[i])));
  conformance::scsi_request tur;
  tur.cdb = conformance::cdb::test_unit_ready();
  const auto out = conformance::run_scsi(s, tur);
  REQUIRE(out.final_pdu);
  // The first command of a new I_T nexus meets its unit attention.
  g.record(make_transition(phase::full_feature, scsi_command(0x00), seen(*out.final_pdu)));
  const auto bye = conformance::logout(s);
  REQUIRE(bye.response);
  g.record(make_transition(phase::full_feature, pdu::logout_request_builder{}.build(), seen(*bye.response)));
  std::ostringstream json;
  g.write_json(json);
  const auto doc = nlohmann::json::parse(json.str());
  std::set<std::string> got;
  for (const auto& e : doc["transitions"]) got.insert(e["label"].get<std::string>());
  CHECK(got == std::set<std::string>{
                   "login-security: Login Request (0x03) CSG 0 NSG 1 T 1 C 0 -> Login Response (0x23) status 0x00/0x00",
                   "login-operational: Login Request (0x03) CSG 1 NSG 3 T 1 C 0 -> Login Response (0x23) status 0x00/0x00",
                   "full-feature: SCSI Command (0x01) cdb 0x00 -> SCSI Response (0x21) status 0x02 sense 0x06/0x29/0x00",
                   "full-feature: Logout Request (0x06) -> Logout Response (0x26) response 0",
               });
}
