// touchstone-conform: runs the RFC 7143 conformance cases against a target.
//   touchstone-conform iscsi://[user[%secret]@]host[:port]/iqn/lun [options]
//   touchstone-conform [options]   (the embedded reference target)
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "embedded_target.hpp"
#include "touchstone/conformance/report.hpp"
#include "touchstone/conformance/selection.hpp"
#include "touchstone/conformance/url.hpp"

using namespace touchstone::conformance;

namespace {

struct cli_options {
  std::string url;
  bool list = false;
  selection chosen;
  double timeout = 30;
  double wait = 3;
  std::string junit, json, profile, mutual_chap, discovery_chap, initiator_name, pcap_dir;
  int second_lun = -1;
  bool writable = false, erl1 = false, no_fork = false, no_colour = false, pcap_all = false;
  bool destructive = false;
  int jobs = 1;
};

void add_options(CLI::App& app, cli_options& o) {
  app.add_option("url", o.url,
                 "iscsi://[user[%secret]@]host[:port]/target-iqn/lun; none: the embedded reference target");
  app.add_flag("--list", o.list, "list the selected cases and exit");
  app.add_option("--only", o.chosen.only, "run only cases whose id matches GLOB (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--tag", o.chosen.tags, "run only cases with TAG (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--exclude", o.chosen.exclude, "leave out cases whose id matches GLOB")
      ->allow_extra_args(false);
  app.add_option("--timeout", o.timeout, "hard timeout per case, seconds")->check(CLI::PositiveNumber);
  app.add_option("--wait", o.wait, "how long an expected answer is waited for, seconds")
      ->check(CLI::PositiveNumber);
  app.add_option("--junit", o.junit, "write a JUnit XML report to FILE");
  app.add_option("--json", o.json, "write a JSON report to FILE");
  app.add_option("--profile", o.profile, "known departures of this target (JSON)");
  app.add_option("--pcap-dir", o.pcap_dir, "write DIR/<case id>.pcap of each failing or error case");
  app.add_flag("--pcap-all", o.pcap_all, "with --pcap-dir: a pcap of every case that ran");
  app.add_option("--mutual-chap", o.mutual_chap, "the target's CHAP USER%SECRET (mutual CHAP)");
  app.add_option("--discovery-chap", o.discovery_chap,
                 "Discovery sessions authenticate with CHAP as USER%SECRET");
  app.add_option("--second-lun", o.second_lun, "a second LUN the cases may use");
  app.add_flag("--writable", o.writable, "the LUN may be written");
  app.add_flag("--erl1", o.erl1, "the target negotiates ErrorRecoveryLevel>=1");
  app.add_flag("--destructive", o.destructive, "cases may end every session on the target (TARGET COLD RESET)");
  app.add_option("--jobs,-j", o.jobs, "run up to N cases at once (task management and resets run alone)")
      ->check(CLI::Range(1, 64));
  app.add_option("--initiator-name", o.initiator_name, "the InitiatorName to log in with");
  app.add_flag("--no-fork", o.no_fork, "run cases in this process (debugging)");
  app.add_flag("--no-colour,--no-color", o.no_colour, "no colour even on a terminal");
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

int list_cases(const std::vector<const registered_case*>& cases) {
  for (const auto* c : cases) {
    std::cout << c->info.id << "  [" << name(c->info.level) << "]";
    for (const auto tag : c->info.tags) std::cout << " #" << tag;
    std::cout << "\n    " << c->info.title << "\n";
    for (const auto cite : c->info.citations) std::cout << "    " << cite << "\n";
  }
  std::cout << cases.size() << " case(s)\n";
  return 0;
}

// The target from the URL and the flags; false (with a message) on errors.
bool make_target(const cli_options& o, target_config& t, std::string& shown) {
  auto url = parse_target_url(o.url);
  if (!url) {
    std::cerr << "touchstone-conform: " << url.error() << "\n";
    return false;
  }
  t.portal = {url->host, url->port};
  t.target_name = url->target_name;
  t.lun = url->lun;
  if (!url->user.empty()) t.chap = chap_credentials{url->user, url->secret, url->target_user, url->target_password};
  if (!o.mutual_chap.empty()) {
    const auto percent = o.mutual_chap.find('%');
    if (!t.chap || percent == std::string::npos) {
      std::cerr << "touchstone-conform: --mutual-chap needs USER%SECRET and URL credentials\n";
      return false;
    }
    t.chap->target_user = o.mutual_chap.substr(0, percent);
    t.chap->target_secret = o.mutual_chap.substr(percent + 1);
  }
  if (!o.discovery_chap.empty()) {
    const auto percent = o.discovery_chap.find('%');
    if (percent == std::string::npos) {
      std::cerr << "touchstone-conform: --discovery-chap needs USER%SECRET\n";
      return false;
    }
    t.discovery_chap = chap_credentials{o.discovery_chap.substr(0, percent), o.discovery_chap.substr(percent + 1), {}, {}};
  }
  if (o.second_lun >= 0) t.second_lun = static_cast<std::uint16_t>(o.second_lun);
  t.writable = o.writable;
  t.erl1 = o.erl1;
  t.destructive = o.destructive;
  if (!o.initiator_name.empty()) t.initiator_name = o.initiator_name;
  shown = display(*url);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"touchstone-conform: RFC 7143 conformance cases against an iSCSI target"};
  cli_options o;
  add_options(app, o);
  CLI11_PARSE(app, argc, argv);

  for (const auto& id : duplicate_case_ids()) std::cerr << "warning: case id registered twice: " << id << "\n";
  const auto cases = select_cases(all_cases(), o.chosen);
  if (o.list) return list_cases(cases);

  target_config target;
  std::string shown;
  std::unique_ptr<embedded_target> embedded;
  if (o.url.empty()) {
    std::string why;
    embedded = start_embedded_target(why);
    if (!embedded) {
      std::cerr << "touchstone-conform: " << why << "\n";
      return 2;
    }
    target = embedded->target();
    shown = "embedded reference target " + embedded->url();
    target.destructive = o.destructive;
  } else if (!make_target(o, target, shown)) {
    return 2;
  }

  target_profile profile;
  const target_profile* known = nullptr;
  if (!o.profile.empty()) {
    std::string text;
    if (!read_file(o.profile, text)) {
      std::cerr << "touchstone-conform: cannot read " << o.profile << "\n";
      return 2;
    }
    auto parsed = parse_profile(text);
    if (!parsed) {
      std::cerr << "touchstone-conform: " << o.profile << ": " << parsed.error() << "\n";
      return 2;
    }
    profile = std::move(*parsed);
    known = &profile;
  }

  run_options options;
  options.timeout = milliseconds{static_cast<long>(o.timeout * 1000)};
  options.wait = milliseconds{static_cast<long>(o.wait * 1000)};
  options.isolate = !o.no_fork;
  options.jobs = o.jobs;
  if (!o.pcap_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.pcap_dir, ec);
    if (ec) {
      std::cerr << "touchstone-conform: --pcap-dir " << o.pcap_dir << ": " << ec.message() << "\n";
      return 2;
    }
    options.pcap_dir = o.pcap_dir;
    options.pcap_all = o.pcap_all;
  }
  const report_context rc{shown, known};
  const bool colour = !o.no_colour && ::isatty(STDOUT_FILENO);
  run_events events;
  events.finished = [&](const case_result& r, std::size_t, std::size_t) {
    print_progress(std::cout, r, rc, colour);
    std::cout.flush();
  };
  const auto summary = run_cases(cases, target, options, events);
  print_summary(std::cout, summary, rc, colour);
  if (!o.junit.empty() && !write_file(o.junit, junit_xml(summary, rc)))
    std::cerr << "touchstone-conform: cannot write " << o.junit << "\n";
  if (!o.json.empty() && !write_file(o.json, json_report(summary, rc)))
    std::cerr << "touchstone-conform: cannot write " << o.json << "\n";
  return has_new_departures(summary, known) ? 1 : 0;
}
