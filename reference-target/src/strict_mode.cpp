// Strict mode: every initiator violation is answered as RFC 7143 prescribes
// unless a leniency names it (leniency.cpp); then it is logged and counted
// as allowed, and the PDU is processed.
#include <fmt/format.h>

#include "touchstone/target/connection.hpp"
#include "touchstone/target/leniency.hpp"

namespace touchstone::target {

bool connection::relaxed(std::string_view requirement, std::string_view detail) {
  const auto* l = leniency_for(requirement);
  if (l == nullptr) return false;
  const auto& cfg = node_->config;
  if (cfg.strict && !cfg.leniencies.contains(std::string(l->name))) return false;
  log_.line(peer_log::level::info, requirement,
            fmt::format("{}: {} (allowed: --allow {})", requirement, detail, l->name));
  ++violations_.total;
  for (auto* counts : {&violations_.by_requirement, &violations_.allowed}) {
    if (const auto it = counts->find(requirement); it != counts->end())
      ++it->second;
    else
      counts->emplace(std::string(requirement), 1);
  }
  return true;
}

}  // namespace touchstone::target
