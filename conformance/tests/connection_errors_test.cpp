// Which send and read errors say the target ended the connection.
#include <catch2/catch.hpp>

#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <vector>
#include <system_error>

#include "touchstone/conformance/connection.hpp"
#include "touchstone/conformance/session.hpp"

using touchstone::conformance::ended_by_target;

TEST_CASE("ended_by_target: a reset, a broken pipe or end of stream, compared as asio codes",
          "[conformance][connection]") {
  CHECK(ended_by_target(asio::error::connection_reset));
  CHECK(ended_by_target(asio::error::broken_pipe));
  CHECK(ended_by_target(asio::error::eof));
  CHECK_FALSE(ended_by_target(asio::error::timed_out));
  CHECK_FALSE(ended_by_target(asio::error::not_connected));
  CHECK_FALSE(ended_by_target(std::error_code{}));
  // Why the helper exists: asio 1.22's system codes do not compare equal to
  // std::errc (a case said ERROR for a broken pipe it meant to catch).
  CHECK_FALSE(std::error_code(asio::error::broken_pipe) == std::errc::broken_pipe);
}

TEST_CASE("session::send: a target that reset the connection has answered, the case reads the close",
          "[conformance][connection]") {
  using namespace touchstone::conformance;
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const timing times{.wait = milliseconds(2000), .silence = milliseconds(200)};
  session s({"127.0.0.1", acceptor.local_endpoint().port()}, times);
  REQUIRE_FALSE(s.connect());
  {
    // The target accepts and resets at once (SO_LINGER 0), as istgt does on
    // a command it did not expect.
    asio::ip::tcp::socket peer(io);
    acceptor.accept(peer);
    peer.set_option(asio::socket_base::linger(true, 0));
    peer.close();
  }
  // Writes into a reset connection fail with a reset or a broken pipe; none
  // of them is an error of ours. Bounded: 64 writes of 64 KiB.
  const std::vector<std::uint8_t> bytes(64 * 1024, 0);
  for (int i = 0; i < 64; ++i) {
    INFO("write " << i);
    REQUIRE_FALSE(s.send_bytes(bytes));
  }
  const auto seen = s.next(clock::now() + milliseconds(2000));
  CHECK(seen.what == observed::closed);
}
