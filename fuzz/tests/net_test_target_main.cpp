// fuzz_test_target MODE [SECONDS]: the reference target behind the trigger
// proxy (net_test_target.hpp) as a program, for the shell tests of
// touchstone-fuzz (findings_tool.sh, integrity_tool.sh). MODE: none, crash,
// hang, stall, stall-once, depart, ping-depart or corrupt. Prints the proxy's URL on one
// line, then serves until SIGTERM, SIGINT or SECONDS (default 120) pass.
// Exit status: 0 served, 2 usage or set-up error.
#include <signal.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string_view>

#include "net_test_target.hpp"

using namespace touchstone::fuzz::net::test;

namespace {

bool parse_mode(std::string_view s, misbehaviour& m) {
  constexpr std::pair<std::string_view, misbehaviour> modes[] = {{"none", misbehaviour::none},
                                                                 {"crash", misbehaviour::crash},
                                                                 {"hang", misbehaviour::hang},
                                                                 {"stall", misbehaviour::stall},
                                                                 {"stall-once", misbehaviour::stall_once},
                                                                 {"depart", misbehaviour::depart},
                                                                 {"ping-depart", misbehaviour::ping_depart},
                                                                 {"corrupt", misbehaviour::corrupt}};
  for (const auto& [name, mode] : modes)
    if (s == name) return m = mode, true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  misbehaviour mode{};
  const long seconds = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 120;
  if (argc < 2 || argc > 3 || !parse_mode(argv[1], mode) || seconds <= 0 || seconds > 3600) {
    std::cerr << "usage: fuzz_test_target none|crash|hang|stall|stall-once|depart|ping-depart|corrupt [SECONDS]\n";
    return 2;
  }
  // Blocked before the proxy's and the target's threads start: only
  // sigtimedwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  try {
    proxied_target t(mode);
    const auto c = t.config();
    std::cout << "iscsi://127.0.0.1:" << c.portal.port << "/" << c.target_name << "/0" << std::endl;
    const timespec limit{seconds, 0};
    sigtimedwait(&stop, nullptr, &limit);
    t.proxy->stop();
    t.server->stop();
  } catch (const std::exception& e) {
    std::cerr << "fuzz_test_target: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
