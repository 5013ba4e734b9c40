// The parallel runner (--jobs N): up to N cases at once, each in its own
// child process, watched with poll(); a case that runs_alone() waits for the
// others to finish and runs by itself. Results are reported as cases finish
// and kept in the order the cases were given.
#include <poll.h>

#include <algorithm>
#include <memory>
#include <thread>

#include "isolation.hpp"

namespace touchstone::conformance {

namespace {

struct running_case {
  std::size_t index = 0;
  bool alone = false;
  clock::time_point start;
  std::unique_ptr<isolated_child> child;
};

// Tags whose cases change state that cases in other sessions observe.
constexpr std::string_view shared_state_tags[] = {"tmf", "pr", "reservations", "reset", "unit-attention"};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Waits (at most a second, never past a child's deadline) for output from
// any running child, then takes what each has; returns those that are done.
std::vector<std::size_t> wait_for_any(std::vector<running_case>& active) {
  std::vector<pollfd> fds;
  auto soonest = clock::now() + std::chrono::seconds(1);
  for (const auto& r : active) {
    fds.push_back({r.child->fd(), POLLIN, 0});
    soonest = std::min(soonest, r.child->until());
  }
  const auto left = std::max<long long>(0, std::chrono::duration_cast<milliseconds>(soonest - clock::now()).count());
  (void)::poll(fds.data(), fds.size(), static_cast<int>(left));
  std::vector<std::size_t> done;
  for (std::size_t i = 0; i < active.size(); ++i) {
    bool open = true;
    if (fds[i].revents != 0) open = active[i].child->read_ready();
    if (!open || clock::now() >= active[i].child->until()) done.push_back(i);
  }
  return done;
}

}  // namespace

bool runs_alone(const registered_case& c) {
  if (c.info.serial) return true;
  if (std::find(c.info.needs.begin(), c.info.needs.end(), need::destructive) != c.info.needs.end()) return true;
  for (const auto tag : c.info.tags)
    for (const auto shared : shared_state_tags)
      if (tag == shared) return true;
  return starts_with(c.info.id, "tmf.") || starts_with(c.info.id, "pr.");
}

run_summary run_cases_parallel(const std::vector<const registered_case*>& cases, const target_config& target,
                               const run_options& options, const run_events& events) {
  run_summary summary;
  const auto start = clock::now();
  auto in_child = options;
  in_child.isolate = false;  // the child is the isolation
  std::vector<running_case> active;
  std::vector<std::pair<std::size_t, case_result>> finished;
  std::size_t next = 0;
  const auto jobs = static_cast<std::size_t>(std::max(1, options.jobs));
  while ((summary.stopped.empty() && next < cases.size()) || !active.empty()) {
    const bool alone_running = !active.empty() && active.front().alone;
    while (summary.stopped.empty() && next < cases.size() && active.size() < jobs && !alone_running) {
      const auto* c = cases[next];
      const bool alone = runs_alone(*c);
      if (alone && !active.empty()) break;  // the pool drains first
      if (events.started) events.started(*c, next, cases.size());
      running_case r;
      r.index = next++;
      r.alone = alone;
      r.start = clock::now();
      r.child = std::make_unique<isolated_child>([&, c] { return run_case(*c, target, in_child); },
                                                 options.timeout + milliseconds{2000});
      active.push_back(std::move(r));
      if (alone) break;
    }
    auto done = wait_for_any(active);
    std::sort(done.rbegin(), done.rend());
    for (const auto i : done) {
      auto r = active[i].child->finish();
      r.which = cases[active[i].index];
      r.seconds = std::chrono::duration<double>(clock::now() - active[i].start).count();
      if (events.finished) events.finished(r, active[i].index, cases.size());
      const bool errored = r.outcome.kind == verdict_kind::error;
      finished.emplace_back(active[i].index, std::move(r));
      active.erase(active.begin() + static_cast<std::ptrdiff_t>(i));
      std::string why;
      if (errored && options.probe_after_error && summary.stopped.empty() && !target_answers(target, options, why)) {
        std::this_thread::sleep_for(std::chrono::seconds(2));
        if (!target_answers(target, options, why)) {
          std::vector<std::size_t> beside;
          for (const auto& a : active) beside.push_back(a.index);
          note_stop(summary, cases, finished.back().first, beside, next, why);
        }
      }
    }
  }
  std::sort(finished.begin(), finished.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& f : finished) summary.results.push_back(std::move(f.second));
  summary.seconds = std::chrono::duration<double>(clock::now() - start).count();
  return summary;
}

}  // namespace touchstone::conformance
