// touchstone-fuzz's supervised set-up: --target-cmd started (the target from
// the URL it printed, or the one given once its portal opens) or
// --target-pid attached, and the campaign's target kept up to date when a
// restart brings the target back on another URL.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "fuzz_options.hpp"
#include "supervisor.hpp"
#include "touchstone/fuzz/net/executor.hpp"

namespace touchstone::fuzz::tool {

// A URL into the target the run uses, with its text for reports; false after
// saying why on stderr.
using target_maker = std::function<bool(const std::string& url, conformance::target_config&, std::string& shown)>;

struct supervision {
  std::unique_ptr<target_command> command;
  std::unique_ptr<watched_pid> pid;
  net::run_target* live = nullptr;  // the campaign's target: a restart updates it

  target_supervisor* get();
};

// Starts or attaches; -1 to go on with `t` and `shown` set, else the exit status.
int start_supervision(const options& o, supervision& s, conformance::target_config& t, std::string& shown,
                      const target_maker& make);

}  // namespace touchstone::fuzz::tool
