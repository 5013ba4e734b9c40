// touchstone-open-sessions: logs N Normal sessions in to a target (one
// connection each, a distinct ISID per session) through the conformance
// engine, prints "logged-in N", and holds them until its stdin closes.
// ci/bench-target uses it to read the target's RSS with 100 sessions open.
//
//   touchstone-open-sessions HOST PORT TARGET_IQN COUNT
#include <charconv>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/conformance/login.hpp"
#include "touchstone/conformance/session.hpp"

namespace {

using namespace touchstone;

struct arguments {
  conformance::endpoint where;
  std::string iqn;
  unsigned count = 0;
};

bool parse_number(std::string_view text, unsigned& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

bool parse(int argc, char** argv, arguments& a) {
  if (argc != 5) return false;
  unsigned port = 0;
  a.where.host = argv[1];
  a.iqn = argv[3];
  if (!parse_number(argv[2], port) || port == 0 || port > 65535) return false;
  a.where.port = static_cast<std::uint16_t>(port);
  return parse_number(argv[4], a.count) && a.count > 0;
}

// One session: its own ISID (the qualifier part differs), AuthMethod None.
std::unique_ptr<conformance::session> open_one(const arguments& a, unsigned index,
                                               const conformance::timing& times,
                                               std::string& why) {
  auto s = std::make_unique<conformance::session>(a.where, times);
  s->answer_pings = true;
  if (const auto ec = s->connect()) {
    why = "connect: " + ec.message();
    return nullptr;
  }
  conformance::login_options o;
  o.initiator_name = "iqn.2024-01.org.touchstone:open-sessions";
  o.target_name = a.iqn;
  o.isid = 0x80'1234'0000'00ULL + index;
  const auto outcome = conformance::login(*s, o);
  if (!outcome.ok()) {
    why = outcome.summary();
    return nullptr;
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  arguments a;
  if (!parse(argc, argv, a)) {
    std::cerr << "usage: touchstone-open-sessions HOST PORT TARGET_IQN COUNT\n";
    return 2;
  }
  const conformance::timing times;
  std::vector<std::unique_ptr<conformance::session>> open;
  open.reserve(a.count);
  for (unsigned i = 0; i < a.count; ++i) {
    std::string why;
    auto s = open_one(a, i, times, why);
    if (!s) {
      std::cerr << "session " << i << " failed: " << why << "\n";
      return 1;
    }
    open.push_back(std::move(s));
  }
  std::cout << "logged-in " << open.size() << std::endl;
  // Hold every session until the caller closes our stdin.
  for (std::string line; std::getline(std::cin, line);) {
  }
  return 0;
}
