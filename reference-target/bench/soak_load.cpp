// touchstone-soak-load: the load of ci/soak against one iSCSI target, all at
// once for --seconds: verified I/O sessions, a latency probe, fresh-ISID
// logins, malformed floods and slow connections (soak_load.hpp). Every
// --interval seconds it prints one JSON line with what happened in that
// interval; ci/soak adds the target process's RSS, descriptors and CPU.
//
//   touchstone-soak-load --portal 127.0.0.1:3260 --iqn IQN --seconds 1800
//
// Exit: 0 when every verified read matched and no verified or probe command
// failed, 1 otherwise, 2 for usage errors or a target that cannot be used.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "soak_load.hpp"

namespace {

using namespace touchstone;
using conformance::clock;

std::atomic<bool> stop_requested{false};
extern "C" void on_signal(int) { stop_requested = true; }

bool parse_portal(const std::string& text, conformance::endpoint& where) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  where.host = text.substr(0, colon);
  unsigned port = 0;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc{} || end != last || port == 0 || port > 65535) return false;
  where.port = static_cast<std::uint16_t>(port);
  return !where.host.empty();
}

std::uint32_t percentile(std::vector<std::uint32_t>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// One interval's line: the counters' increments and the probe's latencies.
nlohmann::json interval_line(soak::counters& c, unsigned elapsed) {
  auto take = [](std::atomic<std::uint64_t>& a) { return a.exchange(0); };
  auto probes = c.take_probes();
  const auto worst = probes.empty() ? 0u : *std::max_element(probes.begin(), probes.end());
  return {{"t", elapsed},
          {"verified_ops", take(c.verified_ops)},
          {"mismatches", take(c.mismatches)},
          {"io_failures", take(c.io_failures)},
          {"logins", take(c.logins)},
          {"login_failures", take(c.login_failures)},
          {"malformed_sent", take(c.malformed_sent)},
          {"flood_closes", take(c.flood_closes)},
          {"slow_closes", take(c.slow_closes)},
          {"sessions_replaced", take(c.sessions_replaced)},
          {"probe_reads", probes.size()},
          {"probe_p50_ms", percentile(probes, 0.5) / 1000.0},
          {"probe_p99_ms", percentile(probes, 0.99) / 1000.0},
          {"probe_max_ms", worst / 1000.0}};
}

std::vector<std::thread> start_workers(soak::shared_state& st) {
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < st.opts.verified; ++i) threads.emplace_back(soak::run_verified, std::ref(st), i);
  for (unsigned i = 0; i < st.opts.flood; ++i) threads.emplace_back(soak::run_flood, std::ref(st), i);
  threads.emplace_back(soak::run_probe, std::ref(st));
  threads.emplace_back(soak::run_churn, std::ref(st));
  threads.emplace_back(soak::run_slow, std::ref(st));
  return threads;
}

// Reports every interval until --seconds pass or a signal asks to stop;
// returns the totals of mismatches and failed commands.
std::uint64_t report_until_done(soak::counters& c, const soak::options& o) {
  const auto start = clock::now();
  std::uint64_t bad = 0;
  for (unsigned elapsed = 0; elapsed < o.seconds && !stop_requested;) {
    const auto next = start + std::chrono::seconds(std::min(o.seconds, elapsed + o.interval));
    while (!stop_requested && clock::now() < next) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    elapsed = static_cast<unsigned>(std::chrono::duration_cast<std::chrono::seconds>(clock::now() - start).count());
    auto line = interval_line(c, elapsed);
    bad += line["mismatches"].get<std::uint64_t>() + line["io_failures"].get<std::uint64_t>();
    std::cout << line.dump() << std::endl;
  }
  return bad;
}

}  // namespace

int main(int argc, char** argv) {
  soak::options o;
  std::string portal;
  CLI::App app{"touchstone-soak-load: ci/soak's load against one iSCSI target"};
  app.add_option("--portal", portal, "HOST:PORT (an IP address)")->required();
  app.add_option("--iqn", o.iqn, "the target's name")->required();
  app.add_option("--seconds", o.seconds, "how long")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--interval", o.interval, "seconds between lines")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--verified", o.verified, "verified I/O sessions")->capture_default_str()->check(CLI::Range(0, 256));
  app.add_option("--blocks", o.blocks_per_worker, "4 KiB units each verified session owns")
      ->capture_default_str()->check(CLI::Range(1, 65536));
  app.add_option("--churn-rate", o.churn_rate, "fresh-ISID logins a second")->capture_default_str()->check(CLI::Range(0, 1000));
  app.add_option("--flood", o.flood, "malformed-PDU sessions")->capture_default_str()->check(CLI::Range(0, 64));
  app.add_option("--flood-rate", o.flood_rate, "malformed PDUs a second each")->capture_default_str()->check(CLI::Range(1, 10000));
  app.add_option("--slow", o.slow, "slow connections")->capture_default_str()->check(CLI::Range(0, 1024));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!parse_portal(portal, o.where)) {
    std::cerr << "touchstone-soak-load: --portal must be HOST:PORT\n";
    return 2;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  std::string why;
  soak::counters count;
  std::atomic<bool> stop{false};
  soak::shared_state st{o, count, stop};
  st.block_length = soak::read_block_length(o, why);
  if (st.block_length == 0) {
    std::cerr << "touchstone-soak-load: " << why << "\n";
    return 2;
  }
  auto threads = start_workers(st);
  const auto bad = report_until_done(count, o);
  stop = true;
  for (auto& t : threads) t.join();
  const auto late = count.mismatches.load() + count.io_failures.load();
  std::cout << nlohmann::json{{"done", true}, {"failures", bad + late}}.dump() << std::endl;
  return bad + late == 0 ? 0 : 1;
}
