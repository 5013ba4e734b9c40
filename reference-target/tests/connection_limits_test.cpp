// Connection limits (total, per source address, still in login): the
// counting on its own, the config keys, the accept path's log throttle and
// backoff, and over real TCP a target with low limits that closes the extra
// connections at once, says so in `stats` (read over the control socket),
// and still serves a fresh session.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>
#include <unistd.h>

#include "../src/accept_guard.hpp"
#include "support.hpp"
#include "tcp_peer.hpp"
#include "touchstone/target/config_file.hpp"
#include "touchstone/target/instance.hpp"
#include "touchstone/target/management.hpp"
#include "touchstone/target/server.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using json = nlohmann::json;

namespace {

peer_address v4(std::uint8_t last) {
  peer_address a{};
  a[10] = a[11] = 0xff;
  a[12] = 127;
  a[15] = last;
  return a;
}

std::uint64_t refused(const connection_admission& a, connection_limit l) {
  return a.current().refused[static_cast<std::size_t>(l)];
}

}  // namespace

TEST_CASE("admission: each limit refuses the connection beyond it and counts the refusal",
          "[target][limits]") {
  connection_admission a;
  a.set_limits({.max_connections = 4, .max_connections_per_address = 2, .max_login_connections = 3});
  CHECK_FALSE(a.admit(v4(1)));
  CHECK_FALSE(a.admit(v4(1)));
  CHECK(a.admit(v4(1)) == connection_limit::per_address);
  CHECK_FALSE(a.admit(v4(2)));
  CHECK(a.admit(v4(3)) == connection_limit::login);  // three in login
  a.left_login();
  CHECK_FALSE(a.admit(v4(3)));
  CHECK(a.admit(v4(4)) == connection_limit::total);  // four connections
  CHECK(a.current().connections == 4);
  CHECK(a.current().in_login == 3);
  CHECK(a.addresses() == 3);
  CHECK(refused(a, connection_limit::total) == 1);
  CHECK(refused(a, connection_limit::per_address) == 1);
  CHECK(refused(a, connection_limit::login) == 1);

  // Released as admitted: the counts and the address table go back to empty.
  a.release(v4(1), false);
  a.release(v4(1), true);
  a.release(v4(2), true);
  a.release(v4(3), true);
  CHECK(a.current().connections == 0);
  CHECK(a.current().in_login == 0);
  CHECK(a.addresses() == 0);
}

TEST_CASE("admission: a limit of 0 is no limit", "[target][limits]") {
  connection_admission a;
  a.set_limits({.max_connections = 0, .max_connections_per_address = 0, .max_login_connections = 0});
  for (int i = 0; i < 5000; ++i) REQUIRE_FALSE(a.admit(v4(1)));
  CHECK(a.current().in_login == 5000);
}

TEST_CASE("admission: the limits are in the top-level limits of the config file", "[target][limits][config]") {
  auto c = parse_config(R"({"limits": {"max_connections": 10, "max_connections_per_address": 3,
                                       "max_login_connections": 0, "queue_depth": 8}})");
  REQUIRE(c);
  CHECK(c->connections == connection_limits{10, 3, 0});
  CHECK(parse_config("{}")->connections == connection_limits{});
  auto bad = parse_config(R"({"limits": {"max_connections": 2000000}})");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().path == "limits.max_connections");
  // Not per target: a connection is counted before its first PDU names one.
  bad = parse_config(R"({"targets": [{"iqn": "iqn.2026-11.org.touchstone:t",
                                      "limits": {"max_login_connections": 4}}]})");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().path == "targets[0].limits.max_login_connections");
}

TEST_CASE("accept guard: a line at most once per interval, with the count it stands for", "[target][limits]") {
  interval_counter c(std::chrono::seconds(10));
  const accept_clock::time_point t0{std::chrono::hours(1)};
  CHECK(c.note(t0).count == 1);  // the first at once
  for (int i = 1; i <= 1000; ++i) REQUIRE(c.note(t0 + std::chrono::milliseconds(i)).count == 0);
  const auto d = c.note(t0 + std::chrono::seconds(12));
  CHECK(d.count == 1001);
  CHECK(d.since == std::chrono::seconds(12));
  CHECK(c.note(t0 + std::chrono::seconds(13)).count == 0);
}

TEST_CASE("accept guard: the pause doubles from 100 ms to 1 s and starts over after an accept",
          "[target][limits]") {
  using std::chrono::milliseconds;
  accept_backoff b;
  std::vector<milliseconds> pauses;
  for (int i = 0; i < 6; ++i) pauses.push_back(b.next());
  CHECK(pauses == std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400),
                                             milliseconds(800), milliseconds(1000), milliseconds(1000)});
  b.reset();
  CHECK(b.next() == milliseconds(100));
  CHECK(address_text(v4(7)) == "127.0.0.7");
  peer_address six{};
  six[15] = 1;
  CHECK(address_text(six) == "::1");
}

namespace {

// The real server with low limits and a control socket, on a thread.
struct limited_target {
  std::string control = (std::filesystem::temp_directory_path() /
                         ("touchstone-limits-" + std::to_string(::getpid()) + ".sock")).string();
  rpc_dispatcher rpc;
  server srv{signal_handling::none};
  std::unique_ptr<instance> targets;
  std::thread io;
  std::uint16_t port = 0;

  explicit limited_target(const connection_limits& limits) {
    auto bound = srv.listen({{"127.0.0.1", 0}});
    REQUIRE(bound);
    port = bound->front().port;
    targets = std::make_unique<instance>(std::vector<std::string>{bound->front().portal()}, discovery_settings{});
    target_definition t;
    lun_definition lun;
    lun.size = 1 << 20;
    t.luns.push_back(lun);
    REQUIRE(targets->create_target(std::move(t)));
    targets->admission().set_limits(limits);
    management_context context;
    context.targets = targets.get();
    register_management(rpc, context);
    REQUIRE(srv.open_control(control, rpc));
    io = std::thread([this] { srv.run(*targets, 1); });
  }
  ~limited_target() {
    srv.stop();
    io.join();
  }

  // stats.admission, over the control socket.
  json admission() {
    asio::io_context ctx;
    asio::local::stream_protocol::socket s(ctx);
    s.connect(asio::local::stream_protocol::endpoint(control));
    const timeval guard{20, 0};
    ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    const std::string request = R"({"jsonrpc": "2.0", "id": 1, "method": "stats"})" "\n";
    asio::write(s, asio::buffer(request));
    std::string answer;
    asio::read_until(s, asio::dynamic_buffer(answer), '\n');
    return json::parse(answer).at("result").at("admission");
  }

  // Until the server has seen connections come or go (bounded: 10 s).
  void wait_for(const std::function<bool(const json&)>& reached) {
    for (int i = 0; i < 1000; ++i) {
      if (reached(admission())) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("stats never reached the expected counts: " << admission().dump());
  }

  std::unique_ptr<tcp_peer> connect(const std::string& from) {
    return std::make_unique<tcp_peer>("127.0.0.1", port, from);
  }
  std::unique_ptr<tcp_peer> session(const std::string& from, std::uint64_t isid) {
    auto p = connect(from);
    p->login(std::string(default_iqn), {}, isid);
    return p;
  }
};

bool counts_are(const json& a, int connections, int in_login) {
  return a["connections"] == connections && a["in_login"] == in_login;
}

}  // namespace

TEST_CASE("tcp: connections over a limit are closed at once, counted in stats, and a fresh session is served",
          "[target][limits][tcp]") {
  limited_target t({.max_connections = 6, .max_connections_per_address = 4, .max_login_connections = 2});
  auto a1 = t.session("127.0.0.1", 0x80000000101ULL);
  auto a2 = t.session("127.0.0.1", 0x80000000102ULL);
  CHECK(counts_are(t.admission(), 2, 0));  // in the Full Feature Phase: out of login

  // Two connections that send nothing fill max_login_connections.
  auto s1 = t.connect("127.0.0.1");
  auto s2 = t.connect("127.0.0.1");
  t.wait_for([](const json& a) { return counts_are(a, 4, 2); });
  CHECK(t.connect("127.0.0.2")->closed_silently());  // a third in login
  CHECK(t.admission()["refused"]["max_login_connections"] == 1);
  CHECK(t.connect("127.0.0.1")->closed_silently());  // a fifth from 127.0.0.1
  CHECK(t.admission()["refused"]["max_connections_per_address"] == 1);

  // One staller goes: three sessions from another address log in, the
  // seventh connection is over max_connections.
  s1.reset();
  t.wait_for([](const json& a) { return counts_are(a, 3, 1); });
  auto b1 = t.session("127.0.0.2", 0x80000000201ULL);
  auto b2 = t.session("127.0.0.2", 0x80000000202ULL);
  auto b3 = t.session("127.0.0.2", 0x80000000203ULL);
  CHECK(t.connect("127.0.0.2")->closed_silently());

  const auto stats = t.admission();
  CHECK(stats["limits"] == json{{"max_connections", 6}, {"max_connections_per_address", 4},
                            {"max_login_connections", 2}});
  CHECK(counts_are(stats, 6, 1));
  CHECK(stats["addresses"] == 2);
  CHECK(stats["refused"] == json{{"max_connections", 1}, {"max_connections_per_address", 1},
                             {"max_login_connections", 1}});
  CHECK(stats["accept_errors"] == 0);
  CHECK(stats["paused"] == false);

  // Room again: a fresh session logs in and runs TEST UNIT READY (tcp_peer's
  // receive guard bounds the wait); the sessions already there still work.
  b3.reset();
  s2.reset();
  t.wait_for([](const json& a) { return counts_are(a, 4, 0); });
  auto fresh = t.session("127.0.0.1", 0x80000000301ULL);
  clear_unit_attentions(*fresh);
  clear_unit_attentions(*a1);
  clear_unit_attentions(*b1);
  t.wait_for([](const json& a) { return counts_are(a, 5, 0); });
}
