// --json's finding list and --junit's XML.
#include "reports.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "touchstone/conformance/report.hpp"

namespace touchstone::fuzz::tool {
namespace {


std::string seconds_text(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", s);
  return text;
}

std::string testcase(const finding_entry& f) {
  const std::string kind(net::name(f.kind));
  const std::string body = f.signature + "\n" + f.folder + " (seen " + std::to_string(f.count) +
                           " time" + (f.count == 1 ? "" : "s") +
                           (f.minimised ? "; minimized.json there" : "") + ")";
  const std::string open = "    <testcase classname=\"touchstone-fuzz." + kind + "\" name=\"" +
                           conformance::xml_escape(f.signature) + "\">\n      ";
  if (!f.confirmed)
    return open + "<skipped message=\"unconfirmed: no replay showed it again\">" + conformance::xml_escape(body) +
           "</skipped>\n    </testcase>\n";
  return open + "<failure type=\"" + kind + "\" message=\"" + conformance::xml_escape(f.signature) + "\">" +
         conformance::xml_escape(body) + "</failure>\n    </testcase>\n";
}

}  // namespace

nlohmann::json finding_list_json(const std::vector<finding_entry>& found) {
  auto list = nlohmann::json::array();
  for (const auto& f : found)
    list.push_back({{"kind", net::name(f.kind)},
                    {"signature", f.signature},
                    {"folder", f.folder},
                    {"count", f.count},
                    {"minimised", f.minimised},
                    {"confirmed", f.confirmed}});
  return list;
}

std::string junit_xml(const std::vector<finding_entry>& found, const std::string& suite,
                      double seconds) {
  const auto tests = std::to_string(found.empty() ? 1 : found.size());
  const auto confirmed =
      static_cast<std::size_t>(std::count_if(found.begin(), found.end(), [](const auto& f) { return f.confirmed; }));
  const auto failures = std::to_string(confirmed);
  const auto skipped = std::to_string(found.size() - confirmed);
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"touchstone-fuzz\" tests=\"" +
      tests + "\" failures=\"" + failures + "\" time=\"" + seconds_text(seconds) + "\">\n" +
      "  <testsuite name=\"" + conformance::xml_escape(suite) + "\" tests=\"" + tests + "\" failures=\"" +
      failures + "\" errors=\"0\" skipped=\"" + skipped + "\" time=\"" + seconds_text(seconds) + "\">\n";
  if (found.empty()) xml += "    <testcase classname=\"touchstone-fuzz\" name=\"no findings\"/>\n";
  for (const auto& f : found) xml += testcase(f);
  return xml + "  </testsuite>\n</testsuites>\n";
}

bool write_junit(const std::string& file, const std::vector<finding_entry>& found,
                 const std::string& suite, double seconds, std::string& why) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << junit_xml(found, suite, seconds);
  out.close();
  if (out) return true;
  why = "cannot write " + file;
  return false;
}

}  // namespace touchstone::fuzz::tool
