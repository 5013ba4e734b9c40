// Case selection by glob and tag.
#include "touchstone/conformance/selection.hpp"

#include <algorithm>

namespace touchstone::conformance {

bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

bool any_glob(const std::vector<std::string>& globs, std::string_view id) {
  return std::any_of(globs.begin(), globs.end(), [&](const auto& g) { return glob_match(g, id); });
}

bool has_any_tag(const case_info& info, const std::vector<std::string>& tags) {
  return std::any_of(tags.begin(), tags.end(), [&](const auto& tag) {
    return std::find(info.tags.begin(), info.tags.end(), tag) != info.tags.end();
  });
}

bool selected(const registered_case& c, const selection& s) {
  if (!s.only.empty() && !any_glob(s.only, c.info.id)) return false;
  if (!s.tags.empty() && !has_any_tag(c.info, s.tags)) return false;
  return !any_glob(s.exclude, c.info.id);
}

}  // namespace

std::vector<const registered_case*> select_cases(const std::vector<registered_case>& all,
                                                 const selection& s) {
  std::vector<const registered_case*> chosen;
  bool reached = s.from.empty();
  for (const auto& c : all) {
    if (!selected(c, s)) continue;
    reached = reached || c.info.id == s.from;
    if (reached) chosen.push_back(&c);
  }
  return chosen;
}

bool from_unknown(const std::vector<registered_case>& all, const selection& s) {
  if (s.from.empty()) return false;
  return std::none_of(all.begin(), all.end(), [&](const auto& c) { return c.info.id == s.from && selected(c, s); });
}

std::string describe(const selection& s) {
  std::string text;
  const auto add = [&](std::string_view option, const std::vector<std::string>& values) {
    for (const auto& v : values) text += (text.empty() ? "" : " ") + std::string(option) + " '" + v + "'";
  };
  add("--only", s.only);
  add("--tag", s.tags);
  add("--exclude", s.exclude);
  if (!s.from.empty()) add("--from", {s.from});
  return text.empty() ? "(every case)" : text;
}

}  // namespace touchstone::conformance
