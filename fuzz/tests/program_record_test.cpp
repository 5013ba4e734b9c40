// touchstone-conform --record's conversion (from_traffic.hpp): recorded
// traffic of known exchanges becomes the expected program; the committed
// seeds in corpus/netfuzz/ load and keep the bounds.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "touchstone/fuzz/from_traffic.hpp"
#include "touchstone/fuzz/program_json.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz;
using pdu::login_stage;

namespace {

constexpr std::uint64_t isid = 0x80'1234'5600'07;
const std::string target = "iqn.2026-12.org.touchstone:disk";

// Owns the bytes the traffic_write views point at.
struct recording {
  std::vector<std::pair<bool, pdu::byte_buffer>> writes;
  void initiator(pdu::byte_buffer b) { writes.emplace_back(true, std::move(b)); }
  void target_sends(const pdu::pdu& p) { writes.emplace_back(false, pdu::encode(p)); }
  std::vector<traffic_write> traffic() const {
    std::vector<traffic_write> out;
    for (const auto& [from, bytes] : writes) out.push_back({from, pdu::bytes_view{bytes}});
    return out;
  }
  recorded_program program() const { return program_from_traffic(traffic(), {target}); }
};

pdu::pdu login_request(login_stage csg, login_stage next, const pdu::text_pairs& text, std::uint32_t itt = 1) {
  return pdu::login_request_builder{}
      .isid(isid)
      .cmd_sn(1)
      .initiator_task_tag(itt)
      .csg(csg)
      .transit_to(next)
      .data(pdu::encode_text(text))
      .build();
}

pdu::pdu login_response(login_stage csg, login_stage next, const pdu::text_pairs& text) {
  return pdu::login_response_builder{}.isid(isid).csg(csg).transit_to(next).data(pdu::encode_text(text)).build();
}

// The engine's standard login, as conformance/src/login.cpp sends it.
void engine_login(recording& r, const pdu::text_pairs& operational, const pdu::text_pairs& answers) {
  r.initiator(pdu::encode(login_request(login_stage::security_negotiation, login_stage::operational_negotiation,
                                        {{"InitiatorName", "iqn.2024-01.org.touchstone:conform"},
                                         {"SessionType", "Normal"},
                                         {"TargetName", target},
                                         {"AuthMethod", "None"}})));
  r.target_sends(login_response(login_stage::security_negotiation, login_stage::operational_negotiation,
                                {{"AuthMethod", "None"}}));
  r.initiator(pdu::encode(
      login_request(login_stage::operational_negotiation, login_stage::full_feature_phase, operational)));
  r.target_sends(login_response(login_stage::operational_negotiation, login_stage::full_feature_phase, answers));
}

pdu::pdu inquiry() {
  return pdu::scsi_command_builder{}
      .read()
      .expected_data_transfer_length(96)
      .cmd_sn(1)
      .initiator_task_tag(2)
      .cdb(std::vector<std::uint8_t>{0x12, 0, 0, 0, 96, 0})
      .build();
}

pdu::pdu ping(std::uint32_t itt) {
  return pdu::nop_out_builder{}.immediate(true).initiator_task_tag(itt).cmd_sn(2).build();
}

}  // namespace

TEST_CASE("an engine login becomes the login plan, later PDUs are steps as sent", "[fuzz][program][record]") {
  recording r;
  engine_login(r, {{"MaxRecvDataSegmentLength", "262144"}, {"ImmediateData", "No"}},
               {{"MaxRecvDataSegmentLength", "8192"}});
  const auto bytes = pdu::encode(inquiry());
  r.initiator({bytes.begin(), bytes.begin() + 20});  // one PDU, two writes
  r.initiator({bytes.begin() + 20, bytes.end()});
  r.target_sends(pdu::nop_in_builder{}.build());
  r.initiator(pdu::encode(ping(3)));  // not waited for: the next write follows
  r.initiator(pdu::encode(ping(4)));

  const auto rec = r.program();
  CHECK(rec.notes.empty());
  const auto& p = rec.prog;
  CHECK(p.login.kind == login_kind::normal);
  CHECK_FALSE(p.login.chap);
  CHECK(p.login.isid == isid);
  CHECK(p.login.offers == pdu::text_pairs{{"MaxRecvDataSegmentLength", "262144"}, {"ImmediateData", "No"}});
  REQUIRE(p.steps.size() == 3);
  CHECK(p.steps[0].pdu == inquiry());
  CHECK(p.steps[0].send.splits == std::vector<std::uint32_t>{20});
  CHECK(p.steps[0].send.wait_answer);
  CHECK(p.steps[1].pdu == ping(3));
  CHECK_FALSE(p.steps[1].send.wait_answer);
  CHECK(p.steps[2].pdu == ping(4));
  for (const auto& s : p.steps) CHECK(s.send.numbers == numbering::as_written);
  CHECK(bound_violation(p).empty());
  auto loaded = load_json(save_json(p));
  REQUIRE(loaded);
  CHECK(*loaded == p);
}

TEST_CASE("digests the login negotiated frame the later PDUs, a wrong data digest is kept",
          "[fuzz][program][record]") {
  recording r;
  engine_login(r, {{"HeaderDigest", "CRC32C"}, {"DataDigest", "CRC32C"}},
               {{"HeaderDigest", "CRC32C"}, {"DataDigest", "CRC32C"}});
  const pdu::digest_config both{true, true};
  r.initiator(pdu::encode(inquiry(), both));
  auto echo = pdu::nop_out_builder{}.initiator_task_tag(5).data(pdu::byte_buffer{1, 2, 3, 4}).build();
  auto bad = pdu::encode(echo, both);
  bad.back() ^= 0xff;  // the data digest
  r.initiator(bad);
  const auto p = r.program().prog;
  REQUIRE(p.steps.size() == 2);
  CHECK(p.steps[0].pdu == inquiry());
  CHECK(p.steps[0].send.digests == digest_mode::negotiated);
  CHECK(p.steps[1].pdu == echo);
  CHECK(p.steps[1].send.digests == digest_mode::data_wrong);
}

TEST_CASE("a login the engine did not send is scripted, TargetName as $TARGET, raw bytes stay",
          "[fuzz][program][record]") {
  recording r;
  // TargetName before InitiatorName: a case's own request, not the engine's.
  r.initiator(pdu::encode(login_request(login_stage::security_negotiation, login_stage::operational_negotiation,
                                        {{"TargetName", target},
                                         {"InitiatorName", "iqn.2024-01.org.touchstone:conform"},
                                         {"SessionType", "Normal"}})));
  r.target_sends(login_response(login_stage::security_negotiation, login_stage::operational_negotiation, {}));
  const auto tail = pdu::encode(inquiry());
  r.initiator({tail.begin(), tail.begin() + 30});  // a truncated PDU, then the case closed

  const auto rec = r.program();
  const auto& p = rec.prog;
  CHECK(p.login.kind == login_kind::scripted);
  REQUIRE(p.steps.size() == 2);
  const auto& login = p.steps[0].pdu;
  CHECK(login.op() == pdu::opcode::login_request);
  const auto text = pdu::parse_text(pdu::bytes_view{login.data});
  REQUIRE(text);
  CHECK(text->front() == pdu::key_value{"TargetName", "$TARGET"});
  CHECK(login.header().data_segment_length() == login.data.size());
  CHECK(p.steps[0].send.numbers == numbering::as_written);
  // The 30 bytes: a BHS filled with zeros past them.
  CHECK(std::equal(tail.begin(), tail.begin() + 30, p.steps[1].pdu.bhs.begin()));
  CHECK(p.steps[1].pdu.bhs[40] == 0);
  REQUIRE(rec.notes.size() == 1);
  CHECK_THAT(rec.notes[0], Catch::Contains("inside a BHS"));
}

TEST_CASE("the engine's first request that the login did not follow up is scripted", "[fuzz][program][record]") {
  recording r;
  r.initiator(pdu::encode(login_request(login_stage::security_negotiation, login_stage::operational_negotiation,
                                        {{"InitiatorName", "iqn.2024-01.org.touchstone:conform"},
                                         {"SessionType", "Normal"},
                                         {"TargetName", target},
                                         {"AuthMethod", "None"}})));
  r.target_sends(pdu::login_response_builder{}.isid(isid).status_class(2).status_detail(1).build());
  const auto p = r.program().prog;
  CHECK(p.login.kind == login_kind::scripted);
  REQUIRE(p.steps.size() == 1);
  CHECK(p.steps[0].pdu.op() == pdu::opcode::login_request);
}

TEST_CASE("a connection with no login is a program with login none, beyond the bounds it is clamped",
          "[fuzz][program][record]") {
  recording r;
  for (std::uint32_t i = 0; i < max_steps + 10; ++i) r.initiator(pdu::encode(ping(i)));
  const auto rec = r.program();
  CHECK(rec.prog.login.kind == login_kind::none);
  CHECK(rec.prog.steps.size() == max_steps);
  REQUIRE(rec.notes.size() == 1);
  CHECK_THAT(rec.notes[0], Catch::Contains("clamped"));
  CHECK(bound_violation(rec.prog).empty());
}

namespace {

// Loads every program file of dir (only *.json when json_only) and checks
// the bounds; returns the programs loaded.
std::vector<program> load_every_program(const std::filesystem::path& dir, bool json_only) {
  std::vector<program> programs;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (json_only && entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    INFO(entry.path().string());
    auto loaded = load_json(text.str());
    REQUIRE(loaded);
    CHECK(bound_violation(*loaded).empty());
    programs.push_back(std::move(*loaded));
  }
  return programs;
}

}  // namespace

TEST_CASE("every committed seed in corpus/netfuzz loads and keeps the bounds", "[fuzz][program][record]") {
  const auto dir = std::filesystem::path(TOUCHSTONE_PROGRAM_EXAMPLE).parent_path();
  CHECK_FALSE(load_every_program(dir, true).empty());
}

// Run by conformance/tests/record_programs.sh (ctest conformance-record) on
// the directory touchstone-conform --record just wrote: hidden otherwise.
TEST_CASE("every program in $TOUCHSTONE_RECORD_DIR loads and keeps the bounds", "[.record-dir]") {
  const char* dir = std::getenv("TOUCHSTONE_RECORD_DIR");
  REQUIRE(dir != nullptr);
  const auto programs = load_every_program(dir, false);
  CHECK_FALSE(programs.empty());
  for (const auto& p : programs) CHECK_FALSE(p.steps.empty());
}
