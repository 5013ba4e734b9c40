// The preflight against the reference target in this process: a good target
// passes; an unknown target name, a target that requires CHAP, an initiator
// the target does not allow, a LUN it does not have and a port nothing
// listens on each stop the run with a message that says what to do.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "touchstone/conformance/preflight.hpp"
#include "touchstone/target/embedded_server.hpp"

using namespace touchstone::conformance;
using namespace std::chrono_literals;
namespace target = touchstone::target;

namespace {

std::unique_ptr<target::embedded_server> serve(target::embedded_options o = {}) {
  o.lun_sizes = {1 << 20, 1 << 20};  // LUNs 0 and 1
  auto started = target::embedded_server::start(o);
  REQUIRE(started);
  return std::move(*started);
}

target_config config_for(const target::embedded_server& s) {
  target_config t;
  t.portal = {s.host(), s.port()};
  t.target_name = s.iqn();
  return t;
}

timing short_times() {
  timing t;
  t.wait = 2s;
  t.hard = clock::now() + 10s;
  return t;
}

// A loopback port that was free a moment ago and has no listener.
std::uint16_t refused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool says(const preflight_outcome& o, std::string_view text) {
  INFO(o.problem);
  return o.problem.find(text) != std::string::npos;
}

// The preflight fails, and its message holds every one of `texts`.
void check_refused(const target_config& t, std::initializer_list<std::string_view> texts) {
  const auto o = preflight(t, short_times());
  CHECK_FALSE(o.ok);
  for (const auto text : texts) CHECK(says(o, text));
}

}  // namespace

TEST_CASE("preflight: a good target passes (LUN 0, and a second LUN)", "[conformance][preflight]") {
  auto server = serve();
  auto t = config_for(*server);
  const auto plain = preflight(t, short_times());
  INFO(plain.problem);
  CHECK(plain.ok);
  t.second_lun = 1;
  CHECK(preflight(t, short_times()).ok);
}

//= rfc7143#section-11.13.5 type=test
//# The requested ITN does not
//# ... exist at this address.
TEST_CASE("preflight: an unknown target name says so and how to list the targets", "[conformance][preflight]") {
  auto server = serve();
  auto t = config_for(*server);
  t.target_name = "iqn.2024-01.org.touchstone:no-such-target";
  const auto o = preflight(t, short_times());
  CHECK_FALSE(o.ok);
  CHECK(says(o, "no target named iqn.2024-01.org.touchstone:no-such-target"));
  CHECK(says(o, "iscsi-ls -s iscsi://127.0.0.1:" + std::to_string(server->port())));
}

//= rfc7143#section-11.13.5 type=test
//# The initiator could not be
//# ... successfully authenticated or target
TEST_CASE("preflight: a target that requires CHAP asks for user%secret in the URL", "[conformance][preflight]") {
  target::embedded_options o;
  o.chap = target::chap_account{"conform", "a-secret-of-16-chars"};
  auto server = serve(o);
  auto t = config_for(*server);
  check_refused(t, {"requires CHAP", "user%secret@"});
  t.chap = chap_credentials{"conform", "not-the-right-secret", {}, {}};
  check_refused(t, {"CHAP authentication as conform"});
  t.chap->secret = "a-secret-of-16-chars";
  CHECK(preflight(t, short_times()).ok);
}

//= rfc7143#section-11.13.5 type=test
//# The initiator is not allowed access
//# ... to the given target.
TEST_CASE("preflight: an initiator the target does not allow is told to give an allowed name",
          "[conformance][preflight]") {
  target::embedded_options o;
  o.allowed_initiators = {"iqn.2024-01.org.example:allowed"};
  auto server = serve(o);
  auto t = config_for(*server);
  check_refused(t, {"the initiator iqn.2024-01.org.touchstone:conform is not allowed to log in", "0202",
                    "--initiator-name"});
  t.initiator_name = "iqn.2024-01.org.example:allowed";
  const auto allowed = preflight(t, short_times());
  INFO(allowed.problem);
  CHECK(allowed.ok);
}

TEST_CASE("preflight: a LUN the target does not have is named, with the LUNs it has", "[conformance][preflight]") {
  auto server = serve();
  auto t = config_for(*server);
  t.lun = 5;
  const auto o = preflight(t, short_times());
  CHECK_FALSE(o.ok);
  CHECK(says(o, "has no LUN 5"));
  CHECK(says(o, "REPORT LUNS lists: 0 1"));
  t.lun = 0;
  t.second_lun = 9;
  const auto second = preflight(t, short_times());
  CHECK_FALSE(second.ok);
  CHECK(says(second, "has no LUN 9"));
}

TEST_CASE("preflight: a port nothing listens on is a refused connection", "[conformance][preflight]") {
  target_config t;
  t.portal = {"127.0.0.1", refused_port()};
  t.target_name = "iqn.2024-01.org.touchstone:none";
  const auto o = preflight(t, short_times());
  CHECK_FALSE(o.ok);
  CHECK(says(o, "connection refused"));
}

TEST_CASE("preflight: a listener that never answers the login is named as such", "[conformance][preflight]") {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(fd, 4) == 0);  // the kernel accepts; nobody reads
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  target_config t;
  t.portal = {"127.0.0.1", ntohs(a.sin_port)};
  t.target_name = "iqn.2024-01.org.touchstone:silent";
  auto times = short_times();
  times.wait = 300ms;
  const auto o = preflight(t, times);
  ::close(fd);
  CHECK_FALSE(o.ok);
  CHECK(says(o, "did not answer the login"));
}
