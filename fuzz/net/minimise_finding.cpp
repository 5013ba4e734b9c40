// A finding's program, or program group, minimised: checked first, shrunk by
// fuzz::minimise (a group: sessions first) with one run per candidate inside
// a wall-time budget, confirmed after.
#include <chrono>

#include "touchstone/fuzz/net/reproduce.hpp"

namespace touchstone::fuzz::net {
namespace {

using conformance::clock;

std::size_t steps_of(const program& p) { return p.steps.size(); }

std::size_t steps_of(const program_group& g) {
  std::size_t n = 0;
  for (const auto& p : g.sessions) n += p.steps.size();
  return n;
}

std::string described(const program& p) { return "program (" + std::to_string(p.steps.size()) + " steps)"; }

std::string described(const program_group& g) {
  return "group (" + std::to_string(g.sessions.size()) + " sessions, " + std::to_string(steps_of(g)) + " steps)";
}

std::string seconds_text(milliseconds m) { return std::to_string(m.count() / 1000) + " s"; }

// Sets smallest to the smallest kept candidate confirmed (needed of runs),
// stepping back from a smallest that does not confirm (a flaky finding);
// returns the note for when it had to step back or found none.
template <class Input>
std::string confirm_smallest(const std::vector<Input>& kept, reproducer& rep, const std::string& needed,
                             Input& smallest, finding_minimisation& m) {
  if (kept.size() < 2) {
    m.confirmed = true;  // nothing was dropped: the input reproduced
    return {};
  }
  constexpr std::size_t max_tries = 5;
  const auto at = smallest_confirmed(kept, [&](const Input& c) { return rep.reproduces(c); }, max_tries);
  m.confirmed = at > 0;
  if (m.confirmed) smallest = kept[at];
  if (at == kept.size() - 1) return {};
  const std::string first = "the smallest " + described(kept.back()) + " did not reproduce " + needed + " times";
  if (at == 0) return first + "; the input is kept";
  return first + "; a larger one kept on the way (" + described(smallest) + ") did";
}

// The smallest input that still shows the finding (the input itself when
// it does not reproduce, or the smallest is not confirmed); m gets the
// figures and the note.
template <class Input>
Input shrink(const Input& input, const run_target& target, const signature& wanted,
             const minimise_finding_options& o, const std::function<bool()>& restart_target, bool target_down,
             finding_minimisation& m) {
  const auto started = clock::now();
  const auto deadline = started + o.budget;
  Input smallest = input;
  m.steps_before = m.steps_after = steps_of(input);
  reproducer rep(target, wanted, o.reproduce, restart_target, target_down);
  const auto finish = [&] {
    m.runs = rep.runs();
    m.restarts = rep.restarts();
    m.seconds = std::chrono::duration<double>(clock::now() - started).count();
    return smallest;
  };
  const auto needed = std::to_string(rep.options().needed) + " of " + std::to_string(rep.options().runs);
  m.reproduced = rep.reproduces(input);
  if (!m.reproduced) {
    m.note = rep.lost() ? "the target is down and cannot be restarted" : "it did not reproduce (" + needed + " runs needed)";
    return finish();
  }
  bool out_of_time = false;
  std::vector<Input> kept{input};  // every candidate the minimiser kept, in order
  const auto out = minimise(
      input,
      [&](const Input& candidate) {
        if (clock::now() >= deadline) out_of_time = true;
        const bool shown = !out_of_time && rep.shows(candidate);
        if (shown) kept.push_back(candidate);
        return shown;
      },
      o.max_oracle_calls);
  m.oracle_calls = out.oracle_calls;
  if (out_of_time)
    m.note = "the budget (" + seconds_text(o.budget) + ") ran out";
  else if (rep.lost())
    m.note = "the target went down and could not be restarted";
  else if (out.oracle_calls >= o.max_oracle_calls)
    m.note = "the bound of " + std::to_string(o.max_oracle_calls) + " oracle calls was reached";
  if (const auto c = confirm_smallest(kept, rep, needed, smallest, m); !c.empty())
    m.note = m.note.empty() ? c : m.note + "; " + c;
  m.steps_after = steps_of(smallest);
  return finish();
}

}  // namespace

finding_minimisation minimise_finding(const program& input, const run_target& target,
                                      const signature& wanted, const minimise_finding_options& o,
                                      const std::function<bool()>& restart_target,
                                      bool target_down) {
  finding_minimisation m;
  m.smallest = shrink(input, target, wanted, o, restart_target, target_down, m);
  return m;
}

group_minimisation minimise_group_finding(const program_group& input, const run_target& target,
                                          const signature& wanted, const minimise_finding_options& o,
                                          const std::function<bool()>& restart_target, bool target_down) {
  group_minimisation gm;
  gm.smallest = shrink(input, target, wanted, o, restart_target, target_down, gm.m);
  gm.sessions_before = input.sessions.size();
  gm.sessions_after = gm.smallest.sessions.size();
  return gm;
}

}  // namespace touchstone::fuzz::net
