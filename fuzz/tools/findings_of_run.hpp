// The findings one fuzzed run gives, with what a finding's folder shows:
// the campaign's and the replay's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "touchstone/fuzz/net/findings.hpp"
#include "touchstone/fuzz/net/executor.hpp"
#include "touchstone/fuzz/net/liveness.hpp"

namespace touchstone::fuzz::tool {

// A finding of kind k for run r: its signature from the run's last request
// and answer, the seed, the target as shown, the PDUs both ways, the
// departures and the traffic.
net::finding base_finding(const net::run_result& r, net::finding_kind k, std::uint64_t seed, const std::string& shown);

// net::signatures_of's findings (a protocol finding per departure, and the
// liveness verdict's when `live` has one), each a base_finding.
std::vector<net::finding> findings_of(const net::run_result& r, const net::liveness_report* live,
                                      std::uint64_t seed, const std::string& shown);

}  // namespace touchstone::fuzz::tool
