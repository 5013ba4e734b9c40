// Reporters: the progress line of each case, the summary by tag and level,
// JUnit XML and JSON documents of a whole run.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "touchstone/conformance/profile.hpp"
#include "touchstone/conformance/runner.hpp"

namespace touchstone::conformance {

struct report_context {
  std::string target;  // the URL without secrets
  const target_profile* profile = nullptr;
};

// How the console reporter writes: colour (a terminal only), PASS lines or
// not, every tag in the summary or only those with something but passes.
struct console_style {
  bool colour = false;
  bool quiet = false;         // no line for a case that passes
  bool verbose = false;       // the tag table lists tags with only passes too
  std::size_t id_width = 0;   // ids padded to this (longest_id of the run)
};

// "[ 57/291] [ FAIL ] id   0.25 s  rfc7143#section-6.2 NEW" (done of total;
// the clause on FAIL and ERROR lines), then the message and the capture.
void print_progress(std::ostream& out, const case_result& r, const report_context& rc,
                    const console_style& style, std::size_t done, std::size_t total);

// Counts per verdict, by level and by tag; known/new departures; then every
// departure (new first) with its clause; the stop, if the run stopped.
void print_summary(std::ostream& out, const run_summary& s, const report_context& rc,
                   const console_style& style);

// Verdicts by likely root cause: the cases whose verdict (fail, skip or
// error) has the same message, or whose answers broke the same rule, numbers
// aside (report_causes.cpp); skips for an option not given are left out. Kind is the verdict or "violation"; example
// the first case's text; the largest groups first.
struct cause_group {
  std::string kind;
  std::string example;
  std::vector<std::string> cases;
};
std::vector<cause_group> group_causes(const run_summary& s, std::size_t at_least);
// The groups of 3 or more cases, for the console summary.
void print_causes(std::ostream& out, const run_summary& s);

// The clause a departure is judged by: the profile's, else the citations.
std::string clause_of(const case_result& r, const report_context& rc);

// The longest id of the cases, for aligned columns.
std::size_t longest_id(const std::vector<const registered_case*>& cases);

// Cases the run never started ("not run": the target stopped answering)
// are skipped testcases in JUnit and "not run" entries in JSON, which also
// gets "resume_from", the first of them.
std::string junit_xml(const run_summary& s, const report_context& rc);
std::string json_report(const run_summary& s, const report_context& rc);
// "N case(s) not run; ... --from ID", or nothing when every case started.
std::string resume_hint(const run_summary& s);

// Whether a report can be written to path (its folder exists and is
// writable, it is not a folder), checked before a run; why not otherwise.
bool report_path_usable(const std::string& path, std::string& why);
// Writes a report whole; false and why when any of it could not be written.
bool write_report(const std::string& path, const std::string& text, std::string& why);

// XML text escaping (&, <, >, ", ' and control characters).
std::string xml_escape(std::string_view text);

// Whether the run has departures the profile does not know (the exit status).
bool has_new_departures(const run_summary& s, const target_profile* profile);

}  // namespace touchstone::conformance
