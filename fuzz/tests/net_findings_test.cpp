// The findings store: one directory per signature, written once; the files
// parse (finding.json as JSON, traffic.pcap as a capture); bounded.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "touchstone/fuzz/net/findings.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz::net;

namespace {

// A scratch directory, removed at the end.
struct scratch {
  std::filesystem::path dir;
  scratch() {
    static int n = 0;
    dir = std::filesystem::temp_directory_path() /
          ("touchstone-findings-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(dir);
  }
  ~scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

finding stall_finding(std::uint8_t cdb_opcode) {
  finding f;
  f.sig.kind = finding_kind::stall;
  f.sig.last_request = {0x01, cdb_opcode};
  f.sig.last_answer = {answer_kind::silence};
  f.seed = 42;
  f.target = "127.0.0.1:3260";
  const auto nop = pdu::nop_out_builder{}.initiator_task_tag(1).immediate().build();
  const auto echo = pdu::nop_in_builder{}.initiator_task_tag(1).build();
  f.requests.push_back(pdu::encode(nop));
  f.answers.push_back(conformance::describe(echo));
  f.departures.push_back({std::string(requirement::stat_sn), "StatSN 3 where 2 was next", "NOP-In", 1});
  f.liveness = "stall: the session ended silent; probes: served (logout)";
  const auto now = conformance::clock::now();
  f.connections.push_back({{{now, true, pdu::encode(nop)}, {now, false, pdu::encode(echo)}}, 40000, 3260});
  return f;
}

nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("findings: a signature is written once and its files parse", "[fuzz][net]") {
  scratch s;
  findings_store store(s.dir);
  const auto first = store.add(stall_finding(0x28));
  REQUIRE(first.what == stored::written);
  CHECK(first.where.filename().string().rfind("stall-", 0) == 0);
  CHECK(first.where.filename().string().size() == std::string("stall-").size() + 16);
  CHECK(store.add(stall_finding(0x28)).what == stored::repeat);
  CHECK(store.repeats(stall_finding(0x28).sig) == 1);
  CHECK(std::distance(std::filesystem::directory_iterator(s.dir), {}) == 1);

  const auto doc = read_json(first.where / "finding.json");
  CHECK(doc["kind"] == "stall");
  CHECK(doc["seed"] == 42);
  CHECK(doc["last_request"] == "SCSI Command (0x01) cdb 0x28");
  CHECK(doc["answer"] == "silence");
  REQUIRE(doc["requests"].size() == 1);
  CHECK(doc["requests"][0].get<std::string>().size() == 96);  // a 48-byte BHS as hex
  CHECK(doc["requests"][0].get<std::string>().rfind("40", 0) == 0);  // immediate NOP-Out
  CHECK(doc["answers"][0].get<std::string>().rfind("NOP-In (0x20)", 0) == 0);
  // The same PDU annotated: its fields by name, no data.
  const auto& sent = doc["pdus_sent"];
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["opcode"] == "NOP-Out (0x00)");
  CHECK(sent[0]["fields"]["I"] == 1);
  CHECK(sent[0]["fields"]["Initiator Task Tag"] == 1);
  CHECK(sent[0]["fields"]["LUN"] == "0x0000000000000000");
  CHECK(sent[0]["data"].empty());
  CHECK(sent[0]["bytes"] == 48);
  CHECK(doc.contains("command_line"));
  CHECK(doc["departures"][0]["requirement"] == std::string(requirement::stat_sn));
  CHECK(doc["time"].get<std::string>().size() == 20);

  // A libpcap file (magic a1b2c3d4, host order) with the handshake and data.
  std::ifstream pcap(first.where / "traffic.pcap", std::ios::binary);
  std::array<unsigned char, 4> magic{};
  pcap.read(reinterpret_cast<char*>(magic.data()), 4);
  CHECK(magic == std::array<unsigned char, 4>{0xd4, 0xc3, 0xb2, 0xa1});
  CHECK(std::filesystem::file_size(first.where / "traffic.pcap") > 24 + 3 * 54);
}

TEST_CASE("findings: distinct signatures get their own directories up to the bound", "[fuzz][net]") {
  scratch s;
  findings_store store(s.dir, 2);
  CHECK(store.add(stall_finding(0x28)).what == stored::written);
  auto protocol = stall_finding(0x28);
  protocol.sig.kind = finding_kind::protocol;
  protocol.sig.requirement = std::string(requirement::stat_sn);
  CHECK(store.add(protocol).what == stored::written);
  // A departure is one finding by its requirement id, wherever the run ended.
  auto elsewhere = protocol;
  elsewhere.sig.last_request = {0x01, 0x2a};
  elsewhere.sig.last_answer = {answer_kind::close};
  CHECK(store.add(elsewhere).what == stored::repeat);
  CHECK(store.add(stall_finding(0x2a)).what == stored::over_limit);
  CHECK(store.add(stall_finding(0x28)).what == stored::repeat);  // known ones still count
  CHECK(store.distinct() == 2);
  CHECK(store.over_limit() == 1);
  CHECK(std::distance(std::filesystem::directory_iterator(s.dir), {}) == 2);
}

TEST_CASE("findings: a directory that cannot be created is an error and not a crash", "[fuzz][net]") {
  scratch s;
  std::filesystem::create_directories(s.dir.parent_path());
  { std::ofstream(s.dir) << "a file where the directory should be"; }
  findings_store store(s.dir / "below");
  const auto r = store.add(stall_finding(0x28));
  CHECK(r.what == stored::failed);
  CHECK_FALSE(r.error.empty());
}

TEST_CASE("findings: a supervised crash keeps the target's exit and stderr tail, a leak is a kind of its own",
          "[fuzz][net]") {
  scratch s;
  findings_store store(s.dir);
  auto crash = stall_finding(0x28);
  crash.sig.kind = finding_kind::crash;
  crash.target_exit = "killed by signal 11 (Segmentation fault)";
  crash.stderr_tail = {"tgtd: iscsi_rx_handler", "tgtd: bad pdu"};
  const auto written = store.add(crash);
  REQUIRE(written.what == stored::written);
  const auto doc = read_json(written.where / "finding.json");
  CHECK(doc["target_exit"] == "killed by signal 11 (Segmentation fault)");
  CHECK(doc["stderr_tail"] == nlohmann::json::array({"tgtd: iscsi_rx_handler", "tgtd: bad pdu"}));

  auto leak = stall_finding(0x28);
  leak.sig.kind = finding_kind::leak;
  CHECK(name(finding_kind::leak) == "leak");
  const auto leaked = store.add(leak);
  REQUIRE(leaked.what == stored::written);
  CHECK(leaked.where.filename().string().rfind("leak-", 0) == 0);
  CHECK(read_json(leaked.where / "finding.json")["kind"] == "leak");
}
