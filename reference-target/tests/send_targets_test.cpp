// SendTargets (RFC 7143 appendix C) in process: a discovery session lists
// every target of the instance the initiator may access, each with all its
// addresses; SendTargets=<name> gives that one; an operational session
// answers an empty value with its own target only.
#include "support.hpp"
#include "touchstone/target/instance.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;

namespace {

constexpr std::string_view other_iqn = "iqn.2026-11.org.touchstone:other";
constexpr std::string_view private_iqn = "iqn.2026-11.org.touchstone:private";

// A node in an instance of three targets on an IPv4 and an IPv6 portal; the
// third admits another initiator only.
std::shared_ptr<target_node> node_in_catalog() {
  target_config c;
  c.portals = {"127.0.0.1:3260", "[::1]:3261"};
  auto node = make_node(c);
  auto catalog = std::make_shared<target_catalog>();
  catalog->set({{std::string(default_iqn), 1, c.portals, {}},
                {std::string(other_iqn), 2, c.portals, {std::string(initiator_iqn)}},
                {std::string(private_iqn), 1, c.portals, {"iqn.2026-11.org.touchstone:not-us"}}});
  node->catalog = catalog;
  return node;
}

pdu::text_pairs ask(driver& d, std::string_view value) {
  auto s = d.feed(pdu::text_request_builder()
                      .initiator_task_tag(2)
                      .cmd_sn(10)
                      .immediate()
                      .data(text({{"SendTargets", std::string(value)}}))
                      .build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::text_response);
  if (s.sent[0].data.empty()) return {};
  return parse(s.sent[0]);
}

void discovery_login(driver& d) {
  auto s = d.feed(login(login_stage::operational_negotiation,
                        {{"InitiatorName", std::string(initiator_iqn)}, {"SessionType", "Discovery"}})
                      .transit_to(login_stage::full_feature_phase)
                      .build());
  REQUIRE(pdu::login_response_view(s.sent.at(0)).is_final_response());
}

pdu::text_pairs record(std::string_view iqn, int tpgt) {
  const auto tag = "," + std::to_string(tpgt);
  return {{"TargetName", std::string(iqn)},
          {"TargetAddress", "127.0.0.1:3260" + tag},
          {"TargetAddress", "[::1]:3261" + tag}};
}

pdu::text_pairs concat(pdu::text_pairs a, const pdu::text_pairs& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE("send targets: All lists every target the initiator may access",
          "[target][discovery]") {
  //= rfc7143#appendix-C
  //= type=test
  //# In a Discovery session, a target MUST return all path information (IP
  //# address-port pairs and Target Portal Group Tags) for the targets on the
  //# target Network Entity that the requesting initiator is authorized to access.
  driver d(node_in_catalog());
  discovery_login(d);
  //= rfc7143#appendix-C
  //= type=test
  //# TargetAddress=<hostname-or-ipaddress>[:<tcp-port>], <portal-group-tag>
  CHECK(ask(d, "All") == concat(record(default_iqn, 1), record(other_iqn, 2)));
}

TEST_CASE("send targets: a name gives that target only", "[target][discovery]") {
  //= rfc7143#appendix-C
  //= type=test
  //# If an iSCSI Target Name is specified, the session should respond with
  //# addresses for only the named target, if possible.
  driver d(node_in_catalog());
  discovery_login(d);
  CHECK(ask(d, other_iqn) == record(other_iqn, 2));
  //= rfc7143#appendix-C
  //= type=test
  //# A SendTargets response MUST NOT contain target names if there are no
  //# targets for the requesting initiator to access.
  CHECK(ask(d, private_iqn).empty());
  CHECK(ask(d, "iqn.2026-11.org.touchstone:nowhere").empty());
}

TEST_CASE("send targets: an operational session reports its own target", "[target][discovery]") {
  driver d(node_in_catalog());
  login_normal(d);
  //= rfc7143#appendix-C
  //= type=test
  //# The session should only respond with addresses for the target to which
  //# the session is logged in.  This MUST be supported on operational
  //# sessions and MUST NOT return targets other than the one to which the
  //# session is logged in.
  CHECK(ask(d, "") == record(default_iqn, 1));
  CHECK(ask(d, default_iqn) == record(default_iqn, 1));
  CHECK(ask(d, other_iqn).empty());
  //= rfc7143#appendix-C
  //= type=test
  //# This value MUST be supported on a Discovery session and MUST NOT be
  //# supported on an operational session.
  CHECK(ask(d, "All") == pdu::text_pairs{{"SendTargets", "Reject"}});
}

TEST_CASE("send targets: a wildcard portal is reported as the address connected to",
          "[target][discovery]") {
  target_config c;
  c.portals = {"[::]:3260"};
  auto node = make_node(c);
  // The driver's connection came in on 127.0.0.1:3260.
  driver d(node);
  discovery_login(d);
  CHECK(ask(d, "All") == pdu::text_pairs{{"TargetName", std::string(default_iqn)},
                                         {"TargetAddress", "127.0.0.1:3260,1"}});
}

TEST_CASE("send targets: an instance's discovery session lists all its targets",
          "[target][discovery]") {
  instance in({"127.0.0.1:3260", "[::1]:3261"}, discovery_settings{});
  for (auto iqn : {default_iqn, other_iqn}) {
    target_definition t;
    t.settings.iqn = std::string(iqn);
    REQUIRE(in.create_target(t));
  }
  auto& e = in.connected("127.0.0.1:3260", "test", {});
  const auto first = login(login_stage::operational_negotiation,
                           {{"InitiatorName", std::string(initiator_iqn)}, {"SessionType", "Discovery"}})
                         .transit_to(login_stage::full_feature_phase)
                         .build();
  driver d(in.route(e, first));
  discovery_login(d);
  // In name order.
  CHECK(ask(d, "All") == concat(record(other_iqn, 1), record(default_iqn, 1)));
  // Removing a target takes it off the list.
  REQUIRE(in.remove_target(other_iqn, true));
  CHECK(ask(d, "All") == record(default_iqn, 1));
  // Every node of the instance shares one log of issued CHAP challenges.
  CHECK(in.find(default_iqn)->node->chap_challenges == in.find(default_iqn)->discovery_node->chap_challenges);
}

namespace {

// A discovery login offering HeaderDigest and DataDigest `offer`, routed by
// an instance whose first target requires CRC32C.
step discovery_with_digests(const discovery_settings& discovery, const std::string& offer) {
  instance in({"127.0.0.1:3260"}, discovery);
  target_definition strict_digests;
  strict_digests.settings.iqn = "iqn.2026-11.org.touchstone:a-digests";  // the first, by name
  strict_digests.settings.limits.header_digest = "CRC32C";
  strict_digests.settings.limits.data_digest = "CRC32C";
  REQUIRE(in.create_target(strict_digests));
  REQUIRE(in.create_target(target_definition{}));  // default_iqn
  auto& e = in.connected("127.0.0.1:3260", "test", {});
  const auto first = login(login_stage::operational_negotiation,
                           {{"InitiatorName", std::string(initiator_iqn)},
                            {"SessionType", "Discovery"},
                            {"HeaderDigest", offer},
                            {"DataDigest", offer}})
                         .transit_to(login_stage::full_feature_phase)
                         .build();
  driver d(in.route(e, first));
  return d.feed(first);
}

}  // namespace

TEST_CASE("discovery: the instance's discovery settings apply and not the first target's",
          "[target][discovery]") {
  // A target that requires CRC32C governs its own normal sessions; libiscsi's
  // iscsi-ls (HeaderDigest=None) could not discover the instance's targets.
  auto ok = discovery_with_digests(discovery_settings{}, "None");
  REQUIRE(status_of(ok) == pdu::login_status::success);
  CHECK(pdu::login_response_view(ok.sent.back()).is_final_response());
  REQUIRE(find_key(parse(ok.sent.back()), "HeaderDigest") != nullptr);
  CHECK(*find_key(parse(ok.sent.back()), "HeaderDigest") == "None");
  // discovery.limits is what a discovery session negotiates with.
  discovery_settings required;
  required.limits.header_digest = "CRC32C";
  //= rfc7143#section-7.12
  //= type=test
  //# During login, any failure in negotiation MUST be considered a login
  //# process failure
  CHECK(status_of(discovery_with_digests(required, "None")) == pdu::login_status::initiator_error);
  auto crc = discovery_with_digests(required, "CRC32C,None");
  REQUIRE(status_of(crc) == pdu::login_status::success);
  REQUIRE(find_key(parse(crc.sent.back()), "HeaderDigest") != nullptr);
  CHECK(*find_key(parse(crc.sent.back()), "HeaderDigest") == "CRC32C");
}
