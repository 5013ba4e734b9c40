// A target profile: the departures known for one target, each with the
// verdict it gives, the clause, and what the target does. A run compares
// with it: known departures are reported but do not fail; new ones do.
//
//   {"target": "tgt 1.0.85",
//    "cases": {"login.version.unsupported-range":
//                {"verdict": "fail", "clause": "rfc7143#section-11.13.1",
//                 "reason": "answers status 0x0000 to Version-min 0x01"}}}
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <optional>

#include "touchstone/conformance/runner.hpp"
#include "touchstone/pdu/result.hpp"

namespace touchstone::conformance {

struct known_departure {
  verdict_kind expected = verdict_kind::fail;
  // "or_verdict": a second departing verdict the case may give on this
  // target, where a race in the target decides which (the reason says).
  std::optional<verdict_kind> alternative;
  std::string clause;
  std::string reason;
};

struct target_profile {
  std::string target;
  std::map<std::string, known_departure, std::less<>> cases;
};

// Errors name the place: "not valid JSON at line 3, column 7 (byte 41): ...".
result<target_profile, std::string> parse_profile(std::string_view json_text);

// The ids of the profile's entries that name no registered case (a typo, or
// a case renamed): a profile that names one is refused.
std::vector<std::string> unknown_case_ids(const target_profile& p);

enum class departure : std::uint8_t {
  none,      // pass or skip, and the profile expects nothing else
  known,     // fail/error exactly as the profile says
  fresh,     // fail/error the profile does not know (or with another verdict)
  resolved,  // the profile expects a departure the target no longer shows
};

std::string_view name(departure d);

departure classify(const case_result& r, const target_profile* profile);

}  // namespace touchstone::conformance
