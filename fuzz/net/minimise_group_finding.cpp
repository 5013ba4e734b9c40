// A finding's program group minimised as minimise_finding does a program:
// checked first, shrunk by fuzz::minimise for groups (sessions first) with
// one run per candidate inside the budget, confirmed after.
#include <chrono>

#include "touchstone/fuzz/net/reproduce.hpp"

namespace touchstone::fuzz::net {
namespace {

using conformance::clock;

std::size_t steps_of(const program_group& g) {
  std::size_t n = 0;
  for (const auto& p : g.sessions) n += p.steps.size();
  return n;
}

void note_why_short(group_minimisation& gm, const minimise_finding_options& o, const reproducer& rep,
                    bool out_of_time, std::size_t calls) {
  auto& m = gm.m;
  if (out_of_time)
    m.note = "the budget (" + std::to_string(o.budget.count() / 1000) + " s) ran out";
  else if (rep.lost())
    m.note = "the target went down and could not be restarted";
  else if (calls >= o.max_oracle_calls)
    m.note = "the bound of " + std::to_string(o.max_oracle_calls) + " oracle calls was reached";
}

}  // namespace

group_minimisation minimise_group_finding(const program_group& input, const run_target& target,
                                          const signature& wanted, const minimise_finding_options& o,
                                          const std::function<bool()>& restart_target, bool target_down) {
  const auto started = clock::now();
  const auto deadline = started + o.budget;
  group_minimisation gm;
  auto& m = gm.m;
  gm.smallest = input;
  m.steps_before = m.steps_after = steps_of(input);
  gm.sessions_before = gm.sessions_after = input.sessions.size();
  reproducer rep(target, wanted, o.reproduce, restart_target, target_down);
  const auto finish = [&] {
    m.runs = rep.runs();
    m.restarts = rep.restarts();
    m.seconds = std::chrono::duration<double>(clock::now() - started).count();
    return gm;
  };
  m.reproduced = rep.reproduces(input);
  if (!m.reproduced) {
    m.note = rep.lost() ? "the target is down and cannot be restarted"
                        : "it did not reproduce (" + std::to_string(rep.options().needed) + " of " +
                              std::to_string(rep.options().runs) + " runs needed)";
    return finish();
  }
  bool out_of_time = false;
  const auto out = minimise(
      input,
      [&](const program_group& candidate) {
        if (clock::now() >= deadline) out_of_time = true;
        return !out_of_time && rep.shows(candidate);
      },
      o.max_oracle_calls);
  m.oracle_calls = out.oracle_calls;
  note_why_short(gm, o, rep, out_of_time, out.oracle_calls);
  m.confirmed = out.smallest == input || rep.reproduces(out.smallest);
  if (m.confirmed)
    gm.smallest = out.smallest;
  else
    m.note = "the smallest group (" + std::to_string(out.smallest.sessions.size()) + " sessions, " +
             std::to_string(steps_of(out.smallest)) + " steps) did not reproduce " +
             std::to_string(rep.options().needed) + " of " + std::to_string(rep.options().runs) +
             " times; the input is kept";
  m.steps_after = steps_of(gm.smallest);
  gm.sessions_after = gm.smallest.sessions.size();
  return finish();
}

}  // namespace touchstone::fuzz::net
