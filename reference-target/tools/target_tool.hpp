// The pieces of the touchstone-target binary: the serving command, the `ctl`
// client of the control socket, logging, and where control sockets live.
#pragma once

#include <string>
#include <vector>

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

}  // namespace touchstone::target::tool
