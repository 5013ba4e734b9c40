// target_for(): which target a case runs against when the target under test
// has a CHAP stand-in (the embedded default's second, CHAP-only target).
#include <catch2/catch.hpp>

#include "touchstone/conformance/target.hpp"

using namespace touchstone::conformance;

namespace {

target_config plain_with_stand_in() {
  target_config t;
  t.portal = {"127.0.0.1", 3260};
  t.target_name = "iqn.2026-11.org.touchstone:target";
  t.second_lun = 1;
  t.writable = true;
  chap_stand_in s;
  s.portal = {"127.0.0.1", 3261};
  s.target_name = "iqn.2026-11.org.touchstone:target-chap";
  s.chap = {"initiator", "initiator-secret-0123", "target", "target-secret-4567"};
  s.discovery_chap = {"discovery", "discovery-secret-89", "discovery-target", "discovery-target-secret"};
  t.chap_target = s;
  return t;
}

}  // namespace

TEST_CASE("a case without CHAP needs stays on the target under test", "[chap][runner]") {
  const auto t = plain_with_stand_in();
  for (const auto& needs : {std::vector<need>{}, std::vector<need>{need::writable_lun, need::second_lun}}) {
    const auto chosen = target_for(t, needs);
    CHECK(chosen.portal.port == 3260);
    CHECK(chosen.target_name == t.target_name);
    CHECK_FALSE(chosen.chap.has_value());
    CHECK(chosen.second_lun == std::optional<std::uint16_t>{1});
  }
}

TEST_CASE("a CHAP case the target cannot serve goes to the stand-in with its credentials", "[chap][runner]") {
  const auto t = plain_with_stand_in();
  for (const auto n : {need::chap, need::mutual_chap, need::discovery_chap}) {
    const auto chosen = target_for(t, {n});
    CHECK(chosen.portal.port == 3261);
    CHECK(chosen.target_name == "iqn.2026-11.org.touchstone:target-chap");
    REQUIRE(chosen.chap.has_value());
    CHECK(chosen.chap->user == "initiator");
    CHECK(chosen.chap->mutual());
    REQUIRE(chosen.discovery_chap.has_value());
    CHECK(chosen.discovery_chap->user == "discovery");
    CHECK(has(chosen, n));
    // The stand-in has no second LUN and no stand-in of its own.
    CHECK_FALSE(chosen.second_lun.has_value());
    CHECK_FALSE(chosen.chap_target.has_value());
  }
}

TEST_CASE("a target with its own CHAP credentials keeps its CHAP cases", "[chap][runner]") {
  auto t = plain_with_stand_in();
  t.chap = chap_credentials{"mine", "my-secret-0123456", {}, {}};
  const auto one_way = target_for(t, {need::chap});
  CHECK(one_way.portal.port == 3260);
  CHECK(one_way.chap->user == "mine");
  // Mutual CHAP needs the target's secret, which this target lacks.
  const auto mutual = target_for(t, {need::mutual_chap});
  CHECK(mutual.portal.port == 3261);
}

TEST_CASE("without a stand-in a CHAP case stays put and its need stays unmet", "[chap][runner]") {
  target_config t;
  t.portal = {"192.0.2.1", 3260};
  const auto chosen = target_for(t, {need::chap, need::discovery_chap});
  CHECK(chosen.portal.host == "192.0.2.1");
  CHECK_FALSE(has(chosen, need::chap));
  CHECK_FALSE(has(chosen, need::discovery_chap));
  CHECK(missing_reason(need::discovery_chap).find("--discovery-chap") != std::string::npos);
}
