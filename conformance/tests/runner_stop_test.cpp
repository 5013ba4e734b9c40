// A run whose target stops answering: the stop names the case running then
// and the one before it, the cases never started are "not run" in every
// report, and --from resumes at the first of them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "touchstone/conformance/report.hpp"
#include "touchstone/conformance/runner.hpp"
#include "touchstone/conformance/selection.hpp"

using namespace touchstone::conformance;
using namespace std::chrono_literals;

namespace {

verdict passes(case_context&) { return verdict::pass(); }
verdict errs(case_context&) { return verdict::error("the target went away on purpose"); }

registered_case make(std::string_view id, case_function f, bool serial = false) {
  registered_case c;
  c.info.id = id;
  c.info.title = id;
  c.info.serial = serial;
  c.run = f;
  return c;
}

// A portal nothing listens on: every liveness probe after an error fails.
target_config gone_target() {
  target_config t;
  t.portal = {"127.0.0.1", 1};
  return t;
}

}  // namespace

TEST_CASE("runner: the target stops answering, the rest is not run, every report says so",
          "[conformance][runner]") {
  const int jobs = GENERATE(1, 2);
  CAPTURE(jobs);
  // b runs alone (serial): under --jobs 2 nothing starts beside it, so c
  // and d never start whatever the machine's load.
  const std::vector<registered_case> cases = {make("a.first", &passes), make("b.breaks", &errs, true),
                                              make("c.third", &passes), make("d.fourth", &passes)};
  std::vector<const registered_case*> chosen;
  for (const auto& c : cases) chosen.push_back(&c);
  run_options o;
  o.timeout = 2000ms;
  o.wait = 300ms;
  o.jobs = jobs;
  o.isolate = jobs > 1;
  const auto summary = run_cases(chosen, gone_target(), o);
  CHECK(summary.stopped.find("after b.breaks") != std::string::npos);
  CHECK(summary.stopped.find("the case before it: a.first") != std::string::npos);
  REQUIRE(summary.not_run.size() == 2);
  CHECK(summary.not_run.front()->info.id == "c.third");
  CHECK(summary.not_run.back()->info.id == "d.fourth");
  CHECK(summary.results.size() == 2);
  const std::string first(summary.not_run.front()->info.id);
  CHECK(resume_hint(summary).find("--from " + first) != std::string::npos);

  const report_context rc{"iscsi://127.0.0.1:1/iqn.x", nullptr};
  const auto json = nlohmann::json::parse(json_report(summary, rc));
  CHECK(json["resume_from"] == first);
  CHECK(json["totals"]["not run"] == summary.not_run.size());
  std::size_t listed = 0;
  for (const auto& c : json["cases"]) listed += c["verdict"] == "not run";
  CHECK(listed == summary.not_run.size());
  const auto xml = junit_xml(summary, rc);
  CHECK(xml.find("tests=\"4\"") != std::string::npos);
  CHECK(xml.find("name=\"d.fourth\" time=\"0.000\">\n      <skipped message=\"not run: ") != std::string::npos);
}

TEST_CASE("selection: --from starts at that case, in run order, and an unknown id is refused",
          "[conformance][selection]") {
  const std::vector<registered_case> all = {make("a.first", &passes), make("b.second", &passes),
                                            make("c.third", &passes)};
  selection s;
  s.from = "b.second";
  CHECK_FALSE(from_unknown(all, s));
  const auto chosen = select_cases(all, s);
  REQUIRE(chosen.size() == 2);
  CHECK(chosen[0]->info.id == "b.second");
  CHECK(describe(s).find("--from 'b.second'") != std::string::npos);
  s.exclude = {"b.*"};
  CHECK(from_unknown(all, s));  // excluded: not among the selected
  s.exclude.clear();
  s.from = "z.none";
  CHECK(from_unknown(all, s));
}
