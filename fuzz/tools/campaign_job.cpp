// A program group's run kept apart per connection (campaign_job.hpp).
#include "campaign_job.hpp"

namespace touchstone::fuzz::tool {

net::run_result run_group_keeping(const program_group& g, const net::run_target& target, net::state_graph& graph,
                                  const net::run_options& run, std::vector<net::captured_connection>& traffic) {
  auto out = net::run_group(g, target, graph, run);
  for (auto& s : out.sessions)
    if (!s.traffic.traffic.empty()) traffic.push_back(std::move(s.traffic));
  return std::move(out.summary);
}

}  // namespace touchstone::fuzz::tool
