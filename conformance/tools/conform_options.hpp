// touchstone-conform's command line: the options, their checks, the help
// (defaults, examples, exit codes) and the target they describe.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "touchstone/conformance/selection.hpp"
#include "touchstone/conformance/target.hpp"

namespace touchstone::conformance {

// The exit status, documented in --help and docs/conformance.md.
enum exit_status : int {
  exit_passed = 0,      // every case passed or skipped (or departed as the profile knows)
  exit_departures = 1,  // a case failed or errored (a departure the profile does not know)
  exit_usage = 2,       // a usage or set-up error: nothing was judged, or a report is missing
};

// LUN numbers the engine addresses (SAM single-level: peripheral or flat).
inline constexpr int max_lun = 16383;

struct cli_options {
  std::string url;
  bool list = false, list_tags = false;
  selection chosen;
  double timeout = 30;
  double wait = 3;
  std::string junit, json, profile, mutual_chap, discovery_chap, initiator_name, pcap_dir, record_dir;
  int second_lun = -1;
  bool writable = false, no_fork = false, no_colour = false, pcap_all = false;
  bool destructive = false, no_preflight = false, quiet = false, verbose = false;
  int jobs = 1;
  std::vector<std::string> mutants;  // --mutant NAME: the embedded target breaks that rule
  bool list_mutants = false;
};

void add_options(CLI::App& app, cli_options& o);

// Parses argv: -1 to go on, else the status to exit with (0 after --help,
// exit_usage after any parse error, CLI11's message printed).
int parse_command_line(CLI::App& app, int argc, char** argv);

// The target from the URL and the flags; false (with a message) on errors.
bool make_target(const cli_options& o, target_config& t, std::string& shown);

}  // namespace touchstone::conformance
