// The case registry and selection.
#include <catch2/catch.hpp>
#include <cstdlib>

#include <map>
#include <fstream>
#include <regex>
#include <set>

#include "touchstone/conformance/selection.hpp"

using namespace touchstone::conformance;

TEST_CASE("glob matching", "[conformance][selection]") {
  CHECK(glob_match("login.*", "login.keys.x"));
  CHECK(glob_match("*.x", "login.keys.x"));
  CHECK(glob_match("login.?eys.*", "login.keys.x"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("a*b*c", "aXXbYYc"));
  CHECK_FALSE(glob_match("login.*", "nop.ping"));
  CHECK_FALSE(glob_match("a*b", "aXXbY"));
  CHECK_FALSE(glob_match("", "x"));
}

TEST_CASE("every registered case is well formed", "[conformance][registry]") {
  CHECK(duplicate_case_ids().empty());
  const auto& cases = all_cases();
  REQUIRE(cases.size() >= 40);
  const std::regex id("[a-z0-9-]+(\\.[a-z0-9-]+)+");
  // RFC 7143 supersedes RFC 3720: citing the old text is a mistake.
  // SCSI clauses (spc4#5.13.1): the standards are not redistributable, so
  // their ids are checked for form only.
  const std::regex citation(
      "rfc(7143|7144|1982|1994)#(section-[0-9.]+|appendix-[A-Z])|(spc4|sbc3|sam5)#[0-9]+(\\.[0-9]+)*");
  std::set<std::string_view> ids;
  for (const auto& c : cases) {
    INFO(c.info.id);
    CHECK(std::regex_match(std::string(c.info.id), id));
    CHECK(ids.insert(c.info.id).second);
    CHECK_FALSE(c.info.title.empty());
    CHECK_FALSE(c.info.citations.empty());
    CHECK_FALSE(c.info.tags.empty());
    CHECK(c.run != nullptr);
    for (const auto cite : c.info.citations) CHECK(std::regex_match(std::string(cite), citation));
  }
  CHECK(std::is_sorted(cases.begin(), cases.end(),
                       [](const auto& a, const auto& b) { return a.info.id < b.info.id; }));
}

TEST_CASE("every case cites a clause the RFC has", "[conformance][registry]") {
  std::map<std::string, std::string> texts;  // "rfc7143" -> its text
  for (const auto& c : all_cases())
    for (const auto cite : c.info.citations) {
      const std::string text(cite);
      const auto hash = text.find("#section-");
      if (hash == std::string::npos) continue;
      const auto rfc = text.substr(0, hash);
      if (!texts.count(rfc)) {
        std::ifstream in(TOUCHSTONE_SPEC_DIR "/" + rfc + ".md");
        if (!in) {
          // CI lays shared/ beside its clone: there a missing text is an error.
          const char* ci = std::getenv("CI");
          if (ci != nullptr && std::string_view(ci) == "true")
            FAIL("the RFC text is not at " TOUCHSTONE_SPEC_DIR "/" << rfc << ".md");
          WARN("the RFC text is not at " TOUCHSTONE_SPEC_DIR "/" << rfc << ".md");
          texts[rfc] = "";
          continue;
        }
        texts[rfc] = std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      }
      if (texts[rfc].empty()) continue;
      const auto number = text.substr(hash + std::string("#section-").size());
      INFO(c.info.id << " cites " << text);
      // Section headings: "11.2.  Title" in RFC 7143/1994, "3. Title" in RFC 1982.
      const bool found = texts[rfc].find("\n" + number + ".  ") != std::string::npos ||
                         texts[rfc].find("\n" + number + ". ") != std::string::npos;
      CHECK(found);
    }
}

TEST_CASE("selection by --only, --tag and --exclude", "[conformance][selection]") {
  const auto& all = all_cases();
  CHECK(select_cases(all, {}).size() == all.size());

  const auto logins = select_cases(all, {{"login.*"}, {}, {}});
  REQUIRE_FALSE(logins.empty());
  for (const auto* c : logins) CHECK(std::string(c->info.id).rfind("login.", 0) == 0);

  const auto nop = select_cases(all, {{}, {"nop"}, {}});
  REQUIRE_FALSE(nop.empty());
  for (const auto* c : nop)
    CHECK(std::find(c->info.tags.begin(), c->info.tags.end(), "nop") != c->info.tags.end());

  const auto without = select_cases(all, {{"login.*"}, {}, {"login.keys.*"}});
  CHECK(without.size() < logins.size());
  for (const auto* c : without) CHECK(std::string(c->info.id).rfind("login.keys.", 0) != 0);

  CHECK(select_cases(all, {{"no.such.*"}, {}, {}}).empty());
  CHECK(find_case("nop.ping.echoes-itt") != nullptr);
  CHECK(find_case("no.such.case") == nullptr);
}
