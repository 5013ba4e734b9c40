// Profiles of known departures, and the comparison of a result with one.
#include "touchstone/conformance/profile.hpp"

#include <nlohmann/json.hpp>

namespace touchstone::conformance {

result<target_profile, std::string> parse_profile(std::string_view json_text) {
  const auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(std::string("the profile is not a JSON object"));
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
    d.clause = entry.value("clause", "");
    d.reason = entry.value("reason", "");
    if (d.reason.empty()) return fail("the entry of " + id + " gives no reason");
    p.cases.emplace(id, std::move(d));
  }
  return p;
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
  if (entry && entry->expected == kind) return departure::known;
  return departure::fresh;
}

}  // namespace touchstone::conformance
