// Session programs as JSON: generated programs round-trip exactly; the
// annotation names the opcode and its fields.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "touchstone/fuzz/generator.hpp"
#include "touchstone/fuzz/program_json.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz;

TEST_CASE("generated programs round-trip through JSON exactly", "[fuzz][program][json]") {
  // 100 seeds: a JSON round trip costs about 70 ms under ASan at -O0.
  std::size_t steps = 0;
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    const program p = generate(seed);
    const std::string text = save_json(p);
    auto loaded = load_json(text);
    INFO("seed " << seed);
    REQUIRE(loaded);
    REQUIRE(*loaded == p);
    REQUIRE(save_json(*loaded) == text);
    steps += p.steps.size();
  }
  CHECK(steps > 100);
}

TEST_CASE("a PDU is written with its opcode's name, its fields and raw hex",
          "[fuzz][program][json]") {
  program p;
  p.steps.push_back({pdu::scsi_command_builder{}
                         .read()
                         .expected_data_transfer_length(96)
                         .cmd_sn(7)
                         .cdb(std::vector<std::uint8_t>{0x12, 0, 0, 0, 96, 0})
                         .build(),
                     {}});
  const auto doc = nlohmann::json::parse(save_json(p));
  const auto& pdu = doc["steps"][0]["pdu"];
  CHECK(pdu["opcode"] == "SCSI Command (0x01)");
  CHECK(pdu["fields"]["CmdSN"] == 7);
  CHECK(pdu["fields"]["R"] == 1);
  CHECK(pdu["fields"]["Expected Data Transfer Length"] == 96);
  CHECK(pdu["fields"]["CDB bytes 0-7"] == "0x1200000060000000");
  CHECK(pdu["bhs"].get<std::string>().size() == 96);
  CHECK(doc["steps"][0]["send"]["numbering"] == "follow");
}

TEST_CASE("login and text data are annotated as key=value lines", "[fuzz][program][json]") {
  program p;
  p.steps.push_back({pdu::text_request_builder{}.data(pdu::encode_text({{"SendTargets", "All"}})).build(), {}});
  const auto doc = nlohmann::json::parse(save_json(p));
  CHECK(doc["steps"][0]["pdu"]["text"][0] == "SendTargets=All");
  CHECK(doc["steps"][0]["pdu"]["opcode"] == "Text Request (0x04)");
}
