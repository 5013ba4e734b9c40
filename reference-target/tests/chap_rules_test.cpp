// CHAP's protocol rules on the target (RFC 7143 sections 12.1.3 and 9.2.1,
// RFC 1994), in process: the order of the keys, missing keys, a response the
// target itself would have computed, challenges reflected on this connection
// or another one, and the config checks on the secrets.
#include "support.hpp"
#include "touchstone/pdu/chap.hpp"
#include "touchstone/target/config_file.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;
using pdu::login_status;

namespace {

constexpr auto sec = login_stage::security_negotiation;
constexpr std::string_view alice_secret = "alice-secret-1234";
constexpr std::string_view target_secret = "target-secret-5678";

target_config chap_config() {
  target_config c;
  c.chap = chap_account{"alice", std::string(alice_secret)};
  c.mutual_chap = chap_account{"target", std::string(target_secret)};
  return c;
}

// AuthMethod=CHAP and CHAP_A=5 exchanged: the target's challenge.
pdu::text_pairs challenged(driver& d) {
  REQUIRE(status_of(d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "CHAP"}}).build())) ==
          login_status::success);
  auto s = d.feed(login(sec, {{"CHAP_A", "5"}}).build());
  REQUIRE(status_of(s) == login_status::success);
  return parse(s.sent.at(0));
}

step answer(driver& d, pdu::text_pairs pairs) {
  return d.feed(login(sec, pairs).transit_to(login_stage::operational_negotiation).build());
}

}  // namespace

TEST_CASE("chap: a missing CHAP_N or CHAP_R is a missing parameter (0207)", "[target][login][chap]") {
  //= rfc7143#section-12.1.3
  //= type=test
  //# The initiator MUST continue with: CHAP_N=<N> CHAP_R=<R>
  driver d(make_node(chap_config()));
  const auto c = challenged(d);
  const bool drop_name = GENERATE(true, false);
  pdu::text_pairs pairs;
  if (!drop_name) pairs.push_back({"CHAP_N", "alice"});
  if (drop_name) pairs.push_back({"CHAP_R", chap_response_to(c, alice_secret)});
  auto s = answer(d, pairs);
  //= rfc7143#section-11.13.5
  //= type=test
  //# Missing       | 0207 | Missing parameters (e.g., iSCSI
  //# ...
  //# Initiator Name and/or Target Name).
  CHECK(status_of(s) == login_status::missing_parameter);
  CHECK(s.closed);
}

TEST_CASE("chap: CHAP_N and CHAP_R before the target's challenge are an initiator error",
          "[target][login][chap]") {
  //= rfc7143#section-12.1.3
  //= type=test
  //# For CHAP [RFC1994], the initiator MUST use: CHAP_A=<A1,A2...>
  driver d(make_node(chap_config()));
  SECTION("with AuthMethod") {
    auto s = d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "CHAP"}, {"CHAP_N", "alice"},
                                {"CHAP_R", "0x00112233445566778899aabbccddeeff"}})
                        .build());
    CHECK(status_of(s) == login_status::initiator_error);
    CHECK(s.closed);
  }
  SECTION("in place of CHAP_A") {
    REQUIRE(status_of(d.feed(login(sec, {login_names[0], login_names[1], {"AuthMethod", "CHAP"}}).build())) ==
            login_status::success);
    auto s = d.feed(login(sec, {{"CHAP_N", "alice"}, {"CHAP_R", "0x00112233445566778899aabbccddeeff"}})
                        .build());
    CHECK(status_of(s) == login_status::initiator_error);
    CHECK(s.closed);
  }
}

TEST_CASE("chap: a response the target would itself compute is an authentication failure",
          "[target][login][chap]") {
  //= rfc7143#section-9.2.1
  //= type=test
  //# If the CHAP response received by one end of an iSCSI connection is the
  //# same as the CHAP response that the receiving endpoint would have
  //# generated for the same CHAP challenge, the response MUST be treated as
  //# an authentication failure and cause the connection to close
  // The initiator knows the target's secret (and uses it as its own name's).
  auto config = chap_config();
  config.chap->secret = std::string(target_secret) + "-other";
  driver d(make_node(config));
  const auto c = challenged(d);
  auto s = answer(d, {{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(c, target_secret)}});
  CHECK(status_of(s) == login_status::authentication_failure);
  CHECK(s.closed);
}

TEST_CASE("chap: a reflected challenge closes the connection", "[target][login][chap]") {
  //= rfc7143#section-9.2.1
  //= type=test
  //# Originators MUST NOT reuse the CHAP challenge sent by the responder for
  //# the other direction of a bidirectional authentication.  Responders MUST
  //# check for this condition and close the iSCSI TCP connection if it occurs.
  auto node = make_node(chap_config());
  SECTION("on the same connection") {
    driver d(node);
    const auto c = challenged(d);
    auto s = answer(d, {{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(c, alice_secret)},
                        {"CHAP_I", "9"}, {"CHAP_C", *find_key(c, "CHAP_C")}});
    CHECK(status_of(s) == login_status::authentication_failure);
    CHECK(s.closed);
  }
  SECTION("the challenge of another connection") {
    driver first(node);
    const auto c1 = challenged(first);
    driver second(node);
    const auto c2 = challenged(second);
    auto s = answer(second, {{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(c2, alice_secret)},
                             {"CHAP_I", "9"}, {"CHAP_C", *find_key(c1, "CHAP_C")}});
    CHECK(status_of(s) == login_status::authentication_failure);
    CHECK(s.closed);
  }
  SECTION("a fresh challenge is answered") {
    driver d(node);
    const auto c = challenged(d);
    auto s = answer(d, {{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(c, alice_secret)},
                        {"CHAP_I", "9"}, {"CHAP_C", "0x0f0e0d0c0b0a09080706050403020100"}});
    CHECK(status_of(s) == login_status::success);
    CHECK(*find_key(parse(s.sent[0]), "CHAP_N") == "target");
  }
}

TEST_CASE("chap: the instance remembers a bounded number of challenges", "[target][chap]") {
  chap_challenge_log log(2);
  log.remember({1});
  log.remember({2});
  CHECK(log.issued({1}));
  log.remember({3});
  CHECK_FALSE(log.issued({1}));
  CHECK(log.issued({2}));
  CHECK(log.issued({3}));
  CHECK(log.size() == 2);
}

TEST_CASE("chap: config warns of short secrets and refuses a shared one", "[target][chap][config]") {
  //= rfc7143#section-9.2.1
  //= type=test
  //# A compliant implementation SHOULD NOT continue with the login step in
  //# which it should send a CHAP response (CHAP_R; see Section 12.1.3) unless
  //# it can verify that the CHAP secret is at least 96 bits
  auto parsed = parse_config(R"({"targets": [{"iqn": "iqn.2026-11.org.touchstone:t",
      "chap": {"user": "alice", "secret": "short-11byt"},
      "mutual_chap": {"user": "target", "secret": "twelve-bytes"}}]})");
  REQUIRE(parsed);
  const auto warnings = weak_secret_warnings(*parsed);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].starts_with("targets[0].chap: the CHAP secret of alice is shorter than 96 bits"));
  //= rfc7143#section-9.2.1
  //= type=test
  //# Any CHAP secret used for initiator authentication MUST NOT be configured
  //# for authentication of any target
  auto shared = parse_config(R"({"targets": [{"iqn": "iqn.2026-11.org.touchstone:t",
      "chap": {"user": "alice", "secret": "the-same-secret"},
      "mutual_chap": {"user": "target", "secret": "the-same-secret"}}]})");
  REQUIRE_FALSE(shared);
  CHECK(shared.error().text() == "targets[0].mutual_chap.secret: must differ from the initiator's secret");
}

TEST_CASE("chap: the authenticator names the rule each failure breaks", "[target][chap]") {
  const chap_account alice{"alice", std::string(alice_secret)};
  const chap_account target{"target", std::string(target_secret)};
  auto log = std::make_shared<chap_challenge_log>();
  auto challenge = [](chap_authenticator& a) {
    auto c = a.step({{"CHAP_A", "5"}});
    REQUIRE(c);
    return *c;
  };
  auto rule_of = [](const result<pdu::text_pairs, chap_failure>& r) {
    REQUIRE_FALSE(r);
    return std::string(r.error().requirement);
  };
  SECTION("a response computed with the target's own secret") {
    chap_authenticator a(chap_account{"alice", "another-secret-99"}, target, log);
    const auto c = challenge(a);
    CHECK(rule_of(a.step({{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(c, target_secret)}})) ==
          "rfc7143#section-9.2.1/own-response");
  }
  SECTION("a wrong response") {
    chap_authenticator a(alice, target, log);
    const auto c = challenge(a);
    CHECK(rule_of(a.step({{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(c, "not-the-secret")}})) ==
          "rfc7143#section-12.1.3/chap-r-mismatch");
  }
  SECTION("a challenge issued to another connection") {
    chap_authenticator other(alice, target, log);
    const auto theirs = challenge(other);
    chap_authenticator a(alice, target, log);
    const auto c = challenge(a);
    CHECK(rule_of(a.step({{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(c, alice_secret)},
                          {"CHAP_I", "1"}, {"CHAP_C", *find_key(theirs, "CHAP_C")}})) ==
          "rfc7143#section-9.2.1/reflected-challenge");
  }
  SECTION("a response before the challenge") {
    chap_authenticator a(alice, target, log);
    const auto r = a.step({{"CHAP_N", "alice"}, {"CHAP_R", "0x00"}});
    CHECK(rule_of(r) == "rfc7143#section-12.1.3/chap-before-challenge");
    CHECK(r.error().status == login_status::initiator_error);
  }
}

//= rfc7143#section-9.2.1 type=test
//# Implementations MUST support the
//# use of up to 128-bit random CHAP secrets, including the means to
//# generate such secrets and to accept them from an external generation
//# source.
//= rfc7143#section-9.2.1 type=test
//# Implementations MUST NOT provide secret generation (or
//# expansion) means other than random generation.
TEST_CASE("chap: a generated 128-bit random secret, configured, authenticates a login", "[target][login][chap]") {
  const auto first = pdu::chap_make_secret();
  const auto second = pdu::chap_make_secret();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->size() == 32);  // 16 random bytes, hex-written
  CHECK(first->find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(*first != *second);  // random: equal with probability 2^-128
  CHECK_FALSE(pdu::chap_make_secret(0));
  target_config c;
  c.chap = chap_account{"alice", *first};  // as an external source hands it over
  driver d(make_node(c));
  const auto challenge = challenged(d);
  auto s = answer(d, {{"CHAP_N", "alice"}, {"CHAP_R", chap_response_to(challenge, *first)}});
  CHECK(status_of(s) == login_status::success);
}
