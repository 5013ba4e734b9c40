// Which send and read errors say the target ended the connection.
#include <catch2/catch.hpp>

#include <asio/error.hpp>
#include <system_error>

#include "touchstone/conformance/connection.hpp"

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
