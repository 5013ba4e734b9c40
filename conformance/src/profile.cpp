// Profiles of known departures, and the comparison of a result with one.
#include "touchstone/conformance/profile.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace touchstone::conformance {

namespace {

// The JSON text, or where (byte, line, column) and why it is not JSON.
// nlohmann reports the position only through its parse_error exception,
// caught here and turned into the message: nothing is thrown past this.
result<nlohmann::json, std::string> parse_json(std::string_view text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const auto at = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    const auto before = text.substr(0, at);
    const auto line = 1 + std::count(before.begin(), before.end(), '\n');
    const auto line_start = before.rfind('\n');
    const auto column = at - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    std::string why = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: why"
    if (const auto colon = why.find(": "); colon != std::string::npos) why = why.substr(colon + 2);
    return fail("not valid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
                " (byte " + std::to_string(at) + "): " + why);
  }
}

}  // namespace

result<target_profile, std::string> parse_profile(std::string_view json_text) {
  auto parsed = parse_json(json_text);
  if (!parsed) return fail(parsed.error());
  const auto& j = *parsed;
  if (!j.is_object()) return fail(std::string("the profile is not a JSON object"));
  target_profile p;
  p.target = j.value("target", "");
  if (!j.contains("cases")) return p;
  if (!j["cases"].is_object()) return fail(std::string("\"cases\" is not an object"));
  for (const auto& [id, entry] : j["cases"].items()) {
    if (!entry.is_object()) return fail("the entry of " + id + " is not an object");
    known_departure d;
    const auto verdict_text = entry.value("verdict", "");
    if (!parse_verdict_kind(verdict_text, d.expected))
      return fail("the entry of " + id + " has verdict '" + verdict_text + "'");
    if (entry.contains("or_verdict")) {
      const auto alternative_text = entry.value("or_verdict", "");
      verdict_kind alternative{};
      if (!parse_verdict_kind(alternative_text, alternative) ||
          (alternative != verdict_kind::fail && alternative != verdict_kind::error))
        return fail("the entry of " + id + " has or_verdict '" + alternative_text + "' (fail or error)");
      d.alternative = alternative;
    }
    d.clause = entry.value("clause", "");
    d.reason = entry.value("reason", "");
    if (d.reason.empty()) return fail("the entry of " + id + " gives no reason");
    p.cases.emplace(id, std::move(d));
  }
  return p;
}

std::vector<std::string> unknown_case_ids(const target_profile& p) {
  std::vector<std::string> unknown;
  for (const auto& [id, entry] : p.cases)
    if (find_case(id) == nullptr) unknown.push_back(id);
  return unknown;
}

std::string_view name(departure d) {
  switch (d) {
    case departure::none: return "none";
    case departure::known: return "known";
    case departure::fresh: return "new";
    case departure::resolved: return "resolved";
  }
  return "?";
}

departure classify(const case_result& r, const target_profile* profile) {
  const known_departure* entry = nullptr;
  if (profile && r.which) {
    const auto it = profile->cases.find(r.which->info.id);
    if (it != profile->cases.end()) entry = &it->second;
  }
  const auto kind = r.outcome.kind;
  const bool departs = kind == verdict_kind::fail || kind == verdict_kind::error;
  if (!departs) {
    if (entry && entry->expected != kind) return departure::resolved;
    return departure::none;
  }
  if (entry && (entry->expected == kind || entry->alternative == kind)) return departure::known;
  return departure::fresh;
}

}  // namespace touchstone::conformance
