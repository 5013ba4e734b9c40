// The console reporter: one line per case, a summary by level and tag.
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

struct counts {
  std::size_t by_kind[4] = {};
  void add(verdict_kind k) { ++by_kind[static_cast<int>(k)]; }
  std::string line() const {
    char text[96];
    std::snprintf(text, sizeof text, "%4zu pass %4zu fail %4zu skip %4zu error", by_kind[0],
                  by_kind[1], by_kind[2], by_kind[3]);
    return text;
  }
};

}  // namespace

void print_progress(std::ostream& out, const case_result& r, const report_context& rc,
                    bool colour) {
  const auto kind = r.outcome.kind;
  const auto d = classify(r, rc.profile);
  char time[32];
  std::snprintf(time, sizeof time, "%.2f s", r.seconds);
  out << '[' << (colour ? colour_of(kind) : "") << label(kind) << (colour ? "\033[0m" : "") << "] "
      << r.which->info.id << " (" << time << ")";
  if (d == departure::known) out << " known";
  if (d == departure::fresh && rc.profile) out << " NEW";
  if (d == departure::resolved) out << " resolved: the profile expects a departure";
  if (kind != verdict_kind::pass && !r.outcome.message.empty()) out << "\n         " << r.outcome.message;
  if (!r.capture.empty()) out << "\n         capture: " << r.capture;
  out << '\n';
}

void print_summary(std::ostream& out, const run_summary& s, const report_context& rc,
                   bool colour) {
  counts total;
  std::map<std::string, counts> by_level, by_tag;
  std::size_t known = 0, fresh = 0, resolved = 0;
  for (const auto& r : s.results) {
    total.add(r.outcome.kind);
    by_level[std::string(name(r.which->info.level))].add(r.outcome.kind);
    for (const auto tag : r.which->info.tags) by_tag[std::string(tag)].add(r.outcome.kind);
    switch (classify(r, rc.profile)) {
      case departure::known: ++known; break;
      case departure::fresh: ++fresh; break;
      case departure::resolved: ++resolved; break;
      case departure::none: break;
    }
  }
  out << "\nsummary for " << rc.target << "\n";
  out << "  by level:\n";
  for (const auto& [level, c] : by_level) out << "    " << level << std::string(8 - level.size(), ' ') << c.line() << '\n';
  out << "  by tag:\n";
  for (const auto& [tag, c] : by_tag)
    out << "    " << tag << std::string(tag.size() < 14 ? 14 - tag.size() : 1, ' ') << c.line() << '\n';
  out << "  total   " << total.line();
  char time[32];
  std::snprintf(time, sizeof time, " in %.1f s\n", s.seconds);
  out << time;
  if (rc.profile)
    out << "  profile " << (rc.profile->target.empty() ? "(unnamed)" : rc.profile->target) << ": "
        << known << " known, " << (colour && fresh ? "\033[31m" : "") << fresh << " new"
        << (colour && fresh ? "\033[0m" : "") << ", " << resolved << " resolved departures\n";
  if (!s.stopped.empty()) out << "  the run stopped early: " << s.stopped << '\n';
}

bool has_new_departures(const run_summary& s, const target_profile* profile) {
  if (!s.stopped.empty()) return true;
  for (const auto& r : s.results)
    if (classify(r, profile) == departure::fresh) return true;
  return false;
}

}  // namespace touchstone::conformance
