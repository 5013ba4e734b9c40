// The parallel runner (--jobs) and what runs alone under it.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>

#include "touchstone/conformance/runner.hpp"

using namespace touchstone::conformance;
using namespace std::chrono_literals;

namespace {

verdict passes(case_context&) { return verdict::pass(); }
verdict fails(case_context&) { return verdict::fail("failed on purpose"); }
verdict skips(case_context&) { return verdict::skip("skipped on purpose"); }
verdict crashes(case_context&) { std::abort(); }
verdict hangs(case_context&) {
  std::this_thread::sleep_for(60s);
  return verdict::pass();
}

registered_case make(std::string_view id, case_function f, std::vector<std::string_view> tags = {},
                     std::vector<need> needs = {}, bool serial = false) {
  registered_case c;
  c.info.id = id;
  c.info.title = id;
  c.info.tags = std::move(tags);
  c.info.needs = std::move(needs);
  c.info.serial = serial;
  c.run = f;
  return c;
}

}  // namespace

TEST_CASE("runs_alone: task management, resets, reservations, destructive and serial cases", "[conformance][runner]") {
  CHECK(runs_alone(make("tmf.x", &passes)));
  CHECK(runs_alone(make("pr.x", &passes)));
  CHECK(runs_alone(make("a.x", &passes, {"nop", "tmf"})));
  CHECK(runs_alone(make("a.y", &passes, {"reset"})));
  CHECK(runs_alone(make("a.z", &passes, {}, {need::destructive})));
  CHECK(runs_alone(make("a.w", &passes, {}, {}, true)));
  CHECK_FALSE(runs_alone(make("nop.ping", &passes, {"nop", "numbering"}, {need::writable_lun})));
}

TEST_CASE("the parallel runner (jobs 3): every case runs once, results keep the given order, hangs and crashes are errors",
          "[conformance][runner]") {
  const std::vector<registered_case> cases = {
      make("a.pass", &passes),          make("b.fail", &fails),
      make("c.skip", &skips),           make("d.crash", &crashes),
      make("e.hang", &hangs),           make("f.alone", &passes, {"tmf"}),
      make("g.destructive", &passes, {}, {need::destructive}),
      make("h.pass", &passes),
  };
  std::vector<const registered_case*> chosen;
  for (const auto& c : cases) chosen.push_back(&c);
  target_config target;
  run_options o;
  o.timeout = 300ms;
  o.jobs = 3;
  o.probe_after_error = false;
  std::set<std::string_view> started, finished;
  run_events events;
  events.started = [&](const registered_case& c, std::size_t, std::size_t) { started.insert(c.info.id); };
  events.finished = [&](const case_result& r, std::size_t, std::size_t) { finished.insert(r.which->info.id); };
  const auto summary = run_cases(chosen, target, o, events);
  REQUIRE(summary.results.size() == cases.size());
  CHECK(summary.stopped.empty());
  CHECK(started.size() == cases.size());
  CHECK(finished.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) CHECK(summary.results[i].which == &cases[i]);
  const auto kind = [&](std::size_t i) { return summary.results[i].outcome.kind; };
  CHECK(kind(0) == verdict_kind::pass);
  CHECK(kind(1) == verdict_kind::fail);
  CHECK(kind(2) == verdict_kind::skip);
  CHECK(kind(3) == verdict_kind::error);
  CHECK(summary.results[3].outcome.message.find("crashed") != std::string::npos);
  CHECK(kind(4) == verdict_kind::error);
  CHECK(summary.results[4].outcome.message.find("hard timeout") != std::string::npos);
  CHECK(kind(5) == verdict_kind::pass);
  CHECK(kind(6) == verdict_kind::skip);
  CHECK(summary.results[6].outcome.message.find("--destructive") != std::string::npos);
  CHECK(kind(7) == verdict_kind::pass);

  target.destructive = true;
  const auto again = run_cases({&cases[6]}, target, o);
  REQUIRE(again.results.size() == 1);
  CHECK(again.results[0].outcome.kind == verdict_kind::pass);
}
