// The findings one fuzzed run gives (findings_of_run.hpp).
#include "findings_of_run.hpp"

#include <utility>

#include "touchstone/fuzz/net/reproduce.hpp"  // signatures_of

namespace touchstone::fuzz::tool {

net::finding base_finding(const net::run_result& r, net::finding_kind k, std::uint64_t seed, const std::string& shown) {
  net::finding f;
  f.sig.kind = k;
  f.sig.at = r.last_phase;
  f.sig.last_request = r.last_request;
  f.sig.last_answer = r.last_answer;
  f.seed = seed;
  f.target = shown;
  f.requests = r.requests;
  f.answers = r.answers;
  f.departures = r.departures;
  if (!r.traffic.traffic.empty()) f.connections.push_back(r.traffic);
  return f;
}

std::vector<net::finding> findings_of(const net::run_result& r, const net::liveness_report* live,
                                      std::uint64_t seed, const std::string& shown) {
  std::vector<net::finding> out;
  for (auto& sig : net::signatures_of(r, live)) {
    auto f = base_finding(r, sig.kind, seed, shown);
    f.sig = std::move(sig);
    if (f.sig.kind != net::finding_kind::protocol && live) f.liveness = live->summary;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace touchstone::fuzz::tool
