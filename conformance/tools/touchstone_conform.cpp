// touchstone-conform: runs the RFC 7143 conformance cases against a target.
//   touchstone-conform iscsi://[user[%secret]@]host[:port]/iqn/lun [options]
//   touchstone-conform [options]   (the embedded reference target)
// Exit status: 0 passed, 1 departures, 2 usage or set-up error (exit_status).
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "conform_options.hpp"
#include "embedded_target.hpp"
#include "record_programs.hpp"
#include "touchstone/conformance/preflight.hpp"
#include "touchstone/conformance/recovery_probe.hpp"
#include "touchstone/conformance/report.hpp"
#include "touchstone/target/mutant.hpp"

using namespace touchstone::conformance;

namespace {

void complain(const std::string& why) { std::cerr << "touchstone-conform: " << why << "\n"; }

int usage_error(const std::string& why) {
  complain(why);
  return exit_usage;
}

int list_cases(const std::vector<const registered_case*>& cases) {
  for (const auto* c : cases) {
    std::cout << c->info.id << "  [" << name(c->info.level) << "]";
    for (const auto tag : c->info.tags) std::cout << " #" << tag;
    std::cout << "\n    " << c->info.title << "\n";
    for (const auto cite : c->info.citations) std::cout << "    " << cite << "\n";
  }
  std::cout << cases.size() << " case(s)\n";
  return exit_passed;
}

int list_tags(const std::vector<const registered_case*>& cases) {
  std::map<std::string_view, std::size_t> counts;
  std::size_t width = 0;
  for (const auto* c : cases)
    for (const auto tag : c->info.tags) {
      ++counts[tag];
      width = std::max(width, tag.size());
    }
  for (const auto& [tag, n] : counts) std::cout << tag << std::string(width + 2 - tag.size(), ' ') << n << "\n";
  std::cout << counts.size() << " tag(s) over " << cases.size() << " case(s)\n";
  return exit_passed;
}

// The profile of --profile; false (the message printed) when it cannot be
// read, is not a profile, or names a case that does not exist.
bool load_profile(const std::string& path, target_profile& profile) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    complain("cannot read the profile " + path);
    return false;
  }
  auto parsed = parse_profile(text.str());
  if (!parsed) {
    complain(path + ": " + parsed.error());
    return false;
  }
  const auto unknown = unknown_case_ids(*parsed);
  for (const auto& id : unknown) complain(path + " names a case that does not exist: " + id);
  if (!unknown.empty()) {
    complain("see touchstone-conform --list for the case ids");
    return false;
  }
  profile = std::move(*parsed);
  return true;
}

bool reports_usable(const cli_options& o) {
  std::string why;
  for (const auto* path : {&o.json, &o.junit})
    if (!path->empty() && !report_path_usable(*path, why)) {
      complain(why);
      return false;
    }
  return true;
}

bool writes_reports(const cli_options& o, const run_summary& summary, const report_context& rc) {
  bool all = true;
  const auto write = [&](const std::string& path, const std::string& text) {
    std::string why;
    if (path.empty() || write_report(path, text, why)) return;
    complain(why);
    all = false;
  };
  write(o.junit, junit_xml(summary, rc));
  write(o.json, json_report(summary, rc));
  return all;
}

run_options make_run_options(const cli_options& o) {
  run_options options;
  options.timeout = milliseconds{static_cast<long>(o.timeout * 1000)};
  options.wait = milliseconds{static_cast<long>(o.wait * 1000)};
  options.isolate = !o.no_fork;
  options.jobs = o.jobs;
  options.pcap_dir = o.pcap_dir;
  options.pcap_all = o.pcap_all;
  if (!o.record_dir.empty()) options.record = program_recorder(o.record_dir);
  return options;
}

timing times_of(const run_options& options) {
  timing times;
  times.wait = options.wait;
  times.hard = clock::now() + options.timeout;
  return times;
}

bool passes_preflight(const target_config& target, const run_options& options, const std::string& shown) {
  const auto checked = preflight(target, times_of(options));
  if (!checked.ok)
    complain("the target is not ready, no case was run (" + shown + "):\n  " + checked.problem);
  return checked.ok;
}

// Whether a selected case needs what only the recovery probe can tell.
bool wants_recovery_probe(const std::vector<const registered_case*>& cases) {
  return std::any_of(cases.begin(), cases.end(),
                     [](const registered_case* c) { return needs_recovery_probe(c->info.needs); });
}

// " with mutants a, b" for the report's target line, or "".
std::string mutants_shown(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? " with mutants " : ", ") + n;
  return text;
}

int run(const cli_options& o, const std::vector<const registered_case*>& cases, const target_profile* known,
        const touchstone::target::mutant_set& mutants) {
  target_config target;
  std::string shown;
  std::unique_ptr<embedded_target> embedded;
  if (o.url.empty()) {
    std::string why;
    embedded = start_embedded_target(why, mutants);
    if (!embedded) return usage_error(why);
    target = embedded->target();
    shown = "embedded reference target " + embedded->url() + mutants_shown(o.mutants);
    target.destructive = o.destructive;
  } else if (!make_target(o, target, shown)) {
    return exit_usage;
  }
  const auto options = make_run_options(o);
  if (!o.pcap_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.pcap_dir, ec);
    if (ec) return usage_error("--pcap-dir " + o.pcap_dir + ": " + ec.message());
  }
  if (!o.record_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.record_dir, ec);
    if (ec) return usage_error("--record " + o.record_dir + ": " + ec.message());
  }
  if (!o.no_preflight && !passes_preflight(target, options, shown)) return exit_usage;
  if (wants_recovery_probe(cases)) target.recovery = probe_recovery(target, times_of(options));
  const report_context rc{shown, known};
  const console_style style{!o.no_colour && ::isatty(STDOUT_FILENO), o.quiet, o.verbose, longest_id(cases)};
  std::size_t done = 0;
  run_events events;
  events.finished = [&](const case_result& r, std::size_t, std::size_t total) {
    print_progress(std::cout, r, rc, style, ++done, total);
    std::cout.flush();
    if (!r.record_note.empty()) std::cerr << "touchstone-conform: --record: " << r.record_note << "\n";
  };
  const auto summary = run_cases(cases, target, options, events);
  print_summary(std::cout, summary, rc, style);
  if (!writes_reports(o, summary, rc)) return exit_usage;
  return has_new_departures(summary, known) ? exit_departures : exit_passed;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"touchstone-conform: RFC 7143 conformance cases against an iSCSI target"};
  cli_options o;
  add_options(app, o);
  if (const int status = parse_command_line(app, argc, argv); status >= 0) return status;
  if (o.list_mutants) {
    std::cout << touchstone::target::mutant_listing();
    return exit_passed;
  }
  const auto mutants = touchstone::target::parse_mutants(o.mutants);
  if (!mutants) return usage_error("--mutant: " + mutants.error());
  if (!o.mutants.empty() && !o.url.empty())
    return usage_error("--mutant breaks the embedded reference target: give no URL");

  for (const auto& id : duplicate_case_ids()) std::cerr << "warning: case id registered twice: " << id << "\n";
  if (from_unknown(all_cases(), o.chosen))
    return usage_error("--from " + o.chosen.from + ": no selected case has that id (--list lists them)");
  const auto cases = select_cases(all_cases(), o.chosen);
  if (cases.empty())
    return usage_error("no case matches " + describe(o.chosen) + " (--list-tags lists the tags, --list the ids)");
  if (o.list_tags) return list_tags(cases);
  if (o.list) return list_cases(cases);

  target_profile profile;
  if (!o.profile.empty() && !load_profile(o.profile, profile)) return exit_usage;
  if (!reports_usable(o)) return exit_usage;
  return run(o, cases, o.profile.empty() ? nullptr : &profile, *mutants);
}
