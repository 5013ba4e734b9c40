// Choosing cases: --only GLOB (any of), --tag TAG (any of), --exclude GLOB,
// then --from ID (the selected cases from that one on, in run order: how a
// run that stopped early is resumed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "touchstone/conformance/case.hpp"

namespace touchstone::conformance {

// Shell-style glob over a whole string: '*' any run, '?' one character.
bool glob_match(std::string_view pattern, std::string_view text);

struct selection {
  std::vector<std::string> only;     // empty: every case
  std::vector<std::string> tags;     // empty: any tag
  std::vector<std::string> exclude;  // globs removed last
  std::string from;                  // empty: from the first selected case
};

// Whether `from` names none of the selected cases (a usage error).
bool from_unknown(const std::vector<registered_case>& all, const selection& s);

std::vector<const registered_case*> select_cases(const std::vector<registered_case>& all,
                                                 const selection& s);

// The selection as the options that made it: "--only 'nop.*' --tag text".
std::string describe(const selection& s);

}  // namespace touchstone::conformance
