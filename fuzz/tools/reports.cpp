// --json's finding list and --junit's XML.
#include "reports.hpp"

#include <cstdio>
#include <fstream>

namespace touchstone::fuzz::tool {
namespace {

// XML 1.0 text: the five entities escaped, control characters (not allowed
// in XML 1.0 but tab and newline) left out.
std::string xml_text(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
    }
  }
  return out;
}

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
  return "    <testcase classname=\"touchstone-fuzz." + kind + "\" name=\"" +
         xml_text(f.signature) + "\">\n      <failure type=\"" + kind + "\" message=\"" +
         xml_text(f.signature) + "\">" + xml_text(body) + "</failure>\n    </testcase>\n";
}

}  // namespace

nlohmann::json finding_list_json(const std::vector<finding_entry>& found) {
  auto list = nlohmann::json::array();
  for (const auto& f : found)
    list.push_back({{"kind", net::name(f.kind)},
                    {"signature", f.signature},
                    {"folder", f.folder},
                    {"count", f.count},
                    {"minimised", f.minimised}});
  return list;
}

std::string junit_xml(const std::vector<finding_entry>& found, const std::string& suite,
                      double seconds) {
  const auto tests = std::to_string(found.empty() ? 1 : found.size());
  const auto failures = std::to_string(found.size());
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"touchstone-fuzz\" tests=\"" +
      tests + "\" failures=\"" + failures + "\" time=\"" + seconds_text(seconds) + "\">\n" +
      "  <testsuite name=\"" + xml_text(suite) + "\" tests=\"" + tests + "\" failures=\"" +
      failures + "\" errors=\"0\" time=\"" + seconds_text(seconds) + "\">\n";
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
