// The engine against a scripted fake target on loopback: timeouts, closes,
// PDUs and broken streams are observations; the runner survives a hung case.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include "touchstone/conformance/requests.hpp"
#include "touchstone/conformance/runner.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone::conformance;
using namespace std::chrono_literals;

namespace {

// Listens on an ephemeral loopback port; serves one connection with `script`.
class fake_target {
 public:
  explicit fake_target(std::function<void(int fd)> script) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(listener_, 4) == 0);
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, script] {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd >= 0) {
        script(fd);
        ::close(fd);
      }
    });
  }
  ~fake_target() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  endpoint where() const { return {"127.0.0.1", port_}; }

 private:
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

void send_all(int fd, const touchstone::pdu::byte_buffer& b) { (void)::write(fd, b.data(), b.size()); }

}  // namespace

TEST_CASE("a silent target gives a timeout observation at the deadline", "[conformance][engine]") {
  fake_target t([](int) { std::this_thread::sleep_for(1s); });
  timing times;
  times.wait = 200ms;
  session s(t.where(), times);
  REQUIRE_FALSE(s.connect());
  const auto start = clock::now();
  const auto seen = s.expect_pdu();
  CHECK(seen.what == observed::timeout);
  CHECK(clock::now() - start < 900ms);
  CHECK(clock::now() - start >= 190ms);
}

TEST_CASE("a PDU then a close are observations, in order", "[conformance][engine]") {
  const auto nop_in = touchstone::pdu::nop_in_builder{}.initiator_task_tag(7).stat_sn(5).exp_cmd_sn(1).max_cmd_sn(8).build();
  fake_target t([&](int fd) { send_all(fd, touchstone::pdu::encode(nop_in)); });
  timing times;
  times.wait = 2000ms;
  session s(t.where(), times);
  REQUIRE_FALSE(s.connect());
  const auto first = s.expect_pdu();
  REQUIRE(first.is(touchstone::pdu::opcode::nop_in));
  CHECK(first.received == nop_in);
  CHECK(s.exp_stat_sn() == 6);
  CHECK(s.max_cmd_sn() == 8);
  const auto second = s.expect_close(times.wait);
  CHECK(second.what == observed::closed);
  CHECK(second.connection_lost());
  // Sending after the close is an error code, not a crash.
  CHECK(s.send(touchstone::pdu::nop_out_builder{}.build()));
}

// istgt was seen (rarely, under load) closing after a Logout without the
// Logout Response. The engine is not the cause: a response the target sent
// before its FIN or its reset is received, and only then the close, even
// when both arrived before the engine read anything.
//= rfc7143#section-11.14 type=test
//# The target then issues the Logout Response and half-closes the TCP
//# connection (sends FIN).
TEST_CASE("a Logout Response is received before the close that follows it at once",
          "[conformance][engine][logout]") {
  const bool reset = GENERATE(false, true);
  CAPTURE(reset);
  const auto response = touchstone::pdu::logout_response_builder{}
                            .initiator_task_tag(3).stat_sn(9).exp_cmd_sn(2).max_cmd_sn(9).build();
  std::promise<void> accepted, connected;
  auto accepted_done = accepted.get_future();
  auto connected_done = connected.get_future();
  auto t = std::make_unique<fake_target>([&](int fd) {
    accepted.set_value();
    connected_done.wait();  // a reset before then would be the connect's error
    send_all(fd, touchstone::pdu::encode(response));
    if (reset) {
      // Linger 0: the fake target's close sends a reset instead of a FIN.
      const linger off{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, sizeof off);
    }
  });
  timing times;
  times.wait = 2000ms;
  session s(t->where(), times);
  const auto ec = s.connect();
  connected.set_value();
  REQUIRE_FALSE(ec);
  accepted_done.wait();  // so that the fake target's end cannot stop its accept
  t.reset();             // joins it: the response and the close were both sent
  const auto first = s.expect_pdu();
  REQUIRE(first.is(touchstone::pdu::opcode::logout_response));
  CHECK(first.received == response);
  const auto second = s.expect_close(times.wait);
  CHECK(second.what == observed::closed);
}

// A liveness probe (runner.cpp, target_answers) needs the Logout Response
// only: a target that answers and never closes must not cost it a wait.
TEST_CASE("logout: after_logout::leave returns at the response, await_close reads on for the close",
          "[conformance][engine][logout]") {
  const bool leave = GENERATE(true, false);
  CAPTURE(leave);
  std::promise<void> finished;
  auto test_done = finished.get_future();
  fake_target t([&](int fd) {
    std::uint8_t request[48];
    std::size_t got = 0;
    while (got < sizeof request) {
      const auto n = ::read(fd, request + got, sizeof request - got);
      if (n <= 0) return;
      got += static_cast<std::size_t>(n);
    }
    const std::uint32_t itt = (std::uint32_t{request[16]} << 24) | (std::uint32_t{request[17]} << 16) |
                              (std::uint32_t{request[18]} << 8) | request[19];
    send_all(fd, touchstone::pdu::encode(touchstone::pdu::logout_response_builder{}
                                             .initiator_task_tag(itt).stat_sn(0).exp_cmd_sn(1).max_cmd_sn(8)
                                             .build()));
    (void)test_done.wait_for(5s);  // and never closes while the test runs
  });
  timing times;
  times.wait = 300ms;
  session s(t.where(), times);
  REQUIRE_FALSE(s.connect());
  const auto out = logout(s, touchstone::pdu::logout_reason::close_session,
                          leave ? after_logout::leave : after_logout::await_close);
  finished.set_value();
  REQUIRE(out.response);
  if (leave) CHECK(out.last.is(touchstone::pdu::opcode::logout_response));
  else CHECK(out.last.what == observed::timeout);
}

TEST_CASE("a wrong header digest from the target is a stream error", "[conformance][engine]") {
  const auto nop_in = touchstone::pdu::nop_in_builder{}.initiator_task_tag(7).build();
  fake_target t([&](int fd) {
    auto bytes = touchstone::pdu::encode(nop_in, {true, false});
    bytes[48] ^= 1;
    send_all(fd, bytes);
    std::this_thread::sleep_for(300ms);
  });
  timing times;
  session s(t.where(), times);
  REQUIRE_FALSE(s.connect());
  touchstone::pdu::session_parameters p;
  p.header_digest = touchstone::pdu::digest_type::crc32c;
  s.enter_full_feature(p);
  const auto seen = s.expect_pdu();
  CHECK(seen.what == observed::stream_error);
  CHECK(seen.detail.find("header") != std::string::npos);
}

TEST_CASE("a NOP-In ping is answered with a NOP-Out copying TTT and LUN", "[conformance][engine]") {
  const auto ping = touchstone::pdu::nop_in_builder{}.target_transfer_tag(0x55).lun(0x0001000000000000).build();
  touchstone::pdu::pdu answer;
  fake_target t([&](int fd) {
    send_all(fd, touchstone::pdu::encode(ping));
    std::uint8_t buffer[48];
    std::size_t got = 0;
    while (got < 48) {
      const auto n = ::read(fd, buffer + got, 48 - got);
      if (n <= 0) return;
      got += static_cast<std::size_t>(n);
    }
    std::copy(buffer, buffer + 48, answer.bhs.begin());
  });
  timing times;
  times.wait = 300ms;
  session s(t.where(), times);
  REQUIRE_FALSE(s.connect());
  CHECK(s.expect_pdu().what != observed::pdu);  // the ping is answered, not returned
  std::this_thread::sleep_for(100ms);
  const touchstone::pdu::nop_out_view v(answer);
  CHECK(v.op() == touchstone::pdu::opcode::nop_out);
  CHECK(v.target_transfer_tag() == 0x55);
  CHECK(v.lun() == 0x0001000000000000);
  CHECK(v.initiator_task_tag() == touchstone::pdu::reserved_tag);
  CHECK(v.immediate());
}

TEST_CASE("connecting to a closed port is an error code", "[conformance][engine]") {
  timing times;
  times.wait = 500ms;
  session s({"127.0.0.1", 1}, times);
  CHECK(s.connect());
  CHECK(s.expect_pdu().what == observed::io_error);
}

namespace {
verdict hangs(case_context&) {
  std::this_thread::sleep_for(60s);
  return verdict::pass();
}
verdict crashes(case_context&) {
  std::abort();
}
verdict needs_chap(case_context&) { return verdict::pass(); }
}  // namespace

TEST_CASE("the runner: a hung case is an error, a crash is an error, unmet needs skip",
          "[conformance][runner]") {
  const registered_case hung{{.id = "t.hang", .title = "hangs", .citations = {}, .level = requirement_level::must, .tags = {}, .needs = {}}, &hangs, "", 0};
  const registered_case crash{{.id = "t.crash", .title = "crashes", .citations = {}, .level = requirement_level::must, .tags = {}, .needs = {}}, &crashes, "", 0};
  const registered_case chap{{.id = "t.chap", .title = "chap", .citations = {}, .level = requirement_level::must, .tags = {}, .needs = {need::chap}}, &needs_chap, "", 0};
  target_config target;
  run_options o;
  o.timeout = 300ms;
  auto r = run_case(hung, target, o);
  CHECK(r.outcome.kind == verdict_kind::error);
  CHECK(r.outcome.message.find("hard timeout") != std::string::npos);
  CHECK(r.seconds < 10);
  r = run_case(crash, target, o);
  CHECK(r.outcome.kind == verdict_kind::error);
  CHECK(r.outcome.message.find("crashed") != std::string::npos);
  r = run_case(chap, target, o);
  CHECK(r.outcome.kind == verdict_kind::skip);
  CHECK(r.outcome.message.find("CHAP") != std::string::npos);
  target.chap = chap_credentials{"u", "s", "", ""};
  CHECK(run_case(chap, target, o).outcome.kind == verdict_kind::pass);
}
