// What a target's configuration decides at login, in process: the
// initiator allow-list, required digests, the session limit and the login
// timeout, each with the status RFC 7143 section 11.13.5 gives it.
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;
using pdu::login_status;

namespace {

step login_ffp(driver& d, pdu::text_pairs pairs, std::uint64_t isid = 0x80123456789aULL) {
  return d.feed(login(login_stage::operational_negotiation, pairs)
                    .isid(isid)
                    .transit_to(login_stage::full_feature_phase)
                    .build());
}

pdu::text_pairs with(pdu::text_pairs extra) {
  pdu::text_pairs all = login_names;
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

}  // namespace

TEST_CASE("policy: an initiator outside the allow-list is not authorized (0202)",
          "[target][login][policy]") {
  target_config c;
  c.allowed_initiators = {"iqn.2026-11.org.touchstone:someone-else"};
  driver d(make_node(c));
  auto s = login_ffp(d, login_names);
  //= rfc7143#section-11.13.5
  //= type=test
  //# Authorization | 0202 | The initiator is not allowed access
  //# ...
  //# to the given target.
  CHECK(status_of(s) == login_status::authorization_failure);
  CHECK(s.closed);

  c.allowed_initiators.push_back(std::string(initiator_iqn));
  driver allowed(make_node(c));
  CHECK(status_of(login_ffp(allowed, login_names)) == login_status::success);
}

TEST_CASE("policy: a required header or data digest", "[target][login][policy]") {
  const bool header = GENERATE(true, false);
  const std::string key = header ? "HeaderDigest" : "DataDigest";
  target_config c;
  (header ? c.limits.header_digest : c.limits.data_digest) = "CRC32C";
  auto node = make_node(c);
  SECTION("an initiator offering None,CRC32C gets CRC32C") {
    driver d(node);
    auto s = login_ffp(d, with({{key, "None,CRC32C"}}));
    REQUIRE(status_of(s) == login_status::success);
    CHECK(*find_key(parse(s.sent[0]), key) == "CRC32C");
    const auto& p = d.core().parameters();
    CHECK((header ? p.header_digest : p.data_digest) == pdu::digest_type::crc32c);
  }
  SECTION("an initiator offering only None fails the login") {
    //= rfc7143#section-7.12
    //= type=test
    //# During login, any failure in negotiation MUST be considered a login
    //# process failure; the Login Phase, along with the connection, MUST be
    //# terminated.  If the target detects the failure, it must terminate the
    //# login with the appropriate Login response code.
    driver d(node);
    auto s = login_ffp(d, with({{key, "None"}}));
    CHECK(status_of(s) == login_status::initiator_error);
    CHECK(s.closed);
  }
  //= rfc7143#section-11.13.6 type=test
  //# A Login Response with the T bit set to 1 MUST NOT contain key=value pairs
  //# that may require additional answers from the initiator within the same
  //# stage.
  SECTION("an initiator that does not offer the key is offered CRC32C") {
    //= rfc7143#section-6.3 type=test
    //# Targets MUST NOT submit parameters that require an additional initiator Login Request in a
    //# Login Response with the T bit set to 1.
    driver d(node);
    auto s = login_ffp(d, login_names);
    REQUIRE(status_of(s) == login_status::success);
    CHECK(*find_key(parse(s.sent[0]), key) == "CRC32C");
    CHECK_FALSE(pdu::login_response_view(s.sent[0]).transit());
    auto yes = login_ffp(d, {{key, "CRC32C"}});
    REQUIRE(status_of(yes) == login_status::success);
    CHECK(pdu::login_response_view(yes.sent[0]).is_final_response());
  }
  SECTION("and answers Reject to it") {
    driver d(node);
    REQUIRE(status_of(login_ffp(d, login_names)) == login_status::success);
    auto s = login_ffp(d, {{key, "Reject"}});
    CHECK(status_of(s) == login_status::initiator_error);
    CHECK(s.closed);
  }
}

TEST_CASE("policy: the default offers None,CRC32C and takes None", "[target][login][policy]") {
  driver d;
  auto s = login_ffp(d, with({{"HeaderDigest", "None"}, {"DataDigest", "None,CRC32C"}}));
  REQUIRE(status_of(s) == login_status::success);
  CHECK(*find_key(parse(s.sent[0]), "HeaderDigest") == "None");
  CHECK(*find_key(parse(s.sent[0]), "DataDigest") == "None");
}

TEST_CASE("policy: limits.max_sessions", "[target][login][policy]") {
  target_config c;
  c.limits.max_sessions = 1;
  auto node = make_node(c);
  driver first(node);
  REQUIRE(status_of(login_ffp(first, login_names)) == login_status::success);
  driver second(node);
  //= rfc7143#section-11.13.5
  //= type=test
  //# Out of        | 0302 | The target has insufficient session,
  //# ...
  //# connection, or other resources.
  auto s = login_ffp(second, login_names, 0x80123456789bULL);
  CHECK(status_of(s) == login_status::out_of_resources);
  CHECK(s.closed);
  // A session reinstatement replaces the live session: not one more.
  driver again(node);
  CHECK(status_of(login_ffp(again, login_names)) == login_status::success);
  // A discovery session is not a session of the target's LUNs.
  driver discovery(node);
  CHECK(status_of(login_ffp(discovery, {login_names[0], {"SessionType", "Discovery"}})) ==
        login_status::success);
}

TEST_CASE("policy: limits.login_timeout drops a login that takes too long",
          "[target][login][policy]") {
  target_config c;
  c.limits.login_timeout = std::chrono::seconds(5);
  const auto start = clock::now();
  auto node = make_node(c);
  connection conn(node, connection_info{"127.0.0.1:3260", "test", 1}, start);
  conn.on_pdu(login(login_stage::operational_negotiation, login_names).build(), start);
  REQUIRE(conn.take_actions().size() == 1);  // the Login Response
  conn.on_tick(start + std::chrono::seconds(4));
  CHECK(conn.take_actions().empty());
  conn.on_tick(start + std::chrono::seconds(5));
  const auto actions = conn.take_actions();
  REQUIRE(actions.size() == 1);
  CHECK(std::holds_alternative<close_connection>(actions[0]));
  CHECK(conn.current_phase() == phase::closing);
}

//= rfc7143#section-9.2 type=test
//# Therefore, a method using cleartext (or equivalent)
//# passwords MUST NOT be used
TEST_CASE("policy: AuthMethod is answered CHAP or None, never another method offered",
          "[target][login][policy]") {
  // A made-up cleartext method first, then the other methods RFC 7143
  // names: the target's answer is CHAP (with CHAP configured) or None.
  const bool chap = GENERATE(false, true);
  target_config c;
  if (chap) c.chap = chap_account{"alice", "alice-secret-1234"};
  driver d(make_node(c));
  auto s = d.feed(login(pdu::login_stage::security_negotiation,
                        {login_names[0], login_names[1],
                         {"AuthMethod", "X-org.touchstone.cleartext,KRB5,SRP,SPKM1,SPKM2,CHAP,None"}})
                      .build());
  REQUIRE(status_of(s) == pdu::login_status::success);
  const auto keys = parse(s.sent.at(0));  // find_key points into it
  const auto answer = find_key(keys, "AuthMethod");
  REQUIRE(answer != nullptr);
  CHECK(*answer == (chap ? "CHAP" : "None"));
}
