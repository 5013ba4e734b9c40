// --replay: each program file run once, liveness judged after it, its
// findings (the campaign's oracles and the integrity oracle) printed.
#include <ostream>

#include "campaign.hpp"
#include "findings_of_run.hpp"
#include "integrity_watch.hpp"
#include "touchstone/fuzz/net/group_executor.hpp"
#include "touchstone/fuzz/net/reproduce.hpp"  // judged_end
#include "touchstone/fuzz/program_group.hpp"

namespace touchstone::fuzz::tool {

std::vector<replay_result> replay(const std::vector<std::string>& files, const net::run_target& target,
                                  net::state_graph& graph, const campaign_options& o, std::ostream& out) {
  std::vector<replay_result> results;
  for (const auto& file : files) {
    replay_result rr;
    rr.file = file;
    program_group g;
    rr.loaded = load_group(file, g, rr.problem);
    if (rr.loaded) {
      auto run = o.run;
      run.keep_read_data = true;  // the integrity oracle's input
      const auto r = g.sessions.size() == 1 ? net::run_program(g.sessions.front(), target, graph, run)
                                            : net::run_group(g, target, graph, run).summary;
      const auto live = net::judge_liveness(target.config, net::judged_end(r), o.live);
      for (const auto& f : findings_of(r, &live, o.seed, o.shown)) rr.findings.push_back(f.sig.text());
      for (const auto& f : replay_integrity(all_steps(g), r)) rr.findings.push_back(f);
      out << file << ": " << (rr.findings.empty() ? "no finding" : std::to_string(rr.findings.size()) + " finding(s)")
          << " (session " << net::name(r.end) << ", " << r.pdus_sent << " PDUs sent, " << r.pdus_received
          << " received; " << live.summary << ")\n  last: " << r.detail << "\n";
      for (const auto& text : rr.findings) out << "  " << text << "\n";
    } else {
      out << "touchstone-fuzz: " << rr.problem << "\n";
    }
    results.push_back(std::move(rr));
  }
  return results;
}

}  // namespace touchstone::fuzz::tool
