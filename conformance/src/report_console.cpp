// The console reporter, for people: a numbered line per case with its clause
// when it departs, a summary by level and by tag, and at the end the list of
// departures (what someone fixing the target reads first). Plain lines, no
// cursor movement; colour only when the caller says (a terminal).
#include <algorithm>
#include <cstdio>
#include <map>

#include "touchstone/conformance/report.hpp"

namespace touchstone::conformance {

namespace {

const char* colour_of(verdict_kind k) {
  switch (k) {
    case verdict_kind::pass: return "\033[32m";
    case verdict_kind::fail: return "\033[31m";
    case verdict_kind::skip: return "\033[33m";
    case verdict_kind::error: return "\033[35m";
  }
  return "";
}

std::string label(verdict_kind k) {
  switch (k) {
    case verdict_kind::pass: return " PASS ";
    case verdict_kind::fail: return " FAIL ";
    case verdict_kind::skip: return " SKIP ";
    case verdict_kind::error: return "ERROR ";
  }
  return "  ?   ";
}

std::string painted(const std::string& text, const char* colour, bool on) {
  return on ? colour + text + "\033[0m" : text;
}

std::string padded(std::string_view text, std::size_t width) {
  std::string s(text);
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

bool departs(verdict_kind k) { return k == verdict_kind::fail || k == verdict_kind::error; }

struct counts {
  std::size_t by_kind[4] = {};
  void add(verdict_kind k) { ++by_kind[static_cast<int>(k)]; }
  bool only_passes() const { return by_kind[1] + by_kind[2] + by_kind[3] == 0; }
  std::string line() const {
    char text[96];
    std::snprintf(text, sizeof text, "%4zu pass %4zu fail %4zu skip %4zu error", by_kind[0], by_kind[1],
                  by_kind[2], by_kind[3]);
    return text;
  }
};

// " known", " NEW", " resolved: ..." after a case's id.
std::string departure_mark(departure d, const report_context& rc) {
  if (d == departure::known) return " known";
  if (d == departure::fresh && rc.profile) return " NEW";
  if (d == departure::resolved) return " resolved: the profile expects a departure";
  return {};
}

void print_table(std::ostream& out, const std::map<std::string, counts>& rows, std::size_t hidden,
                 std::string_view title) {
  std::size_t width = 6;
  for (const auto& [name, c] : rows) width = std::max(width, name.size());
  out << "  " << title << ":";
  if (hidden > 0) out << " (" << hidden << " with only passes not shown; --verbose shows them)";
  out << '\n';
  for (const auto& [name, c] : rows) out << "    " << padded(name, width + 2) << c.line() << '\n';
}

// Departures new to the profile first, then known ones, then resolved.
void print_departures(std::ostream& out, const run_summary& s, const report_context& rc, const console_style& style) {
  std::vector<std::pair<int, const case_result*>> listed;
  std::size_t width = 0;
  for (const auto& r : s.results) {
    const auto d = classify(r, rc.profile);
    if (d == departure::none) continue;
    listed.emplace_back(d == departure::fresh ? 0 : d == departure::known ? 1 : 2, &r);
    width = std::max(width, r.which->info.id.size());
  }
  if (listed.empty()) return;
  std::stable_sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out << "\ndepartures (" << listed.size() << "), new first:\n";
  static constexpr const char* marks[] = {"new", "known", "resolved"};
  for (const auto& [rank, r] : listed) {
    const auto kind = r->outcome.kind;
    out << "  " << painted(label(kind), colour_of(kind), style.colour) << ' ' << padded(marks[rank], 9)
        << padded(r->which->info.id, width + 2) << clause_of(*r, rc) << '\n';
  }
}

}  // namespace

std::string clause_of(const case_result& r, const report_context& rc) {
  if (rc.profile) {
    const auto it = rc.profile->cases.find(r.which->info.id);
    if (it != rc.profile->cases.end() && !it->second.clause.empty()) return it->second.clause;
  }
  std::string text;
  for (const auto cite : r.which->info.citations) text += (text.empty() ? "" : ", ") + std::string(cite);
  return text;
}

std::size_t longest_id(const std::vector<const registered_case*>& cases) {
  std::size_t width = 0;
  for (const auto* c : cases) width = std::max(width, c->info.id.size());
  return width;
}

void print_progress(std::ostream& out, const case_result& r, const report_context& rc, const console_style& style,
                    std::size_t done, std::size_t total) {
  const auto kind = r.outcome.kind;
  if (style.quiet && kind == verdict_kind::pass) return;
  const auto d = classify(r, rc.profile);
  const auto count_width = std::to_string(total).size();
  char time[32];
  std::snprintf(time, sizeof time, "%8.2f s", r.seconds);
  out << '[' << std::string(count_width - std::min(count_width, std::to_string(done).size()), ' ') << done << '/'
      << total << "] [" << painted(label(kind), colour_of(kind), style.colour) << "] "
      << padded(r.which->info.id, style.id_width) << time;
  if (departs(kind)) out << "  " << clause_of(r, rc);
  out << departure_mark(d, rc);
  if (kind != verdict_kind::pass && !r.outcome.message.empty()) out << "\n         " << r.outcome.message;
  if (!r.capture.empty()) out << "\n         capture: " << r.capture;
  out << '\n';
}

void print_summary(std::ostream& out, const run_summary& s, const report_context& rc, const console_style& style) {
  counts total;
  std::map<std::string, counts> by_level, by_tag;
  std::size_t known = 0, fresh = 0, resolved = 0;
  for (const auto& r : s.results) {
    total.add(r.outcome.kind);
    by_level[std::string(name(r.which->info.level))].add(r.outcome.kind);
    for (const auto tag : r.which->info.tags) by_tag[std::string(tag)].add(r.outcome.kind);
    const auto d = classify(r, rc.profile);
    known += d == departure::known;
    fresh += d == departure::fresh;
    resolved += d == departure::resolved;
  }
  std::size_t hidden = 0;
  if (!style.verbose)
    hidden = std::erase_if(by_tag, [](const auto& row) { return row.second.only_passes(); });
  out << "\nsummary for " << rc.target << "\n";
  print_table(out, by_level, 0, "by level");
  print_table(out, by_tag, hidden, "by tag");
  char time[32];
  std::snprintf(time, sizeof time, " in %.1f s\n", s.seconds);
  out << "  total     " << total.line() << time;
  if (rc.profile)
    out << "  profile " << (rc.profile->target.empty() ? "(unnamed)" : rc.profile->target) << ": " << known
        << " known, " << painted(std::to_string(fresh) + " new", "\033[31m", style.colour && fresh) << ", "
        << resolved << " resolved departures\n";
  print_causes(out, s);
  print_departures(out, s, rc, style);
  if (!s.stopped.empty()) out << "\nthe run stopped early: " << s.stopped << '\n';
  if (!s.not_run.empty()) out << resume_hint(s) << '\n';
}

bool has_new_departures(const run_summary& s, const target_profile* profile) {
  if (!s.stopped.empty()) return true;
  for (const auto& r : s.results)
    if (classify(r, profile) == departure::fresh) return true;
  return false;
}

}  // namespace touchstone::conformance
