// The session_group engine pieces that need no real target: numbering
// shared across connections, the joining login's options and text, the
// parameters a joined connection works with, the recovery needs' reasons;
// then a leading login and a joining one against a scripted fake target
// that records what each connection's Login Requests carried.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "touchstone/conformance/session_group.hpp"
#include "touchstone/conformance/target.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone::conformance;
namespace pdu = touchstone::pdu;

TEST_CASE("session_group numbering: CmdSN and task tags are session-wide, ExpStatSN per connection",
          "[conformance][session-group]") {
  timing times;
  session first({"127.0.0.1", 1}, times);
  session second({"127.0.0.1", 1}, times);
  second.share_numbering(first.numbering());
  first.set_cmd_sn(100);
  CHECK(first.take_cmd_sn() == 100);
  CHECK(second.take_cmd_sn() == 101);
  CHECK(first.cmd_sn() == 102);
  const auto tag = first.next_itt();
  CHECK(second.next_itt() == tag + 1);
  first.set_exp_stat_sn(7);
  second.set_exp_stat_sn(900);
  CHECK(first.exp_stat_sn() == 7);
  CHECK(second.exp_stat_sn() == 900);
  session alone({"127.0.0.1", 1}, times);
  CHECK(alone.cmd_sn() == 1);  // a session not in a group keeps its own
}

TEST_CASE("join_options: the ISID, the session's TSIH, a new CID, the current CmdSN, no Leading Only keys",
          "[conformance][session-group]") {
  login_options lead;
  lead.target_name = "iqn.2024-01.org.example:t";
  lead.isid = 0x80'0102'0304'05;
  lead.operational = {{"MaxConnections", "4"}, {"ErrorRecoveryLevel", "2"}, {"HeaderDigest", "CRC32C,None"},
                      {"InitialR2T", "No"}, {"MaxRecvDataSegmentLength", "65536"}};
  const auto o = join_options(lead, 0x1234, 3, 77);
  CHECK(o.isid == lead.isid);
  CHECK(o.target_name == lead.target_name);
  CHECK(o.tsih == 0x1234);
  CHECK(o.cid == 3);
  CHECK(o.cmd_sn == 77);
  CHECK_FALSE(o.declare_session_type);
  REQUIRE(o.operational.size() == 2);
  CHECK(o.operational[0].key == "HeaderDigest");
  CHECK(o.operational[1].key == "MaxRecvDataSegmentLength");
  const auto keys = identity_keys(o);
  CHECK_FALSE(find_value(keys, "SessionType"));
  CHECK(find_value(keys, "TargetName") == lead.target_name);
  CHECK(find_value(identity_keys(lead), "SessionType") == "Normal");
}

TEST_CASE("with_recovery: offers ErrorRecoveryLevel and MaxConnections once, replacing earlier offers",
          "[conformance][session-group]") {
  login_options o;
  o.operational = {{"MaxConnections", "1"}, {"ImmediateData", "No"}};
  o = with_recovery(o, 2, 4);
  CHECK(find_value(o.operational, "MaxConnections") == "4");
  CHECK(find_value(o.operational, "ErrorRecoveryLevel") == "2");
  CHECK(find_value(o.operational, "ImmediateData") == "No");
  CHECK(o.operational.size() == 3);
}

TEST_CASE("leading_only: the LO keys of RFC 7143 section 13", "[conformance][session-group]") {
  for (const auto* key : {"MaxConnections", "ErrorRecoveryLevel", "InitialR2T", "ImmediateData", "MaxBurstLength",
                          "FirstBurstLength", "DefaultTime2Wait", "DefaultTime2Retain", "MaxOutstandingR2T",
                          "DataPDUInOrder", "DataSequenceInOrder", "SessionType", "TaskReporting"})
    CHECK(leading_only(key));
  for (const auto* key : {"HeaderDigest", "DataDigest", "MaxRecvDataSegmentLength", "TargetName", "AuthMethod"})
    CHECK_FALSE(leading_only(key));
}

TEST_CASE("joined_parameters: session-wide values from the lead, digests and segment limits from the connection",
          "[conformance][session-group]") {
  pdu::session_parameters lead, joined;
  lead.max_connections = 4;
  lead.error_recovery_level = 2;
  lead.immediate_data = false;
  lead.max_recv_data_segment_length = 1000;
  joined.header_digest = pdu::digest_type::crc32c;
  joined.max_recv_data_segment_length = 4096;
  joined.max_send_data_segment_length = 2048;
  const auto p = joined_parameters(lead, joined);
  CHECK(p.max_connections == 4);
  CHECK(p.error_recovery_level == 2);
  CHECK_FALSE(p.immediate_data);
  CHECK(p.header_digest == pdu::digest_type::crc32c);
  CHECK(p.max_recv_data_segment_length == 4096);
  CHECK(p.max_send_data_segment_length == 2048);
}

TEST_CASE("recovery needs: met by what the probe found, and the skip says what was negotiated",
          "[conformance][session-group]") {
  target_config t;
  CHECK_FALSE(has(t, need::mcs));
  CHECK(missing_reason(t, need::mcs).find("not probed") != std::string::npos);
  t.recovery = recovery_capability{true, 0, 1, {}};
  CHECK_FALSE(has(t, need::mcs));
  CHECK_FALSE(has(t, need::erl1));
  CHECK(missing_reason(t, need::mcs).find("the target negotiated MaxConnections=1 (offered 4)") != std::string::npos);
  CHECK(missing_reason(t, need::erl2).find("the target negotiated ErrorRecoveryLevel=0 (offered 2)") !=
        std::string::npos);
  t.recovery = recovery_capability{true, 1, 4, {}};
  CHECK(has(t, need::mcs));
  CHECK(has(t, need::erl1));
  CHECK_FALSE(has(t, need::erl2));
  t.recovery = recovery_capability{false, 2, 4, "login status 0x0201"};
  CHECK_FALSE(has(t, need::erl2));
  CHECK(missing_reason(t, need::erl2).find("the probe login failed: login status 0x0201") != std::string::npos);
  CHECK(missing_reason(t, need::writable_lun) == missing_reason(need::writable_lun));
}

namespace {

// What one Login Request carried.
struct seen_login {
  std::uint16_t tsih = 0;
  std::uint16_t cid = 0;
  std::uint32_t cmd_sn = 0;
  std::uint64_t isid = 0;
  pdu::text_pairs text;
};

bool read_exactly(int fd, std::uint8_t* to, std::size_t n) {
  for (std::size_t got = 0; got < n;) {
    const auto r = ::read(fd, to + got, n - got);
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

std::optional<seen_login> read_login(int fd) {
  std::uint8_t h[48];
  if (!read_exactly(fd, h, 48)) return std::nullopt;
  const std::size_t length = (std::size_t{h[5]} << 16) | (std::size_t{h[6]} << 8) | h[7];
  std::vector<std::uint8_t> data((length + 3) & ~std::size_t{3});
  if (!data.empty() && !read_exactly(fd, data.data(), data.size())) return std::nullopt;
  seen_login s;
  for (int i = 8; i < 14; ++i) s.isid = (s.isid << 8) | h[i];
  s.tsih = static_cast<std::uint16_t>((h[14] << 8) | h[15]);
  s.cid = static_cast<std::uint16_t>((h[20] << 8) | h[21]);
  s.cmd_sn = pdu::load_be32(h + 24);
  data.resize(length);
  if (auto pairs = pdu::parse_text(pdu::bytes_view{data})) s.text = *pairs;
  return s;
}

// Answers a whole login (security, then operational with `answers`) as a
// target that gives the session TSIH 0x0042 and starts StatSN at `stat_sn`.
// ExpCmdSN trails the request's CmdSN by `lag` (commands held back).
void serve_login(int fd, std::uint32_t stat_sn, std::uint32_t lag, const pdu::text_pairs& answers,
                 std::vector<seen_login>& seen) {
  for (int step = 0; step < 2; ++step) {
    const auto r = read_login(fd);
    if (!r) return;
    seen.push_back(*r);
    pdu::login_response_builder b;
    b.isid(r->isid).initiator_task_tag(1).stat_sn(stat_sn).exp_cmd_sn(r->cmd_sn - lag).max_cmd_sn(r->cmd_sn + 8);
    if (step == 0) {
      b.csg(pdu::login_stage::security_negotiation).transit_to(pdu::login_stage::operational_negotiation);
      b.tsih(r->tsih).data(pdu::encode_text({{"AuthMethod", "None"}}));
    } else {
      b.csg(pdu::login_stage::operational_negotiation).transit_to(pdu::login_stage::full_feature_phase);
      b.tsih(r->tsih == 0 ? 0x0042 : r->tsih).data(pdu::encode_text(answers));
    }
    const auto bytes = pdu::encode(b.build());
    (void)::write(fd, bytes.data(), bytes.size());
  }
}

}  // namespace

TEST_CASE("session_group against a fake target: the lead proposes the keys, the joiner carries TSIH, CID and CmdSN",
          "[conformance][session-group]") {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(listener, 4) == 0);
  socklen_t len = sizeof a;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
  std::vector<seen_login> lead_seen, join_seen;
  std::thread fake([&] {
    int fds[2] = {-1, -1};
    fds[0] = ::accept(listener, nullptr, nullptr);
    serve_login(fds[0], 500, 0, {{"MaxConnections", "2"}, {"ErrorRecoveryLevel", "1"}, {"MaxRecvDataSegmentLength", "8192"}},
                lead_seen);
    fds[1] = ::accept(listener, nullptr, nullptr);
    serve_login(fds[1], 9000, 1, {{"MaxRecvDataSegmentLength", "8192"}}, join_seen);
    for (const int fd : fds) ::close(fd);
  });
  timing times;
  times.wait = std::chrono::milliseconds{2000};
  std::vector<std::unique_ptr<session>> opened;
  session_group group([&]() -> session* {
    opened.push_back(std::make_unique<session>(endpoint{"127.0.0.1", ntohs(a.sin_port)}, times));
    return opened.back()->connect() ? nullptr : opened.back().get();
  });
  login_options o;
  o.target_name = "iqn.2024-01.org.example:t";
  const auto led = group.lead(with_recovery(o, 2, 4));
  REQUIRE(led.ok());
  CHECK(group.tsih() == 0x0042);
  CHECK(group.negotiated().max_connections == 2);
  CHECK(group.negotiated().error_recovery_level == 1);
  group.at(0).take_cmd_sn();  // a command sent on the lead: CmdSN 1
  group.at(0).take_cmd_sn();  // and one held back: CmdSN 2
  const auto joined = group.add();
  fake.join();
  ::close(listener);
  REQUIRE(joined.ok());
  REQUIRE(lead_seen.size() == 2);
  REQUIRE(join_seen.size() == 2);
  CHECK(lead_seen[0].tsih == 0);
  CHECK(find_value(lead_seen[1].text, "MaxConnections") == "4");
  CHECK(find_value(lead_seen[1].text, "ErrorRecoveryLevel") == "2");
  for (const auto& r : join_seen) {
    CHECK(r.tsih == 0x0042);
    CHECK(r.cid == 1);
    CHECK(r.cmd_sn == 3);
    CHECK(r.isid == lead_seen[0].isid);
    CHECK_FALSE(find_value(r.text, "MaxConnections"));
    CHECK_FALSE(find_value(r.text, "ErrorRecoveryLevel"));
    CHECK_FALSE(find_value(r.text, "SessionType"));
  }
  REQUIRE(group.size() == 2);
  CHECK(group.cid(1) == 1);
  CHECK(group.at(1).cmd_sn() == 3);  // not rewound to the login's ExpCmdSN
  CHECK(group.at(0).exp_stat_sn() == 501);
  CHECK(group.at(1).exp_stat_sn() == 9001);
  CHECK(group.at(1).params().max_connections == 2);  // the session's, from the lead
}
