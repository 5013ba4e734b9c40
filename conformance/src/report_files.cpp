// The JUnit XML and JSON reports, and writing them to their files.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "touchstone/conformance/report.hpp"

namespace touchstone::conformance {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 admits no control characters other than tab, LF and CR.
        if (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') out += "\\x" + std::to_string(c);
        else out += ch;
    }
  }
  return out;
}

namespace {

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", s);
  return text;
}

std::string classname(std::string_view id) {
  const auto dot = id.rfind('.');
  return std::string(dot == std::string_view::npos ? id : id.substr(0, dot));
}

std::string testcase(const case_result& r, const report_context& rc) {
  const auto& info = r.which->info;
  std::string x = "    <testcase classname=\"" + xml_escape(classname(info.id)) + "\" name=\"" +
                  xml_escape(info.id) + "\" time=\"" + seconds(r.seconds) + "\">\n";
  const auto msg = xml_escape(r.outcome.message);
  const bool known = classify(r, rc.profile) == departure::known;
  switch (r.outcome.kind) {
    case verdict_kind::pass: break;
    case verdict_kind::skip: x += "      <skipped message=\"" + msg + "\"/>\n"; break;
    case verdict_kind::fail:
    case verdict_kind::error:
      // A known departure is reported as skipped so CI stays green on it.
      if (known) {
        x += "      <skipped message=\"known departure: " + msg + "\"/>\n";
        break;
      }
      x += std::string("      <") + (r.outcome.kind == verdict_kind::fail ? "failure" : "error") +
           " message=\"" + msg + "\">" + xml_escape(std::string(info.title)) + "</" +
           (r.outcome.kind == verdict_kind::fail ? "failure" : "error") + ">\n";
  }
  x += "    </testcase>\n";
  return x;
}

// A case the run never started (it stopped early): skipped, saying why.
std::string not_run_testcase(const registered_case& c, const run_summary& s) {
  return "    <testcase classname=\"" + xml_escape(classname(c.info.id)) + "\" name=\"" + xml_escape(c.info.id) +
         "\" time=\"0.000\">\n      <skipped message=\"not run: " + xml_escape(s.stopped) +
         "\"/>\n    </testcase>\n";
}

}  // namespace

std::string resume_hint(const run_summary& s) {
  if (s.not_run.empty()) return {};
  return std::to_string(s.not_run.size()) + " case(s) not run; to go on from the first of them, run the same " +
         "command with --from " + std::string(s.not_run.front()->info.id);
}

std::string junit_xml(const run_summary& s, const report_context& rc) {
  std::size_t failures = 0, errors = 0, skipped = 0;
  std::string cases;
  for (const auto& r : s.results) {
    const bool known = classify(r, rc.profile) == departure::known;
    if (r.outcome.kind == verdict_kind::skip || known) ++skipped;
    else if (r.outcome.kind == verdict_kind::fail) ++failures;
    else if (r.outcome.kind == verdict_kind::error) ++errors;
    cases += testcase(r, rc);
  }
  for (const auto* c : s.not_run) cases += not_run_testcase(*c, s);
  skipped += s.not_run.size();
  const auto counts = "tests=\"" + std::to_string(s.results.size() + s.not_run.size()) + "\" failures=\"" +
                      std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
                      "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" + seconds(s.seconds) + "\"";
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites " + counts +
         ">\n  <testsuite name=\"touchstone-conform " + xml_escape(rc.target) + "\" " + counts +
         ">\n" + cases + "  </testsuite>\n</testsuites>\n";
}

std::string json_report(const run_summary& s, const report_context& rc) {
  nlohmann::json cases = nlohmann::json::array();
  std::map<std::string, std::size_t> totals{{"pass", 0}, {"fail", 0}, {"skip", 0}, {"error", 0}};
  for (const auto& r : s.results) {
    const auto& info = r.which->info;
    nlohmann::json c{{"id", info.id},
                     {"title", info.title},
                     {"level", name(info.level)},
                     {"verdict", name(r.outcome.kind)},
                     {"message", r.outcome.message},
                     {"seconds", r.seconds},
                     {"departure", name(classify(r, rc.profile))},
                     {"target_violations", r.target_violations}};
    c["citations"] = std::vector<std::string>(info.citations.begin(), info.citations.end());
    c["tags"] = std::vector<std::string>(info.tags.begin(), info.tags.end());
    if (!r.capture.empty()) c["capture"] = r.capture;
    cases.push_back(std::move(c));
    ++totals[std::string(name(r.outcome.kind))];
  }
  for (const auto* c : s.not_run) {
    cases.push_back({{"id", c->info.id}, {"title", c->info.title}, {"level", name(c->info.level)},
                     {"verdict", "not run"}, {"message", "the run stopped before it: " + s.stopped}});
  }
  if (!s.not_run.empty()) totals["not run"] = s.not_run.size();
  nlohmann::json j{{"tool", "touchstone-conform"},
                   {"format", 1},
                   {"target", rc.target},
                   {"seconds", s.seconds},
                   {"totals", totals},
                   {"cases", std::move(cases)}};
  if (rc.profile) j["profile"] = rc.profile->target;
  if (!s.stopped.empty()) j["stopped"] = s.stopped;
  if (!s.not_run.empty()) j["resume_from"] = s.not_run.front()->info.id;
  nlohmann::json causes = nlohmann::json::array();
  for (const auto& g : group_causes(s, 2))
    causes.push_back({{"kind", g.kind}, {"example", g.example}, {"count", g.cases.size()}, {"cases", g.cases}});
  j["shared_causes"] = std::move(causes);
  return j.dump(2) + "\n";
}

bool report_path_usable(const std::string& path, std::string& why) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path file(path);
  if (fs::is_directory(file, ec)) {
    why = "cannot write " + path + ": it is a folder";
    return false;
  }
  const auto folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) {
    why = "cannot write " + path + ": no folder " + folder.string();
    return false;
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    why = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool write_report(const std::string& path, const std::string& text, std::string& why) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.close();
  if (!out) why = "cannot write " + path + ": " + std::strerror(errno);
  return static_cast<bool>(out);
}

}  // namespace touchstone::conformance
