// The preflight: before any case, one normal session to the target under
// test (connect, log in with the URL's CHAP, READ CAPACITY(10) on the LUN
// and on the second LUN if one was given, log out). A target that fails it
// is not judged at all: the run stops with a message in words (no target of
// that name, CHAP required, not authorised, LUN not supported, connection
// refused, nothing answered), instead of every case erroring or skipping.
#pragma once

#include <string>

#include "touchstone/conformance/session.hpp"
#include "touchstone/conformance/target.hpp"

namespace touchstone::conformance {

struct preflight_outcome {
  bool ok = false;
  std::string problem;  // what went wrong and what to do, in words
};

preflight_outcome preflight(const target_config& target, const timing& times);

}  // namespace touchstone::conformance
