// Strict mode's leniencies: the named rules `--allow NAME` (or the config's
// "allow": [NAME]) relaxes. Each maps to the requirement id the connection
// core logs for the violation; with the leniency on, the violation is still
// logged and counted (as allowed) and the PDU is processed as if the rule
// were not there. Without it, the target answers as RFC 7143 prescribes.
#pragma once

#include <span>
#include <string_view>

namespace touchstone::target {

struct leniency {
  std::string_view name;         // --allow NAME
  std::string_view requirement;  // the id logged and counted, "rfc7143#section-.../..."
  std::string_view relaxes;      // what the target does instead, for --help and docs
};

// Every leniency, in the order `--help` lists them.
std::span<const leniency> leniency_table();
// The leniency of that name, or nullptr.
const leniency* find_leniency(std::string_view name);
// The leniency relaxing that requirement id, or nullptr.
const leniency* leniency_for(std::string_view requirement);

}  // namespace touchstone::target
