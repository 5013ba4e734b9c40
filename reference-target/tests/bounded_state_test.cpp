// Bounded state under churn (issue 10), in process: thousands of sessions
// with fresh ISIDs log in with CHAP, run a command and end (Logout or a
// dropped connection). Every table keyed by something an initiator chooses
// (I_T nexus, session, TSIH, CHAP challenge, task) must stay under its bound:
// the structures are measured, not the RSS. Then the instance: the bound is
// configurable, stats shows the sizes, removed target names are bounded.
// (PR registrations: scsi/tests/pr_bound_test.cpp.)
#include <algorithm>

#include <spdlog/spdlog.h>

#include "support.hpp"
#include "touchstone/target/instance.hpp"
#include "touchstone/target/management.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;
using pdu::login_status;

namespace {

constexpr std::uint64_t first_isid = 0x800000000000ULL;
constexpr std::size_t logins = 5000;
constexpr std::string_view secret = "churn-secret-123456";

// 5,000 sessions log three info lines each: warnings only while they run.
struct quiet_log {
  spdlog::level::level_enum was = spdlog::get_level();
  quiet_log() { spdlog::set_level(spdlog::level::warn); }
  ~quiet_log() { spdlog::set_level(was); }
  quiet_log(const quiet_log&) = delete;
  quiet_log& operator=(const quiet_log&) = delete;
};

// The sizes of the node's tables, and the largest seen so far.
struct tables {
  std::size_t ua_nexuses = 0;  // scsi::unit_attention_queue, every LU
  std::size_t tasks = 0;       // scsi::task_set, every LU
  std::size_t directory = 0;   // session_directory (live sessions)
  std::size_t tsihs = 0;       // session_registry (TSIHs in use)
  std::size_t challenges = 0;  // chap_challenge_log
  void keep_max(const tables& t) {
    ua_nexuses = std::max(ua_nexuses, t.ua_nexuses);
    tasks = std::max(tasks, t.tasks);
    directory = std::max(directory, t.directory);
    tsihs = std::max(tsihs, t.tsihs);
    challenges = std::max(challenges, t.challenges);
  }
};

tables sizes_of(target_node& n) {
  return tables{n.devices->tracked_nexuses(), n.devices->tasks(), n.directory.size(),
                n.sessions.count(), n.chap_challenges->size()};
}

std::shared_ptr<target_node> chap_node() {
  target_config c;
  c.chap = chap_account{"churn", std::string(secret)};
  return make_node(std::move(c));
}

// A CHAP login of `isid` to the Full Feature Phase.
void chap_login(driver& d, std::uint64_t isid) {
  constexpr auto sec = login_stage::security_negotiation;
  REQUIRE(status_of(d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "CHAP"}})
                               .isid(isid)
                               .build())) == login_status::success);
  auto c = d.feed(login(sec, {{"CHAP_A", "5"}}).isid(isid).build());
  REQUIRE(status_of(c) == login_status::success);
  const auto challenge = parse(c.sent.at(0));
  REQUIRE(status_of(d.feed(login(sec, {{"CHAP_N", "churn"}, {"CHAP_R", chap_response_to(challenge, secret)}})
                               .isid(isid)
                               .transit_to(login_stage::operational_negotiation)
                               .build())) == login_status::success);
  auto s = d.feed(login(login_stage::operational_negotiation, {})
                      .isid(isid)
                      .transit_to(login_stage::full_feature_phase)
                      .build());
  REQUIRE(status_of(s) == login_status::success);
  REQUIRE(pdu::login_response_view(s.sent.back()).is_final_response());
}

// TEST UNIT READY; returns the ASC/ASCQ of a CHECK CONDITION, 0 for GOOD.
unsigned test_unit_ready(driver& d, std::uint32_t cmd_sn) {
  auto r = d.feed(pdu::scsi_command_builder()
                      .initiator_task_tag(cmd_sn)
                      .cmd_sn(cmd_sn)
                      .cdb(pdu::byte_buffer(6, 0))
                      .build());
  REQUIRE(!r.sent.empty());
  REQUIRE(r.sent.back().op() == pdu::opcode::scsi_response);
  const pdu::scsi_response_view v(r.sent.back());
  if (v.status() == pdu::scsi_status::good) return 0;
  // Fixed-format sense after the 2-byte SenseLength.
  REQUIRE(r.sent.back().data.size() >= 16);
  return (unsigned{r.sent.back().data[14]} << 8) | r.sent.back().data[15];
}

// Ends the session of `d` one of three ways, by `how`: Logout, a dropped
// connection, or reinstatement by a new session with the same ISID.
void end_session(const std::shared_ptr<target_node>& node, driver& d, std::uint64_t isid,
                 std::size_t how, tables& peak) {
  if (how == 0) {
    auto s = d.feed(pdu::logout_request_builder().initiator_task_tag(99).cmd_sn(12).immediate().build());
    REQUIRE(s.closed);
  } else if (how == 1) {
    d.core().on_transport_closed();
  } else {
    driver next(node);
    chap_login(next, isid);
    d.core().on_tick(clock::now());
    REQUIRE(d.drain().closed);
    peak.keep_max(sizes_of(*node));
    next.core().on_transport_closed();
  }
}

}  // namespace

TEST_CASE("bounded: 5,000 sessions with fresh ISIDs leave bounded tables behind",
          "[target][bounded][ua][churn]") {
  quiet_log quiet;
  auto node = chap_node();
  tables peak;
  for (std::size_t i = 0; i < logins; ++i) {
    driver d(node);
    if (i % 10 == 9) {
      // A login abandoned after the challenge.
      REQUIRE(status_of(d.feed(login(login_stage::security_negotiation,
                                     {login_names[0], login_names[1], {"AuthMethod", "CHAP"}})
                                   .isid(first_isid + i)
                                   .build())) == login_status::success);
      (void)d.feed(login(login_stage::security_negotiation, {{"CHAP_A", "5"}}).isid(first_isid + i).build());
      d.core().on_transport_closed();
      peak.keep_max(sizes_of(*node));
      continue;
    }
    chap_login(d, first_isid + i);
    //= sam5#5.14 type=test
    //# a nexus the LU has not seen sees POWER ON, RESET OR BUS DEVICE RESET OCCURRED
    // (from memory: sam5 5.14, the power-on condition of a new I_T nexus)
    REQUIRE(test_unit_ready(d, 10) == 0x2900);
    REQUIRE(test_unit_ready(d, 11) == 0);
    peak.keep_max(sizes_of(*node));
    end_session(node, d, first_isid + i, i % 3, peak);
    peak.keep_max(sizes_of(*node));
  }
  const auto after = sizes_of(*node);
  CAPTURE(peak.ua_nexuses, peak.tasks, peak.directory, peak.tsihs, peak.challenges);
  CAPTURE(after.ua_nexuses, after.directory, after.tsihs, after.challenges);
  // One LU: its unit attention queue tracks at most its bound of I_T nexuses.
  CHECK(peak.ua_nexuses <= scsi::lu_config{}.max_tracked_nexuses);
  // One session at a time (two while one reinstates the other): nothing of
  // an ended session stays in the node.
  CHECK(peak.directory <= 2);
  CHECK(peak.tsihs <= 2);
  CHECK(after.directory == 0);
  CHECK(after.tsihs == 0);
  CHECK(peak.tasks == 0);
  // Every login issued a challenge: the log stays at its capacity.
  CHECK(peak.challenges <= chap_challenge_log::default_capacity);
  // The nexus of the last session (the last login was abandoned) is still
  // owed its I_T NEXUS LOSS; the first one was forgotten and returns as new.
  driver last(node);
  chap_login(last, first_isid + logins - 2);
  CHECK(test_unit_ready(last, 10) == 0x2907);
  driver first(node);
  chap_login(first, first_isid);
  CHECK(test_unit_ready(first, 10) == 0x2900);
}

namespace {

target_definition definition(const std::string& text) {
  auto t = parse_target(nlohmann::json::parse(text), "t");
  REQUIRE(t);
  return *t;
}

// `n` I_T nexuses of LU 0 that each ended a session.
void departed_nexuses(scsi::device_server& devices, int n) {
  auto lu = devices.find_lu(0);
  for (int i = 0; i < n; ++i) {
    const scsi::it_nexus it{"iqn.2026-11.org.touchstone:i,i,0x" + std::to_string(100000 + i),
                            std::string(default_iqn) + ",t,0x0001"};
    lu->touch(it);
    devices.it_nexus_lost(it);
  }
}

}  // namespace

TEST_CASE("bounded: limits.max_tracked_nexuses reaches the LUs, stats shows the tables",
          "[target][bounded][ua][management]") {
  instance in{{"127.0.0.1:3260"}, {}};
  REQUIRE(in.create_target(definition(R"({"iqn": "iqn.2026-11.org.touchstone:target",
      "limits": {"max_tracked_nexuses": 3}, "luns": [{"store": "mem", "size": "1MiB"}]})")));
  auto devices = in.find(default_iqn)->node->devices;
  departed_nexuses(*devices, 10);
  CHECK(devices->tracked_nexuses() == 3);
  CHECK(devices->forgotten_nexuses() == 7);
  rpc_dispatcher rpc;
  management_context c;
  c.targets = &in;
  register_management(rpc, c);
  const auto out = rpc.handle(R"({"jsonrpc": "2.0", "id": 1, "method": "stats"})");
  REQUIRE(out);
  const auto tables = nlohmann::json::parse(*out)["result"]["tables"];
  CHECK(tables["tracked_nexuses"] == 3);
  CHECK(tables["forgotten_nexuses"] == 7);
  CHECK(tables["sessions"] == 0);
  CHECK(tables["chap_challenges"] == 0);
  // A reload with a lower bound forgets down to it.
  instance_config next;
  next.targets.push_back(definition(R"({"iqn": "iqn.2026-11.org.touchstone:target",
      "limits": {"max_tracked_nexuses": 1}, "luns": [{"store": "mem", "size": "1MiB"}]})"));
  REQUIRE(in.apply(next));
  CHECK(in.tables().tracked_nexuses == 1);
}

TEST_CASE("bounded: the names of removed targets are kept up to 1024", "[target][bounded]") {
  instance in{{"127.0.0.1:3260"}, {}};
  for (int i = 0; i < 1100; ++i) {
    const auto iqn = "iqn.2026-11.org.touchstone:gone" + std::to_string(i);
    REQUIRE(in.create_target(definition(R"({"iqn": ")" + iqn + R"("})")));
    REQUIRE(in.remove_target(iqn, false));
    REQUIRE(in.tables().removed_target_names <= 1024);
  }
  CHECK(in.tables().removed_target_names == 1024);
}
