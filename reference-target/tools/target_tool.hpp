// The pieces of the touchstone-target binary: the serving command, the `ctl`
// client of the control socket, logging, and where control sockets live.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "touchstone/target/config_file.hpp"

namespace CLI {
class App;
}

namespace touchstone::target::tool {

// "$XDG_RUNTIME_DIR" or "/tmp": where default control sockets are made.
std::string runtime_dir();
// The default control socket of the instance whose first portal is host:port.
std::string default_control_path(const std::string& host, unsigned port);
// The control sockets of running (or crashed) instances in runtime_dir().
std::vector<std::string> control_sockets();

// --log-level: spdlog's names, and "warn" for its "warning" (the lines
// of that level say "warning").
inline constexpr const char* log_level_names = "trace, debug, info, warn (or warning), error, off";
bool set_up_logging(const std::string& level, const std::string& format);

struct ctl_options {
  std::string control;  // empty: the only socket in runtime_dir()
  bool json = false;    // print the raw result
  std::string verb;
  std::vector<std::string> args;  // key=value ..., or one JSON object
};
int run_ctl(const ctl_options& o);

// --mutant NAME (repeatable) and --list-mutants (target_mutants.cpp).
void add_mutant_options(CLI::App& app, std::vector<std::string>& names);
// The named mutants on every target of `c` (set again on each reload); an
// unknown name, or any name in a build without mutants, is a usage error.
std::optional<config_error> apply_mutants(const std::vector<std::string>& names, instance_config& c);

}  // namespace touchstone::target::tool
