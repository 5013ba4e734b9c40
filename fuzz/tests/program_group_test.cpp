// Program groups (several sessions at once): the JSON form round-trips, a
// program file loads and saves unchanged as a group of one, bad groups are
// refused with the path of the fault, and the schedule is made whole.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "touchstone/fuzz/generator.hpp"
#include "touchstone/fuzz/program_group.hpp"

using namespace touchstone;
using namespace touchstone::fuzz;

namespace {

program_group two_sessions() {
  program_group g;
  g.sessions = {generate(1), generate(2)};
  g.sessions[1].login.isid = g.sessions[0].login.isid + 1;
  g.schedule = {0, 1, 1, 0, 1};
  return g;
}

std::string load_error_of(const std::string& text) {
  auto g = load_group_json(text);
  return g ? std::string{} : g.error().message;
}

}  // namespace

TEST_CASE("a group round-trips through JSON exactly", "[fuzz][program][group]") {
  const auto g = two_sessions();
  const auto text = save_json(g);
  CHECK(nlohmann::json::parse(text)["format"] == std::string(group_format));
  auto loaded = load_group_json(text);
  REQUIRE(loaded);
  CHECK(*loaded == g);
  CHECK(save_json(*loaded) == text);
}

TEST_CASE("a program file is a group of one, saved unchanged", "[fuzz][program][group]") {
  const auto p = generate(7);
  const auto text = save_json(p);
  auto loaded = load_group_json(text);
  REQUIRE(loaded);
  REQUIRE(loaded->sessions.size() == 1);
  CHECK(loaded->sessions[0] == p);
  CHECK(save_json(*loaded) == text);
  // And a bad program file gives the program loader's own error.
  CHECK(load_error_of("{\"format\": \"touchstone-session-program/1\"}") == load_json("{\"format\": \"touchstone-session-program/1\"}").error().message);
}

TEST_CASE("bad groups are refused with the path of the fault", "[fuzz][program][group]") {
  auto doc = nlohmann::json::parse(save_json(two_sessions()));
  SECTION("a schedule entry naming no session") {
    doc["schedule"][3] = 2;
    CHECK(load_error_of(doc.dump()) == "schedule[3]: expected a session index from 0 to 1");
  }
  SECTION("too many sessions") {
    for (int i = 0; i < 3; ++i) doc["sessions"].push_back(doc["sessions"][0]);
    CHECK(load_error_of(doc.dump()) == "sessions: expected an array of 2 to 4 programs");
  }
  SECTION("a group of one in group form") {
    doc["sessions"].erase(1);
    CHECK(load_error_of(doc.dump()) == "sessions: expected an array of 2 to 4 programs");
  }
  SECTION("no schedule") {
    doc.erase("schedule");
    CHECK(load_error_of(doc.dump()) == "schedule: missing");
  }
  SECTION("a bad member names its session") {
    doc["sessions"][1]["steps"][0]["pdu"]["bhs"] = "00";
    CHECK(load_error_of(doc.dump()) == "sessions[1].steps[0].pdu.bhs: expected 96 hex digits");
  }
  SECTION("nested too deep") {
    CHECK(load_error_of(std::string(group_format) + std::string(64, '[')).find("nested deeper") != std::string::npos);
  }
}

TEST_CASE("the schedule is made whole: skipped turns, left-out steps after it", "[fuzz][program][group]") {
  program_group g;
  g.sessions.resize(3);
  g.sessions[0].steps.resize(2);
  g.sessions[1].steps.resize(1);  // session 2 has none: one turn, its login
  g.schedule = {1, 1, 1, 0, 7};
  CHECK(turn_order(g) == std::vector<std::uint8_t>{1, 0, 0, 2});
  CHECK(bound_violation(g) == "schedule[4]: session 7, the group has 3");
  clamp_to_bounds(g);
  CHECK(bound_violation(g).empty());
  CHECK(g.schedule == std::vector<std::uint8_t>{1, 1, 1, 0});
}
