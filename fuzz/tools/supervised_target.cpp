// touchstone-fuzz's supervised set-up (supervised_target.hpp).
#include "supervised_target.hpp"

#include <csignal>
#include <iostream>

#include "campaign.hpp"

namespace touchstone::fuzz::tool {
namespace {

int set_up_error(const std::string& why) {
  std::cerr << "touchstone-fuzz: " << why << "\n";
  return exit_usage;
}

int start_command(const options& o, supervision& s, conformance::target_config& t, std::string& shown,
                  const target_maker& make) {
  command_spec spec;
  spec.command = o.target_cmd;
  spec.start_timeout = std::chrono::milliseconds{static_cast<long>(o.target_start_timeout * 1000)};
  if (!o.url.empty()) {
    if (!make(o.url, t, shown)) return exit_usage;
    spec.portal = t.portal;
  }
  // Ctrl-C while the command starts: the start gives up, the group is stopped.
  std::signal(SIGINT, [](int) { request_stop(); request_supervisor_stop(); });
  std::signal(SIGTERM, [](int) { request_stop(); request_supervisor_stop(); });
  s.command = std::make_unique<target_command>(spec);
  std::string url, why;
  if (!s.command->start(url, why)) return set_up_error("--target-cmd: " + why);
  if (o.url.empty() && !make(url, t, shown)) return exit_usage;
  shown += " (--target-cmd)";
  auto* live = &s.live;
  s.command->on_url = [make, live](const std::string& next, std::string& problem) {
    conformance::target_config config;
    std::string ignored;
    if (!make(next, config, ignored)) {
      problem = "the restarted target printed a URL that does not parse: " + next;
      return false;
    }
    if (*live) (*live)->config = config;
    return true;
  };
  return -1;
}

}  // namespace

target_supervisor* supervision::get() {
  if (command) return command.get();
  if (pid) return pid.get();
  return nullptr;
}

int start_supervision(const options& o, supervision& s, conformance::target_config& t, std::string& shown,
                      const target_maker& make) {
  if (!o.target_cmd.empty()) return start_command(o, s, t, shown, make);
  if (o.url.empty()) return set_up_error("--target-pid needs the target's URL");
  if (!make(o.url, t, shown)) return exit_usage;
  s.pid = std::make_unique<watched_pid>(o.target_pid, o.rss_limit);
  if (!s.pid->ok()) return set_up_error("--target-pid " + std::to_string(o.target_pid) + ": no such process");
  shown += " (--target-pid " + std::to_string(o.target_pid) + ")";
  return -1;
}

}  // namespace touchstone::fuzz::tool
