// touchstone-fuzz: a stateful network fuzzer for iSCSI targets.
//   touchstone-fuzz [iscsi://[user[%secret]@]host[:port]/iqn/lun] [options]
// Without a URL it fuzzes the embedded reference target in a forked child
// (touchstone-conform's own, conformance/tools/embedded_target.cpp).
// Exit status: 0 no finding, 1 findings, 2 usage or set-up error.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "../../conformance/tools/conform_options.hpp"
#include "../../conformance/tools/embedded_target.hpp"
#include "campaign.hpp"
#include "command_line.hpp"
#include "embedded_restart.hpp"
#include "fuzz_options.hpp"
#include "minimize.hpp"
#include "supervised_target.hpp"
#include "touchstone/conformance/preflight.hpp"

using namespace touchstone;
using namespace touchstone::fuzz::tool;
namespace fs = std::filesystem;

namespace {

// Set once in main: the command line finding.json records, and the restart
// of the embedded target or of the --target-cmd command (empty against a URL
// or --target-pid: nothing here restarts those).
std::string recorded_command_line;
std::function<bool()> restart_target;

supervision supervised;  // --target-cmd, --target-pid (supervised_target.hpp)

int usage_error(const std::string& why) {
  std::cerr << "touchstone-fuzz: " << why << "\n";
  return exit_usage;
}

// The target from the URL and the flags, through touchstone-conform's code.
bool make_target(const options& o, conformance::target_config& t, std::string& shown) {
  conformance::cli_options c;
  c.url = o.url;
  c.mutual_chap = o.mutual_chap;
  c.discovery_chap = o.discovery_chap;
  c.initiator_name = o.initiator_name;
  c.second_lun = o.second_lun;
  c.writable = o.writable;
  return conformance::make_target(c, t, shown);
}

bool ready(const conformance::target_config& t, const std::string& shown) {
  conformance::timing times;
  times.hard = conformance::clock::now() + std::chrono::seconds{30};
  const auto checked = conformance::preflight(t, times);
  if (!checked.ok) std::cerr << "touchstone-fuzz: the target is not ready, nothing was fuzzed (" << shown << "):\n  " << checked.problem << "\n";
  return checked.ok;
}

campaign_options make_campaign(const options& o, const std::string& shown) {
  campaign_options c;
  c.seed = o.seed;
  c.sessions = o.sessions;
  c.duration = conformance::milliseconds{static_cast<long>(o.minutes * 60000)};
  c.judge_every = o.judge_every;
  c.corpus_dir = o.corpus;
  c.findings_dir = o.findings.empty() ? fs::path("touchstone-fuzz-findings") : fs::path(o.findings);
  c.shown = shown;
  c.quiet = o.quiet;
  c.run.answer_wait = conformance::milliseconds{static_cast<long>(o.wait * 1000)};
  c.run.max_delay = conformance::milliseconds{o.replay.empty() ? o.max_delay : long{fuzz::max_delay_ms}};
  c.live.step_deadline = conformance::milliseconds{static_cast<long>(o.probe_wait * 1000)};
  c.command_line = recorded_command_line;
  c.minimise.options.budget = conformance::milliseconds{static_cast<long>(o.minimize_budget * 1000)};
  c.minimise.options.reproduce.run = c.run;
  c.minimise.options.reproduce.live = c.live;
  c.minimise.restart = restart_target;
  c.supervisor = supervised.get();
  c.jobs = o.jobs;
  fuzz::parse_phase(o.only_phase, c.only);
  if (o.strategy == "random-bhs") c.strat = campaign_options::strategy::random_bhs;
  c.adaptive_wait = !o.fixed_wait && o.replay.empty();
  if (o.writable) c.integrity_every = conformance::milliseconds{static_cast<long>(o.integrity_every * 1000)};
  c.multi_rate = o.multi_rate;
  return c;
}

bool write_graph(const fuzz::net::state_graph& g, const fs::path& dir) {
  std::ofstream dot(dir / "state-graph.dot"), json(dir / "state-graph.json");
  g.write_dot(dot);
  g.write_json(json);
  return dot.good() && json.good();
}

nlohmann::json report(const campaign_stats& s, const fuzz::net::state_graph& g, std::size_t corpus_size,
                      const campaign_options& c) {
  nlohmann::json by_kind = nlohmann::json::object();
  for (const auto& [k, n] : s.findings) by_kind[std::string(fuzz::net::name(k))] = n;
  nlohmann::json ends = nlohmann::json::object();
  for (const auto& [e, n] : s.ends) ends[std::string(fuzz::net::name(e))] = n;
  return {{"target", c.shown}, {"seed", c.seed}, {"sessions", s.sessions}, {"seconds", s.seconds},
          {"sessions_per_second", s.sessions / std::max(s.seconds, 1e-9)}, {"pdus", s.pdus},
          {"pdus_per_second", s.pdus / std::max(s.seconds, 1e-9)}, {"probes", s.probes},
          {"probe_seconds", s.probe_seconds}, {"shared_probes", s.shared_probes}, {"session_ends", ends}, {"logged_in", s.logged_in},
          {"silences", s.silences},
          {"transitions", g.distinct()}, {"corpus", corpus_size}, {"findings", by_kind},
          {"distinct_findings", s.distinct_findings}, {"unconfirmed", s.unconfirmed}, {"finding_dirs", s.finding_dirs},
          {"finding_list", finding_list_json(s.found)},
          {"crashed", s.crashed}, {"stopped", s.stop_reason}, {"restarts", s.restarts},
          {"jobs", c.jobs}, {"groups", s.groups}, {"group_seconds", s.group_seconds}, {"only_phase", std::string(fuzz::name(c.only))},
          {"strategy", c.strat == campaign_options::strategy::random_bhs ? "random-bhs" : "structured"},
          {"answer_wait_ms", s.answer_wait_ms}, {"answer_p99_us", s.answer_p99_us},
          {"session_seconds", s.session_seconds}, {"pick_seconds", s.pick_seconds},
          {"integrity_rounds", s.integrity_rounds}, {"integrity_blocks_checked", s.integrity_blocks},
          {"integrity_skipped", s.integrity_skipped}, {"integrity_note", s.integrity_note}};
}

void print_summary(const campaign_stats& s, const fuzz::net::state_graph& g, const campaign_options& c) {
  std::cout << "touchstone-fuzz: " << s.sessions << " sessions in " << s.seconds << " s against " << c.shown
            << " (stopped: " << s.stop_reason << ")\n  " << g.distinct() << " transitions, "
            << s.distinct_findings << " distinct finding(s)";
  if (s.unconfirmed) std::cout << ", " << s.unconfirmed << " unconfirmed stall(s)";
  if (s.distinct_findings || s.unconfirmed) std::cout << " in " << c.findings_dir.string();
  std::cout << "\n";
}

int fuzz_target(const options& o, const fuzz::net::run_target& t, const std::string& shown) {
  const auto c = make_campaign(o, shown);
  fuzz::tool::corpus programs;
  std::error_code ec;
  if (!o.corpus.empty()) {
    fs::create_directories(o.corpus, ec);
    if (ec) return usage_error("--corpus " + o.corpus + ": " + ec.message());
    std::vector<std::string> problems;
    programs.load(o.corpus, problems);
    for (const auto& p : problems) std::cerr << "touchstone-fuzz: skipped " << p << "\n";
  }
  const fs::path graph_dir = o.findings.empty() ? fs::path(".") : fs::path(o.findings);
  fs::create_directories(graph_dir, ec);
  if (ec) return usage_error("--findings " + o.findings + ": " + ec.message());
  fuzz::net::state_graph graph;
  const auto stats = run_campaign(t, programs, graph, c, std::cout);
  print_summary(stats, graph, c);
  if (stats.crashed) std::cout << "touchstone-fuzz: " << stats.stop_reason << "\n";
  if (!write_graph(graph, graph_dir)) return usage_error("cannot write the state graph into " + graph_dir.string());
  if (!o.json.empty()) {
    std::ofstream out(o.json);
    out << report(stats, graph, programs.size(), c).dump(2) << "\n";
    if (!out) return usage_error("cannot write " + o.json);
  }
  std::string why;
  if (!o.junit.empty() && !write_junit(o.junit, stats.found, "touchstone-fuzz " + shown, stats.seconds, why))
    return usage_error(why);
  return stats.findings.empty() ? exit_clean : exit_findings;
}

int replay_files(const options& o, const fuzz::net::run_target& t, const std::string& shown) {
  fuzz::net::state_graph graph;
  const auto results = replay(o.replay, t, graph, make_campaign(o, shown), std::cout);
  bool found = false;
  for (const auto& r : results) {
    if (!r.loaded) return exit_usage;
    found = found || !r.findings.empty();
  }
  return found ? exit_findings : exit_clean;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"touchstone-fuzz: a stateful network fuzzer for iSCSI targets"};
  options o;
  add_options(app, o);
  if (const int status = parse_command_line(app, argc, argv); status >= 0) return status;
  for (const auto& f : o.replay)
    if (!fs::is_regular_file(f)) return usage_error("--replay " + f + ": no such file");
  if (!o.minimize.empty() && !fs::is_regular_file(o.minimize))
    return usage_error("--minimize " + o.minimize + ": no such file");
  recorded_command_line = shown_command_line(argc, argv);
  if (o.jobs > 1 && (!o.target_cmd.empty() || o.target_pid))
    return usage_error("--jobs above 1 does not go with --target-cmd or --target-pid: a restart after one "
                       "job's crash would end the other jobs' sessions and look like crashes of their own");

  conformance::target_config target;
  std::string shown;
  std::unique_ptr<conformance::embedded_target> embedded;
  if (!o.target_cmd.empty() || o.target_pid) {
    const auto maker = [&o](const std::string& url, conformance::target_config& t, std::string& text) {
      auto with_url = o;
      with_url.url = url;
      return make_target(with_url, t, text);
    };
    if (const int status = start_supervision(o, supervised, target, shown, maker); status >= 0) return status;
  } else if (o.url.empty()) {
    std::string why;
    embedded = conformance::start_embedded_target(why);  // forks: before any thread
    if (!embedded) return usage_error(why);
    target = embedded->target();
    shown = "embedded reference target " + embedded->url();
  } else if (!make_target(o, target, shown)) {
    return exit_usage;
  }
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, [](int) { request_stop(); request_supervisor_stop(); });
  std::signal(SIGTERM, [](int) { request_stop(); request_supervisor_stop(); });
  if (!o.no_preflight && !ready(target, shown)) return exit_usage;
  fuzz::net::run_target run_on{target};  // what the restart re-points
  supervised.live = &run_on;
  // The embedded target restarts by forking again: only while this process
  // has one thread (--jobs 1), or the child could inherit a lock another
  // thread held.
  if (embedded && o.jobs == 1) {
    restart_target = embedded_restart(embedded, run_on, std::cerr);
  } else if (auto* command = supervised.command.get()) {
    restart_target = [command] {
      std::string why;
      return command->restart(why);
    };
  }
  if (!o.minimize.empty()) {
    auto settings = make_campaign(o, shown).minimise;
    if (o.minimize_trace) settings.options.reproduce.on_run = print_run_note(std::cout);
    settings.options.reproduce.fresh_target = o.minimize_fresh;
    // A supervised target's exit is a crash at once: no waiting out the probes' span.
    if (auto* command = supervised.command.get())
      settings.options.reproduce.live.gone = [command] { return command->exited().has_value(); };
    return minimize_file(o.minimize, o.out, run_on, settings, std::cout);
  }
  return o.replay.empty() ? fuzz_target(o, run_on, shown) : replay_files(o, run_on, shown);
}
