// Status class 01 (redirection), in process and through the config parser:
// a target with "redirect" answers Normal logins that name it with 0101 or
// 0102 and TargetAddress keys, at once or after the security negotiation;
// discovery sessions and other targets are not redirected.
#include "support.hpp"
#include "touchstone/target/config_file.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;
using pdu::login_status;

namespace {

constexpr auto sec = login_stage::security_negotiation;
constexpr auto op = login_stage::operational_negotiation;

target_config redirecting(bool permanent = false, bool after_security = false, bool chap = false) {
  target_config c;
  c.redirect = redirect_config{{"192.0.2.7:3261", "[2001:db8::7]"}, permanent, after_security};
  if (chap) c.chap = chap_account{"alice", "alice-secret-1234"};
  return c;
}

std::vector<std::string> target_addresses(const pdu::pdu& response) {
  std::vector<std::string> out;
  for (const auto& kv : parse(response))
    if (kv.key == "TargetAddress") out.push_back(kv.value);
  return out;
}

// A redirect: one Login Response, status 01xx, the addresses, then close.
void check_redirected(const step& s, login_status expected) {
  REQUIRE(s.sent.size() == 1);
  const pdu::login_response_view r(s.sent[0]);
  CHECK(r.status() == expected);
  //= rfc7143#section-11.13.5
  //= type=test
  //# All of the redirection Status-Class responses MUST return one or more text
  //# key parameters of the type "TargetAddress"
  CHECK(target_addresses(s.sent[0]) == std::vector<std::string>{"192.0.2.7:3261", "[2001:db8::7]"});
  CHECK(r.tsih() == 0);
  CHECK(pdu::validate(s.sent[0]).empty());
  //= rfc7143#section-11.13.5
  //= type=test
  //# If the Status-Class is not 0, the initiator and target MUST close the TCP connection.
  CHECK(s.closed);
}

}  // namespace

TEST_CASE("redirect: the first Normal login is answered 0101, or 0102 when permanent",
          "[target][login][redirect]") {
  const bool permanent = GENERATE(false, true);
  driver d(make_node(redirecting(permanent)));
  auto s = login_normal(d);
  check_redirected(s, permanent ? login_status::target_moved_permanently
                                : login_status::target_moved_temporarily);
  CHECK(d.core().violations().total == 0);  // a redirect is not the initiator's fault
}

TEST_CASE("redirect: at login it comes before the security negotiation", "[target][login][redirect]") {
  //= rfc7143#section-11.13.5
  //= type=test
  //# A redirection response MAY be issued by a target prior to or after
  //# completing a security negotiation if a security negotiation is required.
  driver d(make_node(redirecting(false, false, true)));
  auto s = d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "CHAP"}}).build());
  check_redirected(s, login_status::target_moved_temporarily);
}

TEST_CASE("redirect: after-security completes CHAP, holds the stage with T=0, then redirects",
          "[target][login][redirect][chap]") {
  driver d(make_node(redirecting(false, true, true)));
  auto s1 = d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "CHAP"}}).build());
  REQUIRE(status_of(s1) == login_status::success);
  auto s2 = d.feed(login(sec, {{"CHAP_A", "5"}}).build());
  REQUIRE(status_of(s2) == login_status::success);
  const auto challenge = parse(s2.sent.at(0));
  SECTION("a wrong answer still fails authentication, not redirected") {
    auto s = d.feed(login(sec, {{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(challenge, "wrong-secret-0000")}})
                        .transit_to(op)
                        .build());
    CHECK(status_of(s) == login_status::authentication_failure);
  }
  SECTION("the right answer is accepted with T=0; the next request is redirected") {
    auto s3 = d.feed(login(sec, {{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(challenge, "alice-secret-1234")}})
                         .transit_to(op)
                         .build());
    REQUIRE(status_of(s3) == login_status::success);
    //= rfc7143#section-6.3.3
    //= type=test
    //# Even when the initiator indicates its intent to switch stages by setting
    //# the T bit to 1 in a Login Request, the target MAY respond with a Login
    //# Response with the T bit set to 0.
    CHECK_FALSE(pdu::login_response_view(s3.sent[0]).transit());
    CHECK_FALSE(s3.closed);
    auto s4 = d.feed(login(sec, {}).transit_to(op).build());
    check_redirected(s4, login_status::target_moved_temporarily);
  }
}

TEST_CASE("redirect: after-security without CHAP redirects the operational stage",
          "[target][login][redirect]") {
  driver d(make_node(redirecting(true, true, false)));
  auto s = login_normal(d);
  check_redirected(s, login_status::target_moved_permanently);
}

TEST_CASE("redirect: discovery sessions and other target names are not redirected",
          "[target][login][redirect]") {
  driver d(make_node(redirecting()));
  SECTION("discovery") {
    auto s = d.feed(login(op, {login_names[0], {"SessionType", "Discovery"}})
                        .transit_to(login_stage::full_feature_phase)
                        .build());
    CHECK(status_of(s) == login_status::success);
  }
  SECTION("a name this node does not serve is not found") {
    auto s = d.feed(login(op, {login_names[0], {"TargetName", "iqn.2026-11.org.example:other"}})
                        .transit_to(login_stage::full_feature_phase)
                        .build());
    CHECK(status_of(s) == login_status::not_found);
  }
}

TEST_CASE("redirect: the config reads it and refuses bad addresses with their path",
          "[target][config][redirect]") {
  const std::string head = R"({"targets": [{"iqn": "iqn.2026-11.org.touchstone:t", "redirect": )";
  SECTION("valid") {
    auto c = parse_config(head + R"({"to": ["10.0.0.2:3260", "host.example"], "permanent": true,
                                     "when": "after-security"}}]})");
    REQUIRE(c);
    const auto& r = c->targets.at(0).settings.redirect;
    REQUIRE(r);
    CHECK(r->addresses == std::vector<std::string>{"10.0.0.2:3260", "host.example"});
    CHECK(r->permanent);
    CHECK(r->after_security);
  }
  SECTION("a portal group tag") {
    //= rfc7143#section-13.8
    //= type=test
    //# If the TargetAddress is returned as the result of a redirect status in a
    //# Login Response, the comma and portal-group-tag MUST be omitted.
    auto c = parse_config(head + R"({"to": ["10.0.0.2:3260,1"]}}]})");
    REQUIRE_FALSE(c);
    CHECK(c.error().path == "targets[0].redirect.to[0]");
  }
  SECTION("bad port, no address, unknown when") {
    auto bad_port = parse_config(head + R"({"to": ["10.0.0.2:99999"]}}]})");
    REQUIRE_FALSE(bad_port);
    CHECK(bad_port.error().path == "targets[0].redirect.to[0]");
    auto empty = parse_config(head + R"({"to": []}}]})");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().path == "targets[0].redirect.to");
    auto missing = parse_config(head + R"({"permanent": true}}]})");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().path == "targets[0].redirect.to");
    auto when = parse_config(head + R"({"to": ["h"], "when": "later"}}]})");
    REQUIRE_FALSE(when);
    CHECK(when.error().path == "targets[0].redirect.when");
  }
}
