// The loader refuses each kind of bad input with the path of the bad field
// in its message and never throws, whatever the input.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "touchstone/fuzz/generator.hpp"
#include "touchstone/fuzz/program_json.hpp"

using namespace touchstone::fuzz;
using json = nlohmann::json;

namespace {

json sample() { return json::parse(save_json(generate(5, {.mix = {}, .min_steps = 4, .max_steps = 4}))); }

std::string refusal(const std::string& text) {
  std::string message;
  REQUIRE_NOTHROW([&] {
    auto r = load_json(text);
    REQUIRE_FALSE(r);
    message = r.error().message;
  }());
  return message;
}

}  // namespace

TEST_CASE("the loader names the path of a bad field", "[fuzz][program][load]") {
  const json good = sample();
  REQUIRE(load_json(good.dump()));
  struct bad_case {
    const char* pointer;
    json value;
    const char* message;
  };
  const std::vector<bad_case> cases = {
      {"/steps/3/pdu/bhs", "00", "steps[3].pdu.bhs: expected 96 hex digits"},
      {"/steps/3/pdu/bhs", std::string(96, 'g'), "steps[3].pdu.bhs: expected 96 hex digits"},
      {"/steps/1/pdu/bhs", 12, "steps[1].pdu.bhs: expected a string"},
      {"/steps/0/pdu/data", "abc", "steps[0].pdu.data: expected an even number of hex digits"},
      {"/steps/0/pdu/data", std::string(2 * max_data_segment + 2, '0'), "steps[0].pdu.data:"},
      {"/steps/0/pdu/ahs", std::string(2 * max_ahs_bytes + 2, '0'), "steps[0].pdu.ahs:"},
      {"/steps/2/pdu/padding", "00", "steps[2].pdu.padding: expected 6 hex digits"},
      {"/steps/2/send/digests", "maybe", "steps[2].send.digests: expected one of"},
      {"/steps/2/send/numbering", true, "steps[2].send.numbering: expected a string"},
      {"/steps/2/send/delay_ms", max_delay_ms + 1, "steps[2].send.delay_ms: expected an integer"},
      {"/steps/2/send/delay_ms", -1, "steps[2].send.delay_ms: expected an integer"},
      {"/steps/2/send/splits", json::array({5, 3}), "steps[2].send.splits: expected increasing"},
      {"/steps/2/send/splits", json::array({0}), "steps[2].send.splits: expected increasing"},
      {"/steps/2/send/splits", json(std::vector<int>(max_splits + 1, 1)), "steps[2].send.splits: expected an array of at most 8"},
      {"/steps/2/send/wait_answer", "yes", "steps[2].send.wait_answer: expected true or false"},
      {"/steps/2/send", 1, "steps[2].send: expected an object"},
      {"/steps/1", "x", "steps[1]: expected an object"},
      {"/steps", json::object(), "steps: expected an array"},
      {"/login/kind", "sideways", "login.kind: expected one of none, normal, discovery, scripted"},
      {"/login/isid", "0x1000000000000", "login.isid:"},
      {"/login/tsih", 70000, "login.tsih: expected an integer from 0 to 65535"},
      {"/login/offers", json::array({1}), "login.offers[0]: expected an object"},
      {"/login/offers", json::array({{{"key", "A"}}}), "login.offers[0]: missing \"value\""},
      {"/format", "other/2", "format: expected \"touchstone-session-program/1\""},
  };
  for (const auto& c : cases) {
    json doc = good;
    doc[json::json_pointer(c.pointer)] = c.value;
    const auto message = refusal(doc.dump());
    INFO(c.pointer << " -> " << message);
    CHECK(message.find(c.message) == 0);
  }
}

TEST_CASE("the loader refuses missing parts and too many of anything", "[fuzz][program][load]") {
  json doc = sample();
  doc["steps"][0].erase("pdu");
  CHECK(refusal(doc.dump()) == "steps[0]: missing \"pdu\"");
  doc = sample();
  doc.erase("steps");
  CHECK(refusal(doc.dump()) == "(document): missing \"steps\"");
  doc = sample();
  doc.erase("format");
  CHECK(refusal(doc.dump()) == "(document): missing \"format\"");
  doc = sample();
  doc["steps"] = json(std::vector<json>(max_steps + 1, doc["steps"][0]));
  CHECK(refusal(doc.dump()).find("steps: expected an array of at most 256") == 0);
  doc = sample();
  doc["login"]["offers"] = json(std::vector<json>(max_offers + 1, {{"key", "A"}, {"value", "1"}}));
  CHECK(refusal(doc.dump()).find("login.offers:") == 0);
}

TEST_CASE("truncated, huge, deep and non-JSON input is refused without throwing",
          "[fuzz][program][load]") {
  const std::string text = sample().dump(2);
  for (std::size_t cut = 0; cut < text.size(); cut += 7) {
    INFO("cut at " << cut);
    CHECK(refusal(text.substr(0, cut)).find("(document)") == 0);
  }
  CHECK(refusal("[1, 2]") == "(document): expected an object");
  CHECK(refusal("{\"format\": \"touchstone-session-program/1\", \"steps\": [}") ==
        "(document): not JSON");
  CHECK(refusal(std::string(1'000'000, '[')).find("(document): nested deeper") == 0);
  CHECK(refusal(std::string(max_program_json_bytes + 1, ' ')).find("(document):") == 0);
  CHECK(refusal("\"\xff\"").find("(document)") == 0);
}
