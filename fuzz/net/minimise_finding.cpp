// A finding's program minimised: checked first, shrunk by fuzz::minimise
// with one run per candidate inside a wall-time budget, confirmed after.
#include <chrono>

#include "touchstone/fuzz/net/reproduce.hpp"

namespace touchstone::fuzz::net {
namespace {

using conformance::clock;

std::string seconds_text(milliseconds m) { return std::to_string(m.count() / 1000) + " s"; }

}  // namespace

finding_minimisation minimise_finding(const program& input, const run_target& target,
                                      const signature& wanted, const minimise_finding_options& o,
                                      const std::function<bool()>& restart_target,
                                      bool target_down) {
  const auto started = clock::now();
  const auto deadline = started + o.budget;
  finding_minimisation m;
  m.smallest = input;
  m.steps_before = m.steps_after = input.steps.size();
  reproducer rep(target, wanted, o.reproduce, restart_target, target_down);
  const auto finish = [&] {
    m.runs = rep.runs();
    m.restarts = rep.restarts();
    m.seconds = std::chrono::duration<double>(clock::now() - started).count();
    return m;
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
      [&](const program& candidate) {
        if (clock::now() >= deadline) out_of_time = true;
        return !out_of_time && rep.shows(candidate);
      },
      o.max_oracle_calls);
  m.oracle_calls = out.oracle_calls;
  if (out_of_time)
    m.note = "the budget (" + seconds_text(o.budget) + ") ran out";
  else if (rep.lost())
    m.note = "the target went down and could not be restarted";
  else if (out.oracle_calls >= o.max_oracle_calls)
    m.note = "the bound of " + std::to_string(o.max_oracle_calls) + " oracle calls was reached";
  m.confirmed = out.smallest == input || rep.reproduces(out.smallest);
  if (m.confirmed) {
    m.smallest = out.smallest;
  } else {
    m.note = "the smallest program (" + std::to_string(out.smallest.steps.size()) +
             " steps) did not reproduce " + std::to_string(rep.options().needed) + " of " +
             std::to_string(rep.options().runs) + " times; the input is kept";
  }
  m.steps_after = m.smallest.steps.size();
  return finish();
}

}  // namespace touchstone::fuzz::net
