// touchstone-conform's options: their checks in words, the help's defaults,
// examples and exit codes, and the target_config they make.
#include "conform_options.hpp"

#include <iostream>

#include "touchstone/conformance/url.hpp"

namespace touchstone::conformance {

namespace {

// Seconds: more than 0 and at most a day (a bound written in words, not
// CLI11's "0 to 1.79e308" range).
CLI::Validator seconds_up_to_a_day() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v)) return "'" + text + "' is not a number of seconds";
        if (!(v > 0) || v > 86400) return "must be more than 0 and at most 86400 seconds (got " + text + ")";
        return {};
      },
      "SECONDS");
}

CLI::Validator lun_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        long v = -1;
        if (!CLI::detail::lexical_cast(text, v) || v < 0 || v > max_lun)
          return "a LUN is a number from 0 to " + std::to_string(max_lun) + " (got " + text + ")";
        return {};
      },
      "LUN");
}

const char* const help_footer = R"(Examples:
  touchstone-conform                                  the whole suite against the embedded reference target
  touchstone-conform iscsi://192.0.2.7/iqn.2024-01.com.example:disk/0 --writable --json results.json
  touchstone-conform --list --tag digests             the cases of one tag (--list-tags: every tag)

Before any case the target is checked (connect, log in, READ CAPACITY on the
LUN, log out); a target that fails the check ends the run with a message.

Exit status:
  0  every case passed or skipped (with --profile: departed only as it says)
  1  a case failed or errored (a departure the profile does not know), or the run stopped early
  2  a usage or set-up error: a bad option, URL or profile, a selection of no case,
     a target that failed the check, a report that could not be written
)";

void add_selection(CLI::App& app, cli_options& o) {
  app.add_flag("--list", o.list, "list the selected cases and exit");
  app.add_flag("--list-tags", o.list_tags, "list the tags of the selected cases, with counts, and exit");
  app.add_option("--only", o.chosen.only, "run only cases whose id matches GLOB (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--tag", o.chosen.tags, "run only cases with TAG (repeatable)")->allow_extra_args(false);
  app.add_option("--exclude", o.chosen.exclude, "leave out cases whose id matches GLOB (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--from", o.chosen.from,
                 "run the selected cases from case ID on, in run order (a run that stopped early names it)");
}

void add_grants(CLI::App& app, cli_options& o) {
  app.add_option("--mutual-chap", o.mutual_chap, "the target's CHAP USER%SECRET (mutual CHAP)");
  app.add_option("--discovery-chap", o.discovery_chap, "Discovery sessions authenticate with CHAP as USER%SECRET");
  app.add_option("--second-lun", o.second_lun, "a second LUN (0-16383) the cases may use")->check(lun_number());
  app.add_flag("--writable", o.writable, "the LUN may be written");
  app.add_flag("--destructive", o.destructive, "cases may end every session on the target (TARGET COLD RESET)");
  app.add_option("--initiator-name", o.initiator_name,
                 "the InitiatorName to log in with (default: " + target_config{}.initiator_name + ")");
}

void add_running(CLI::App& app, cli_options& o) {
  app.add_option("--timeout", o.timeout, "hard timeout per case, seconds (default: 30)")
      ->check(seconds_up_to_a_day());
  app.add_option("--wait", o.wait, "how long an expected answer is waited for, seconds (default: 3)")
      ->check(seconds_up_to_a_day());
  app.add_option("--jobs,-j", o.jobs,
                 "run up to N cases at once, 1-64 (default: 1; task management and resets run alone)")
      ->check(CLI::Range(1, 64));
  app.add_flag("--no-preflight", o.no_preflight, "run the cases even if the target fails the check before them");
  app.add_flag("--no-fork", o.no_fork, "run cases in this process (debugging)");
}

// The embedded target's mutants (reference-target's mutant.hpp, docs/mutants.md).
void add_mutants(CLI::App& app, cli_options& o) {
  app.add_option("--mutant", o.mutants,
                 "the embedded reference target breaks rule NAME on purpose (repeatable; no URL; "
                 "checks the suite: docs/mutants.md)")
      ->allow_extra_args(false);
  app.add_flag("--list-mutants", o.list_mutants, "list the mutants --mutant takes and exit");
}

void add_output(CLI::App& app, cli_options& o) {
  app.add_option("--junit", o.junit, "write a JUnit XML report to FILE");
  app.add_option("--json", o.json, "write a JSON report to FILE");
  app.add_option("--profile", o.profile, "known departures of this target (JSON)");
  app.add_option("--pcap-dir", o.pcap_dir, "write DIR/<case id>.pcap of each failing or error case");
  app.add_flag("--pcap-all", o.pcap_all, "with --pcap-dir: a pcap of every case that ran");
  app.add_option("--record", o.record_dir,
                 "write DIR/<case id>.json: each case's first connection as a touchstone-fuzz session program");
  app.add_flag("--quiet,-q", o.quiet, "no line for cases that pass");
  app.add_flag("--verbose,-v", o.verbose, "the summary counts every tag, not only those with something other than passes");
  app.add_flag("--no-colour,--no-color", o.no_colour, "no colour even on a terminal (never any off a terminal)");
}

// USER%SECRET into its halves; false without the '%'.
bool split_account(const std::string& text, std::string& user, std::string& secret) {
  const auto percent = text.find('%');
  if (percent == std::string::npos) return false;
  user = text.substr(0, percent);
  secret = text.substr(percent + 1);
  return true;
}

}  // namespace

void add_options(CLI::App& app, cli_options& o) {
  app.add_option("url", o.url,
                 "iscsi://[user[%secret]@]host[:port]/target-iqn/lun (port default: 3260); "
                 "none: the embedded reference target");
  add_selection(app, o);
  add_grants(app, o);
  add_running(app, o);
  add_mutants(app, o);
  add_output(app, o);
  app.footer(help_footer);
}

int parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is a "parse error" whose status is 0; every other one is a
    // usage error (CLI11 would exit 104-114).
    return app.exit(e) == 0 ? exit_passed : exit_usage;
  }
  return -1;
}

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
    chap_credentials mutual;
    if (!t.chap || !split_account(o.mutual_chap, mutual.target_user, mutual.target_secret)) {
      std::cerr << "touchstone-conform: --mutual-chap needs USER%SECRET and URL credentials\n";
      return false;
    }
    t.chap->target_user = mutual.target_user;
    t.chap->target_secret = mutual.target_secret;
  }
  if (!o.discovery_chap.empty()) {
    chap_credentials d;
    if (!split_account(o.discovery_chap, d.user, d.secret)) {
      std::cerr << "touchstone-conform: --discovery-chap needs USER%SECRET\n";
      return false;
    }
    t.discovery_chap = d;
  }
  if (o.second_lun >= 0) {
    if (o.second_lun == url->lun) {
      std::cerr << "touchstone-conform: --second-lun " << o.second_lun << " is the URL's LUN; give another\n";
      return false;
    }
    t.second_lun = static_cast<std::uint16_t>(o.second_lun);
  }
  t.writable = o.writable;
  t.destructive = o.destructive;
  if (!o.initiator_name.empty()) t.initiator_name = o.initiator_name;
  shown = display(*url);
  return true;
}

}  // namespace touchstone::conformance
