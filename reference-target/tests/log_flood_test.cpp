// Log floods (issue 10): initiators repeating the same violations thousands
// of times. The log stays bounded (the first line of each requirement id per
// connection in full, then counts), session.list keeps the exact numbers.
// Through the sans-I/O core on an instance (time driven by the test), and
// over TCP through the real transport.
#include <charconv>
#include <regex>

#include "log_capture.hpp"
#include "support.hpp"
#include "tcp_peer.hpp"
#include "touchstone/target/embedded_server.hpp"
#include "touchstone/target/instance.hpp"
#include "touchstone/target/management.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using json = nlohmann::json;

namespace {

// Violations a logged-in initiator can repeat: each is answered with a
// Reject and the connection goes on. The line the core logs for the first.
// (The vendor-specific opcode is also noted as rfc7143#section-11.2.1.2/unknown-opcode.)
struct repeated_violation {
  std::string_view requirement;
  pdu::pdu request;
  std::string_view detail;
};

std::vector<repeated_violation> violations() {
  return {
      //= rfc7143#section-7.8 type=test
      //# reject the SNACK with a Reject PDU with a reason code of "SNACK reject"
      {"rfc7143#section-7.8/snack-at-erl0", pdu::snack_builder().initiator_task_tag(10).build(),
       "Reject reason 0x03 for SNACK Request"},
      //= rfc7143#section-11.17.1 type=test
      //# 0x05 Command not supported
      {"rfc7143#section-11.17.1/not-supported", pdu::unknown_builder(0x1c).initiator_task_tag(7).immediate().build(),
       "Reject reason 0x05 for vendor-specific"},
      {"rfc7143#section-11.7/data-out-unknown-itt",
       pdu::data_out_builder().initiator_task_tag(11).data(pdu::byte_buffer(512, 1)).build(),
       "Reject reason 0x09 for SCSI Data-Out"},
      //= rfc7143#section-11.2.1.2 type=test
      //# Initiators MUST NOT use target Opcodes
      {"rfc7143#section-11.2.1.2", pdu::nop_in_builder().build(), "Reject reason 0x04 for NOP-In"},
  };
}

// The sum of N over the summary lines "ID: N more on this connection ...".
std::uint64_t summarised(const log_capture& log, std::string_view requirement) {
  const std::regex summary(": ([0-9]+) more on this connection");
  std::uint64_t total = 0;
  for (const auto& line : log.lines()) {
    std::smatch m;
    if (line.find(std::string(requirement) + ": ") == std::string::npos ||
        !std::regex_search(line, m, summary))
      continue;
    total += std::stoull(m[1].str());
  }
  return total;
}

// The instance, its session.list, and connections driven in process.
struct instance_fixture {
  instance targets{{"127.0.0.1:3260"}, {}};
  rpc_dispatcher rpc;
  struct session {
    connection_entry* entry;
    std::unique_ptr<driver> d;
  };

  instance_fixture() {
    auto t = parse_target(json::parse(R"({"iqn": ")" + std::string(default_iqn) +
                                      R"(", "luns": [{"store": "mem", "size": "1MiB"}]})"),
                          "t");
    REQUIRE(t);
    REQUIRE(targets.create_target(std::move(*t)));
    register_management(rpc, management_context{&targets, nullptr, json::object()});
  }

  // A Normal session of its own (ISID `isid`) from `remote`.
  session log_in(const std::string& remote, std::uint64_t isid, clock::time_point now) {
    auto* entry = &targets.connected("127.0.0.1:3260", remote, [] {});
    const auto first = login(pdu::login_stage::operational_negotiation, login_names)
                           .isid(isid).transit_to(pdu::login_stage::full_feature_phase).build();
    auto d = std::make_unique<driver>(targets.route(*entry, first), remote, now);
    entry->conn = &d->core();
    d->feed(first);
    REQUIRE(d->core().current_phase() == phase::ffp_normal);
    return {entry, std::move(d)};
  }

  json session_list() {
    const auto out = rpc.handle(R"({"jsonrpc": "2.0", "id": 1, "method": "session.list"})");
    REQUIRE(out);
    const auto r = json::parse(*out);
    REQUIRE(r.contains("result"));
    return r["result"];
  }
};

}  // namespace

TEST_CASE("log flood: 2,000 repeated violations on 4 connections log a bounded number of lines",
          "[target][log]") {
  constexpr std::size_t connections = 4, rounds = 500;
  constexpr auto step = std::chrono::milliseconds(50);  // 25 s of flood in all
  log_capture log;
  instance_fixture f;
  const auto start = clock::now();
  std::vector<instance_fixture::session> sessions;
  for (std::size_t i = 0; i < connections; ++i)
    sessions.push_back(f.log_in("flood-" + std::to_string(i), 0x80000000300ULL + i, start));
  const auto kinds = violations();

  auto now = start;
  for (std::size_t round = 0; round < rounds; ++round) {
    now += step;
    const auto& v = kinds[round % kinds.size()];
    for (auto& s : sessions) {
      s.d->core().on_pdu(v.request, now);
      const auto answer = s.d->drain();
      REQUIRE(answer.sent.size() == 1);
      REQUIRE(answer.sent[0].op() == pdu::opcode::reject);
      s.d->core().on_tick(now);
    }
  }

  // session.list: the exact counts, per requirement id.
  const auto listed = f.session_list();
  REQUIRE(listed.size() == connections);
  for (const auto& one : listed) {
    CHECK(one["violations"] == rounds + rounds / 4);  // the vendor-specific opcode counts twice
    for (const auto& v : kinds) CHECK(one["violations_by_requirement"][std::string(v.requirement)] == rounds / 4);
  }
  for (auto& s : sessions) {
    s.d->core().on_transport_closed();
    f.targets.disconnected(s.entry->id);
  }

  const auto lines = log.lines().size();
  WARN("4 connections x 500 repeated violations: " << lines << " log lines, " << log.bytes() << " bytes");
  // Bounded: per connection and requirement id (5 with unknown-opcode), one
  // line in full and one summary per 10 s interval (3 of each in 25 s), plus
  // the login line.
  CHECK(lines <= connections * ((kinds.size() + 1) * 6 + 1));
  for (const auto& v : kinds) {
    INFO(v.requirement);
    // The first occurrence on every connection, in full, as logged before.
    for (std::size_t i = 0; i < connections; ++i)
      CHECK(log.has_line("warning [flood-" + std::to_string(i) + "] " + std::string(v.requirement) + ": " +
                         std::string(v.detail)));
    // Lines in full plus the counts of the summaries: every violation.
    const auto full = log.count(std::string(v.requirement) + ": " + std::string(v.detail));
    CHECK(full + summarised(log, v.requirement) == connections * rounds / 4);
  }
}

TEST_CASE("log flood: repeated violations over TCP log a bounded number of lines", "[target][log][tcp]") {
  constexpr std::size_t connections = 3, repeats = 300;
  log_capture log;
  const auto kinds = violations();
  {
    embedded_options o;
    o.lun_sizes = {1u << 20};
    o.log_level = "info";
    auto server = embedded_server::start(o);
    REQUIRE(server);
    std::vector<std::unique_ptr<tcp_peer>> peers;
    for (std::size_t i = 0; i < connections; ++i) {
      peers.push_back(std::make_unique<tcp_peer>((*server)->host(), (*server)->port()));
      peers.back()->login((*server)->iqn(), {}, 0x80000000200ULL + i);
    }
    // Sent in one go per connection, then every Reject read.
    for (auto& p : peers) {
      pdu::byte_buffer burst;
      for (std::size_t n = 0; n < repeats; ++n) {
        const auto bytes = p->encode(kinds[n % 2].request);
        burst.insert(burst.end(), bytes.begin(), bytes.end());
      }
      p->send_raw(pdu::bytes_view(burst));
    }
    for (auto& p : peers)
      for (std::size_t n = 0; n < repeats; ++n) REQUIRE(p->expect().op() == pdu::opcode::reject);
    peers.clear();
    (*server)->stop();
  }
  const auto lines = log.lines().size();
  WARN("3 connections x 300 repeated violations over TCP: " << lines << " log lines, " << log.bytes() << " bytes");
  // Per connection: connected, the session, one line in full and one summary
  // per requirement id (3 with unknown-opcode), closing and disconnected.
  CHECK(lines <= connections * 10);
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& v = kinds[k];
    INFO(v.requirement);
    const auto full = log.count(std::string(v.requirement) + ": " + std::string(v.detail));
    CHECK(full >= connections);
    CHECK(full + summarised(log, v.requirement) == connections * repeats / 2);
  }
}

//= rfc7143#section-4.2.4 type=test
//# A target receiving any PDU except a Login Request before the Login Phase is
//# started MUST immediately terminate the connection
TEST_CASE("log flood: 1,000 connections each logging their first lines stay within the instance's budget",
          "[target][log]") {
  log_capture log;
  instance_fixture f;
  const auto start = clock::now();
  const auto command = pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(1).cdb(read10(0, 1))
                           .read().expected_data_transfer_length(512).build();
  for (int i = 0; i < 1000; ++i) {
    const auto remote = "storm-" + std::to_string(i);
    auto& entry = f.targets.connected("127.0.0.1:3260", remote, [] {});
    driver d(f.targets.route(entry, command), remote, start);
    d.core().on_pdu(command, start);
    CHECK(d.drain().closed);
    d.core().on_transport_closed();
    f.targets.disconnected(entry.id);
  }
  // Each logged the violation and its close: 2,000 lines, 200 (the burst) written.
  CHECK(log.lines().size() == 200);
  CHECK(log.count("[storm-0] rfc7143#section-4.2.4/login-first: SCSI Command") == 1);
  CHECK(f.targets.peer_log_budget()->dropped_total() == 1800);
  // The next connection's clock tick, 10 s on, reports what was dropped.
  auto& entry = f.targets.connected("127.0.0.1:3260", "late", [] {});
  driver late(f.targets.route(entry, command), "late", start);
  late.core().on_tick(start + std::chrono::seconds(10));
  REQUIRE(log.lines().size() == 201);
  CHECK(log.lines().back().starts_with("warning log budget: 1800 lines about initiators dropped in the last 10.0 s"));
}

TEST_CASE("log flood: with an interval of 0 and no rate (--log-interval 0 --log-rate 0) every line is logged",
          "[target][log]") {
  log_capture log;
  instance_fixture f;
  f.targets.set_log_limits({std::chrono::seconds(0), 0, 1});
  const auto start = clock::now();
  auto s = f.log_in("verbose", 0x80000000400ULL, start);
  const auto snack = violations()[0];
  for (int i = 0; i < 50; ++i) s.d->core().on_pdu(snack.request, start + std::chrono::milliseconds(i));
  CHECK(log.count("[verbose] " + std::string(snack.requirement) + ": " + std::string(snack.detail)) == 50);
}
