// Choosing cases: --only GLOB (any of), --tag TAG (any of), --exclude GLOB.
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
};

std::vector<const registered_case*> select_cases(const std::vector<registered_case>& all,
                                                 const selection& s);

// The selection as the options that made it: "--only 'nop.*' --tag text".
std::string describe(const selection& s);

}  // namespace touchstone::conformance
