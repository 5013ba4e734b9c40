// Portal text as the configuration and --portal give it: host, port, the
// default port when none is named (parse_endpoint in transport_server.cpp).
#include <catch2/catch.hpp>

#include "touchstone/target/server.hpp"

using namespace touchstone::target;

//= rfc7143#section-15 type=test
//# Implementations needing a system TCP port number may use port 860, the port
//# assigned by IANA as the iSCSI system port; however, in order to use port
//# 860, it MUST be explicitly specified -- implementations MUST NOT default to
//# the use of port 860, as 3260 is the only allowed default.
TEST_CASE("endpoint: a portal without a port takes 3260, never 860", "[target][endpoint]") {
  const auto v4 = parse_endpoint("192.0.2.1");
  REQUIRE(v4);
  CHECK(v4->host == "192.0.2.1");
  CHECK(v4->port == 3260);
  const auto v6 = parse_endpoint("[::1]");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == 3260);
  CHECK(v6->portal() == "[::1]:3260");
}

TEST_CASE("endpoint: a named port is kept, 860 included", "[target][endpoint]") {
  const auto system_port = parse_endpoint("192.0.2.1:860");
  REQUIRE(system_port);
  CHECK(system_port->port == 860);
  const auto v6 = parse_endpoint("[2001:db8::1]:3261");
  REQUIRE(v6);
  CHECK(v6->host == "2001:db8::1");
  CHECK(v6->port == 3261);
  CHECK_FALSE(parse_endpoint("192.0.2.1:65536"));
  CHECK_FALSE(parse_endpoint("192.0.2.1:x"));
  CHECK_FALSE(parse_endpoint("[::1"));
}
