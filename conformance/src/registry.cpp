// The case registry, filled by TOUCHSTONE_CASE's static registrars.
#include <algorithm>

#include "touchstone/conformance/case.hpp"

namespace touchstone::conformance {

namespace {

struct registry {
  std::vector<registered_case> cases;
  std::vector<std::string> duplicates;
  bool sorted = false;
};

registry& the_registry() {
  static registry r;
  return r;
}

}  // namespace

registrar::registrar(case_info info, case_function run, const char* file, int line) {
  auto& r = the_registry();
  if (find_case(info.id) != nullptr) r.duplicates.emplace_back(info.id);
  r.cases.push_back({std::move(info), run, file, line});
  r.sorted = false;
}

const std::vector<registered_case>& all_cases() {
  auto& r = the_registry();
  if (!r.sorted) {
    std::stable_sort(r.cases.begin(), r.cases.end(),
                     [](const auto& a, const auto& b) { return a.info.id < b.info.id; });
    r.sorted = true;
  }
  return r.cases;
}

const registered_case* find_case(std::string_view id) {
  for (const auto& c : the_registry().cases)
    if (c.info.id == id) return &c;
  return nullptr;
}

const std::vector<std::string>& duplicate_case_ids() { return the_registry().duplicates; }

std::string_view name(requirement_level l) {
  switch (l) {
    case requirement_level::must: return "MUST";
    case requirement_level::should: return "SHOULD";
    case requirement_level::may: return "MAY";
  }
  return "?";
}

std::string_view name(need n) {
  switch (n) {
    case need::destructive: return "destructive";
    case need::chap: return "chap";
    case need::mutual_chap: return "mutual-chap";
    case need::second_lun: return "second-lun";
    case need::writable_lun: return "writable-lun";
    case need::discovery_chap: return "discovery-chap";
    case need::erl1: return "erl1";
    case need::erl2: return "erl2";
    case need::mcs: return "mcs";
  }
  return "?";
}

std::string_view name(verdict_kind k) {
  switch (k) {
    case verdict_kind::pass: return "pass";
    case verdict_kind::fail: return "fail";
    case verdict_kind::skip: return "skip";
    case verdict_kind::error: return "error";
  }
  return "?";
}

bool parse_verdict_kind(std::string_view text, verdict_kind& out) {
  for (auto k : {verdict_kind::pass, verdict_kind::fail, verdict_kind::skip, verdict_kind::error})
    if (name(k) == text) {
      out = k;
      return true;
    }
  return false;
}

}  // namespace touchstone::conformance
