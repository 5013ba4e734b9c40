// The case registry and selection.
#include <catch2/catch.hpp>
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
  const std::regex citation("rfc(7143|7144|3720)#(section-[0-9.]+|appendix-[A-Z])");
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
  std::ifstream in(TOUCHSTONE_SPEC_DIR "/rfc7143.md");
  if (!in) {
    WARN("the RFC text is not at " TOUCHSTONE_SPEC_DIR);
    return;
  }
  const std::string rfc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& c : all_cases())
    for (const auto cite : c.info.citations) {
      const std::string text(cite);
      if (text.rfind("rfc7143#section-", 0) != 0) continue;
      const auto number = text.substr(std::string("rfc7143#section-").size());
      INFO(c.info.id << " cites " << text);
      CHECK(rfc.find("\n" + number + ".  ") != std::string::npos);
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
