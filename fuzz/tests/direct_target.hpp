// The embedded reference target reached directly (no proxy in between, so a
// test with digests or several connections talks to the target itself), with
// a 1 MiB LUN 0, for the fuzz_net_tests that run programs against it.
#pragma once

#include <catch2/catch.hpp>

#include <memory>

#include "touchstone/fuzz/net/executor.hpp"
#include "touchstone/target/embedded_server.hpp"

namespace touchstone::fuzz::net::testing {

struct direct_target {
  direct_target() {
    target::embedded_options o;
    o.lun_sizes = {1u << 20};
    auto started = target::embedded_server::start(o);
    REQUIRE(started);
    server = std::move(*started);
  }
  run_target config() const {
    run_target t;
    t.config.portal = {"127.0.0.1", server->port()};
    t.config.target_name = server->iqn();
    return t;
  }
  std::unique_ptr<target::embedded_server> server;
};

}  // namespace touchstone::fuzz::net::testing
