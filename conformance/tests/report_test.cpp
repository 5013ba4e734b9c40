// Reporters, profiles and the departure logic.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "touchstone/conformance/report.hpp"

using namespace touchstone::conformance;

namespace {

verdict never_run(case_context&) { return verdict::error("not run"); }

const registered_case case_a{{.id = "demo.a", .title = "A <first> & \"quoted\"", .citations = {"rfc7143#section-6.2"},
                              .level = requirement_level::must, .tags = {"demo", "login"}, .needs = {}},
                             &never_run, __FILE__, __LINE__};
const registered_case case_b{{.id = "demo.b", .title = "B", .citations = {"rfc7143#section-7.8"},
                              .level = requirement_level::should, .tags = {"demo"}, .needs = {}},
                             &never_run, __FILE__, __LINE__};

run_summary sample() {
  run_summary s;
  s.results.push_back({&case_a, verdict::fail("answered 0x0000 <not> \x01 class 2"), 0.25, {"[reserved] x"}});
  s.results.push_back({&case_b, verdict::pass(), 0.5, {}});
  s.results.push_back({&case_b, verdict::skip("needs CHAP"), 0, {}});
  s.results.push_back({&case_a, verdict::error("hard timeout"), 30, {}});
  s.seconds = 31;
  return s;
}

// A small well-formedness check: every tag closes in order, attributes quoted,
// no raw '<' or '&' in text.
bool well_formed(const std::string& xml) {
  std::vector<std::string> open;
  std::size_t i = xml.find("?>");
  if (xml.rfind("<?xml", 0) != 0 || i == std::string::npos) return false;
  for (i += 2; i < xml.size(); ++i) {
    const char c = xml[i];
    if (c == '&') {
      const auto semi = xml.find(';', i);
      const auto entity = xml.substr(i, semi - i + 1);
      if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;" && entity != "&apos;")
        return false;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') return false;
    if (c != '<') continue;
    const auto end = xml.find('>', i);
    if (end == std::string::npos) return false;
    std::string tag = xml.substr(i + 1, end - i - 1);
    i = end;
    if (tag.front() == '/') {
      if (open.empty() || open.back() != tag.substr(1)) return false;
      open.pop_back();
      continue;
    }
    const bool self_closing = tag.back() == '/';
    const auto name = tag.substr(0, tag.find_first_of(" /"));
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0) return false;
    if (tag.find('<') != std::string::npos) return false;
    if (!self_closing) open.push_back(name);
  }
  return open.empty();
}

}  // namespace

TEST_CASE("JUnit XML is well formed and counts each verdict", "[conformance][report]") {
  const auto xml = junit_xml(sample(), {"iscsi://h:1/iqn.x:y/0", nullptr});
  CHECK(well_formed(xml));
  CHECK(xml.find("tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\"") != std::string::npos);
  CHECK(xml.find("<failure message=\"answered 0x0000 &lt;not&gt; \\x1 class 2\">") != std::string::npos);
  CHECK(xml.find("A &lt;first&gt; &amp; &quot;quoted&quot;") != std::string::npos);
  CHECK(xml.find("classname=\"demo\" name=\"demo.a\"") != std::string::npos);
  CHECK(xml.find("<skipped message=\"needs CHAP\"/>") != std::string::npos);
  CHECK_FALSE(well_formed("<?xml version=\"1.0\"?><a><b></a></b>"));
  CHECK_FALSE(well_formed("<?xml version=\"1.0\"?><a>x & y</a>"));
}

TEST_CASE("the JSON report follows its schema", "[conformance][report]") {
  const auto text = json_report(sample(), {"iscsi://h:1/iqn.x:y/0", nullptr});
  const auto j = nlohmann::json::parse(text);
  CHECK(j["tool"] == "touchstone-conform");
  CHECK(j["format"] == 1);
  CHECK(j["target"] == "iscsi://h:1/iqn.x:y/0");
  CHECK(j["seconds"].is_number());
  CHECK(j["totals"] == nlohmann::json({{"pass", 1}, {"fail", 1}, {"skip", 1}, {"error", 1}}));
  REQUIRE(j["cases"].size() == 4);
  for (const auto& c : j["cases"]) {
    for (const auto* key : {"id", "title", "level", "verdict", "message", "departure"}) CHECK(c[key].is_string());
    CHECK(c["seconds"].is_number());
    CHECK(c["citations"].is_array());
    CHECK(c["tags"].is_array());
    CHECK(c["target_violations"].is_array());
  }
  CHECK(j["cases"][0]["level"] == "MUST");
  CHECK(j["cases"][0]["target_violations"][0] == "[reserved] x");
  CHECK(j["cases"][1]["level"] == "SHOULD");
  CHECK_FALSE(j.contains("stopped"));
}

TEST_CASE("profiles: parsing and refusal of bad ones", "[conformance][profile]") {
  const auto p = parse_profile(R"({"target": "tgt", "cases": {
      "demo.a": {"verdict": "fail", "clause": "rfc7143#section-6.2", "reason": "answers 0"}}})");
  REQUIRE(p);
  CHECK(p->target == "tgt");
  REQUIRE(p->cases.count("demo.a") == 1);
  CHECK(p->cases.at("demo.a").expected == verdict_kind::fail);
  CHECK_FALSE(parse_profile("[]"));
  CHECK_FALSE(parse_profile("{"));
  CHECK_FALSE(parse_profile(R"({"cases": {"x": {"verdict": "maybe", "reason": "r"}}})"));
  CHECK_FALSE(parse_profile(R"({"cases": {"x": {"verdict": "fail"}}})"));
  CHECK(parse_profile(R"({"target": "empty"})"));
}

TEST_CASE("departures: known, new and resolved", "[conformance][profile]") {
  auto profile = *parse_profile(R"({"cases": {
      "demo.a": {"verdict": "fail", "reason": "known"},
      "demo.b": {"verdict": "fail", "reason": "was failing"}}})");
  const case_result a_fail{&case_a, verdict::fail("x"), 0, {}};
  const case_result a_error{&case_a, verdict::error("x"), 0, {}};
  const case_result b_pass{&case_b, verdict::pass(), 0, {}};
  const case_result b_skip{&case_b, verdict::skip("x"), 0, {}};
  CHECK(classify(a_fail, &profile) == departure::known);
  CHECK(classify(a_error, &profile) == departure::fresh);
  CHECK(classify(b_pass, &profile) == departure::resolved);
  CHECK(classify(b_skip, &profile) == departure::resolved);
  CHECK(classify(a_fail, nullptr) == departure::fresh);
  CHECK(classify(b_pass, nullptr) == departure::none);

  run_summary s;
  s.results = {a_fail, b_pass};
  CHECK_FALSE(has_new_departures(s, &profile));
  CHECK(has_new_departures(s, nullptr));
  s.results.push_back(a_error);
  CHECK(has_new_departures(s, &profile));
  run_summary stopped;
  stopped.stopped = "the target stopped answering";
  CHECK(has_new_departures(stopped, &profile));
}

TEST_CASE("departures: or_verdict names a second verdict a racing target gives", "[conformance][profile]") {
  auto profile = *parse_profile(R"({"cases": {
      "demo.a": {"verdict": "fail", "or_verdict": "error", "reason": "races"},
      "demo.b": {"verdict": "fail", "reason": "fails"}}})");
  CHECK(profile.cases.at("demo.a").alternative == verdict_kind::error);
  CHECK_FALSE(profile.cases.at("demo.b").alternative);
  CHECK(classify({&case_a, verdict::fail("x"), 0, {}}, &profile) == departure::known);
  CHECK(classify({&case_a, verdict::error("x"), 0, {}}, &profile) == departure::known);
  CHECK(classify({&case_a, verdict::pass(), 0, {}}, &profile) == departure::resolved);
  CHECK(classify({&case_b, verdict::error("x"), 0, {}}, &profile) == departure::fresh);
  CHECK_FALSE(parse_profile(R"({"cases": {"x": {"verdict": "fail", "or_verdict": "pass", "reason": "r"}}})"));
  CHECK_FALSE(parse_profile(R"({"cases": {"x": {"verdict": "fail", "or_verdict": "maybe", "reason": "r"}}})"));
}

TEST_CASE("the console reporter: a line per case and a summary", "[conformance][report]") {
  auto profile = *parse_profile(R"({"target": "demo", "cases": {"demo.a": {"verdict": "fail", "reason": "k"}}})");
  const report_context rc{"iscsi://h:1/iqn.x:y/0", &profile};
  std::ostringstream out;
  const auto s = sample();
  std::size_t done = 0;
  for (const auto& r : s.results) print_progress(out, r, rc, console_style{}, ++done, s.results.size());
  print_summary(out, s, rc, console_style{});
  const auto text = out.str();
  CHECK(text.find("[1/4] [ FAIL ] demo.a    0.25 s  rfc7143#section-6.2 known") != std::string::npos);
  CHECK(text.find("[4/4] [ERROR ] demo.a   30.00 s  rfc7143#section-6.2 NEW") != std::string::npos);
  CHECK(text.find("SHOULD") != std::string::npos);
  CHECK(text.find("1 known, 1 new") != std::string::npos);
  CHECK(text.find("\033[") == std::string::npos);
}

TEST_CASE("the console reporter: counts padded, ids aligned, clauses only on departures", "[conformance][report]") {
  const report_context rc{"t", nullptr};
  const case_result pass{&case_b, verdict::pass(), 0.5, {}};
  const case_result fail{&case_a, verdict::fail("why"), 0.25, {}};
  std::ostringstream out;
  const console_style style{.id_width = 10};
  print_progress(out, pass, rc, style, 7, 291);
  print_progress(out, fail, rc, style, 57, 291);
  CHECK(out.str() == "[  7/291] [ PASS ] demo.b        0.50 s\n"
                     "[ 57/291] [ FAIL ] demo.a        0.25 s  rfc7143#section-6.2\n"
                     "         why\n");
}

TEST_CASE("the console reporter: --quiet hides passes, the tag table only tags with more than passes",
          "[conformance][report]") {
  const registered_case only_passes{{.id = "quiet.c", .title = "C", .citations = {"rfc7143#section-11.19"},
                                     .level = requirement_level::must, .tags = {"calm"}, .needs = {}},
                                    &never_run, __FILE__, __LINE__};
  run_summary s;
  s.results = {{&only_passes, verdict::pass(), 0, {}}, {&case_a, verdict::fail("x"), 0, {}}};
  const report_context rc{"t", nullptr};
  std::ostringstream quiet, terse, verbose;
  print_progress(quiet, s.results[0], rc, console_style{.quiet = true}, 1, 2);
  CHECK(quiet.str().empty());
  print_summary(terse, s, rc, console_style{});
  print_summary(verbose, s, rc, console_style{.verbose = true});
  CHECK(terse.str().find("    calm") == std::string::npos);
  CHECK(terse.str().find("1 with only passes not shown") != std::string::npos);
  CHECK(terse.str().find("    login") != std::string::npos);
  CHECK(verbose.str().find("    calm") != std::string::npos);
}

TEST_CASE("the console reporter: the run ends with its departures, new first, with their clauses",
          "[conformance][report]") {
  auto profile = *parse_profile(R"({"cases": {"demo.a": {"verdict": "fail", "clause": "rfc7143#section-7.1",
                                                         "reason": "k"}}})");
  const report_context rc{"t", &profile};
  std::ostringstream out;
  print_summary(out, sample(), rc, console_style{});
  const auto text = out.str();
  const auto list = text.find("departures (2), new first:");
  REQUIRE(list != std::string::npos);
  const auto fresh = text.find("ERROR  new", list);
  const auto known = text.find("FAIL  known    demo.a  rfc7143#section-7.1", list);
  CHECK(fresh != std::string::npos);
  CHECK(known != std::string::npos);
  CHECK(fresh < known);
}

TEST_CASE("profiles: a syntax error names its line and column, unknown case ids are found",
          "[conformance][profile]") {
  const auto truncated = parse_profile("{\"target\": \"x\",\n \"cases\": {");
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().find("line 2, column 12") != std::string::npos);
  const auto p = parse_profile(R"({"cases": {"no.such.case": {"verdict": "fail", "reason": "r"}}})");
  REQUIRE(p);
  CHECK(unknown_case_ids(*p) == std::vector<std::string>{"no.such.case"});
}

TEST_CASE("shared causes: one message (numbers aside) or one violation in many cases is one group",
          "[conformance][report]") {
  run_summary s;
  for (int i = 0; i < 4; ++i)
    s.results.push_back({&case_a, verdict::error("REPORT SUPPORTED OPERATION CODES: status 2 for ITT 0x" +
                                                 std::to_string(10 + i)),
                         0, {"[MUST] rfc7143#section-11.4.9: StatSN skips in SCSI Response"}});
  s.results.push_back({&case_b, verdict::fail("a different fault"), 0, {}});
  s.results.push_back({&case_b, verdict::pass(), 0, {"[MUST] rfc7143#section-11.4.9: StatSN skips in SCSI Response"}});
  const auto groups = group_causes(s, 3);
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].kind == "violation");  // in 5 cases, the largest first
  CHECK(groups[0].cases.size() == 5);
  CHECK(groups[1].kind == "error");
  CHECK(groups[1].cases.size() == 4);
  CHECK(groups[1].example == "REPORT SUPPORTED OPERATION CODES: status 2 for ITT 0x10");
  std::ostringstream out;
  print_causes(out, s);
  CHECK(out.str().find("4 cases, error: REPORT SUPPORTED OPERATION CODES") != std::string::npos);
  CHECK(out.str().find("and 1 more") != std::string::npos);
  CHECK(out.str().find("a different fault") == std::string::npos);  // one case: no group
  const auto json = nlohmann::json::parse(json_report(s, {"iscsi://x", nullptr}));
  REQUIRE(json["shared_causes"].size() == 2);
  CHECK(json["shared_causes"][1]["count"] == 4);
}
