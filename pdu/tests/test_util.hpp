// Helpers shared by the pdu tests.
#pragma once

#include <algorithm>
#include <string_view>

#include "touchstone/pdu/validate.hpp"

namespace touchstone::pdu::test {

inline bool has_violation(const violations& vs, std::string_view requirement) {
  return std::any_of(vs.begin(), vs.end(),
                     [&](const violation& v) { return v.requirement == requirement; });
}

inline bool has_severity(const violations& vs, severity s) {
  return std::any_of(vs.begin(), vs.end(), [&](const violation& v) { return v.level == s; });
}

// A PDU is clean when the validator reports nothing at all.
inline bool clean(const pdu& p) { return validate(p).empty(); }

}  // namespace touchstone::pdu::test
