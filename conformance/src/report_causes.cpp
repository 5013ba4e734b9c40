// Verdicts grouped by likely root cause: one broken service action or one
// violation a target repeats in every answer can give dozens of identical
// verdicts. The summary shows each shared cause once, with how many cases
// it reached; the per-case detail stays in the files.
#include <algorithm>
#include <cctype>
#include <map>

#include "touchstone/conformance/report.hpp"

namespace touchstone::conformance {

namespace {

// Numbers (tags, sequence numbers, lengths) differ between cases that meet
// the same fault: the key writes each run of digits, and of hex digits
// after "0x", as '#'.
std::string cause_key(std::string_view text) {
  std::string key;
  for (std::size_t i = 0; i < text.size();) {
    const bool hex = text.substr(i, 2) == "0x";
    if (hex || std::isdigit(static_cast<unsigned char>(text[i]))) {
      i += hex ? 2 : 0;
      while (i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i]))) ++i;
      key += '#';
    } else {
      key += text[i++];
    }
  }
  return key;
}

void add(std::map<std::string, cause_group>& groups, const std::string& what, std::string_view kind,
         std::string_view id) {
  auto& g = groups[std::string(kind) + '\n' + cause_key(what)];
  if (g.cases.empty()) {
    g.kind = std::string(kind);
    g.example = what;
  }
  g.cases.emplace_back(id);
}

// A skip for an option the run was not given (--destructive, CHAP, a
// second LUN) is a choice, not a cause.
bool unmet_need(const case_result& r) {
  if (r.outcome.kind != verdict_kind::skip) return false;
  const auto& needs = r.which->info.needs;
  return std::any_of(needs.begin(), needs.end(), [&](need n) { return r.outcome.message == missing_reason(n); });
}

}  // namespace

std::vector<cause_group> group_causes(const run_summary& s, std::size_t at_least) {
  std::map<std::string, cause_group> groups;
  for (const auto& r : s.results) {
    const auto id = r.which->info.id;
    if (r.outcome.kind != verdict_kind::pass && !r.outcome.message.empty() && !unmet_need(r))
      add(groups, r.outcome.message, name(r.outcome.kind), id);
    for (const auto& v : r.target_violations) add(groups, v, "violation", id);
  }
  std::vector<cause_group> out;
  for (auto& [key, g] : groups)
    if (g.cases.size() >= at_least) out.push_back(std::move(g));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.cases.size() > b.cases.size(); });
  return out;
}

void print_causes(std::ostream& out, const run_summary& s) {
  const auto groups = group_causes(s, 3);
  if (groups.empty()) return;
  out << "\nshared causes (a message or violation in 3 or more cases; each case's own in the reports):\n";
  for (const auto& g : groups) {
    out << "  " << g.cases.size() << " cases, " << g.kind << ": " << g.example << "\n    e.g. ";
    const auto shown = std::min<std::size_t>(g.cases.size(), 3);
    for (std::size_t i = 0; i < shown; ++i) out << (i ? ", " : "") << g.cases[i];
    if (g.cases.size() > shown) out << " and " << g.cases.size() - shown << " more";
    out << '\n';
  }
}

}  // namespace touchstone::conformance
