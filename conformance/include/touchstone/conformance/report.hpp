// Reporters: the progress line of each case, the summary by tag and level,
// JUnit XML and JSON documents of a whole run.
#pragma once

#include <ostream>
#include <string>

#include "touchstone/conformance/profile.hpp"
#include "touchstone/conformance/runner.hpp"

namespace touchstone::conformance {

struct report_context {
  std::string target;  // the URL without secrets
  const target_profile* profile = nullptr;
};

// "[ PASS ] id — title (0.12 s)" and, for other verdicts, the message.
void print_progress(std::ostream& out, const case_result& r, const report_context& rc,
                    bool colour);

// Counts per verdict, by level and by tag; known/new departures; the stop.
void print_summary(std::ostream& out, const run_summary& s, const report_context& rc,
                   bool colour);

std::string junit_xml(const run_summary& s, const report_context& rc);
std::string json_report(const run_summary& s, const report_context& rc);

// XML text escaping (&, <, >, ", ' and control characters).
std::string xml_escape(std::string_view text);

// Whether the run has departures the profile does not know (the exit status).
bool has_new_departures(const run_summary& s, const target_profile* profile);

}  // namespace touchstone::conformance
