// Discovery sessions and the ISID rule (RFC 7143 section 7.4.2): an Unnamed
// Discovery session is named by <InitiatorName, ISID, NULL, TargetAddress>,
// a Named one by the ISID rule's 4-tuple; a new session with the same name
// reinstates (ends) the old one.
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

step login_discovery(driver& d, bool named, std::uint64_t isid = 0x80123456789aULL) {
  pdu::text_pairs pairs{{"InitiatorName", std::string(initiator_iqn)}, {"SessionType", "Discovery"}};
  if (named) pairs.push_back({"TargetName", d.node().config.iqn});
  auto s = d.feed(login(pdu::login_stage::operational_negotiation, pairs)
                      .isid(isid)
                      .transit_to(pdu::login_stage::full_feature_phase)
                      .build());
  REQUIRE(!s.sent.empty());
  REQUIRE(pdu::login_response_view(s.sent.back()).is_final_response());
  REQUIRE(d.core().current_phase() == phase::ffp_discovery);
  return s;
}

// Whether the session on `d` was told to end (by another login) and closed.
bool ended(driver& d) {
  d.core().on_tick(clock::now());
  return d.drain().closed;
}

}  // namespace

//= rfc7143#section-7.4.2.1 type=test
//# UNNAMED ISID RULE: Targets MUST enforce the uniqueness of the
//# following 4-tuple for Unnamed Discovery sessions: <InitiatorName,
//# ISID, NULL, TargetAddress>.
//= rfc7143#section-7.4.2.1 type=test
//# A new Unnamed Discovery session that has a matching <InitiatorName,
//# ISID, NULL, TargetAddress> to an existing Discovery session MUST
//# reinstate the existing Unnamed Discovery session.
TEST_CASE("discovery reinstatement: an Unnamed Discovery session with the same ISID and portal ends the old one",
          "[target][reinstatement][discovery]") {
  auto node = make_node();
  driver old_session(node);
  login_discovery(old_session, false);
  driver fresh(node);
  login_discovery(fresh, false);
  CHECK(ended(old_session));
  CHECK_FALSE(ended(fresh));
}

//= rfc7143#section-7.4.2.1 type=test
//# Each of the concurrent Discovery sessions, if established by the same
//# initiator port to other Network Portals, MUST be treated as independent
//# sessions -- i.e., one session MUST NOT reinstate the other.
TEST_CASE("discovery reinstatement: Unnamed Discovery sessions to two portals are independent",
          "[target][reinstatement][discovery]") {
  auto node = make_node();
  driver first(node, "test", clock::now(), "127.0.0.1:3260");
  login_discovery(first, false);
  driver second(node, "test", clock::now(), "127.0.0.2:3260");
  login_discovery(second, false);
  CHECK_FALSE(ended(first));
  CHECK_FALSE(ended(second));
}

TEST_CASE("discovery reinstatement: another ISID is another Discovery session", "[target][reinstatement][discovery]") {
  auto node = make_node();
  driver first(node);
  login_discovery(first, false);
  driver second(node);
  login_discovery(second, false, 0x80123456789bULL);
  CHECK_FALSE(ended(first));
}

//= rfc7143#section-7.4.2.2 type=test
//# Since all the four elements of the 4-tuple are known, the ISID RULE MUST
//# be enforced by targets with no changes from Section 4.4.3 semantics.
TEST_CASE("discovery reinstatement: a Named Discovery session with the same 4-tuple ends the old one",
          "[target][reinstatement][discovery]") {
  auto node = make_node();
  driver old_session(node);
  login_discovery(old_session, true);
  driver fresh(node);
  login_discovery(fresh, true);
  CHECK(ended(old_session));
  CHECK_FALSE(ended(fresh));
}

//= rfc7143#section-7.4.2.2 type=test
//# Note in this case that any new iSCSI
//# session (Discovery or Normal) with the matching 4-tuple may reinstate
//# an existing Named Discovery iSCSI session.
TEST_CASE("discovery reinstatement: a Normal session with the same 4-tuple ends a Named Discovery session",
          "[target][reinstatement][discovery]") {
  auto node = make_node();
  driver discovery(node);
  login_discovery(discovery, true);
  driver normal(node);
  REQUIRE(pdu::login_response_view(login_normal(normal).sent.at(0)).is_final_response());
  CHECK(ended(discovery));
  CHECK(normal.core().current_phase() == phase::ffp_normal);
}

//= rfc7143#section-7.4.2.1 type=test
//# Note thus that
//# only an Unnamed Discovery session may reinstate another Unnamed
//# Discovery session.
TEST_CASE("discovery reinstatement: Named and Unnamed Discovery sessions do not reinstate each other",
          "[target][reinstatement][discovery]") {
  auto node = make_node();
  driver unnamed(node);
  login_discovery(unnamed, false);
  driver named(node);
  login_discovery(named, true);
  driver normal(node);
  REQUIRE(pdu::login_response_view(login_normal(normal).sent.at(0)).is_final_response());
  CHECK_FALSE(ended(unnamed));
  CHECK(ended(named));  // the Normal session's 4-tuple is the Named one's
}

TEST_CASE("discovery reinstatement: Discovery sessions do not count against max_sessions",
          "[target][reinstatement][discovery]") {
  auto node = make_node();
  node->config.limits.max_sessions = 1;
  driver discovery(node);
  login_discovery(discovery, false);
  driver normal(node);
  CHECK(pdu::login_response_view(login_normal(normal).sent.at(0)).is_final_response());
}
