// The key table itself: complete, cited, and consistent with sections 12 and 13.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "touchstone/pdu/keys.hpp"

using namespace touchstone::pdu;

//= rfc7143#section-11.12.10 type=test
//# All keys listed in Section 13, except for the X extension formats, MUST be
//# supported by iSCSI initiators and targets.
//= rfc7143#section-11.13.8 type=test
//# All keys listed in Section 13, except for the X extension formats, MUST be
//# supported by iSCSI initiators and targets.
TEST_CASE("the key table holds every key of sections 12 and 13, each cited",
          "[pdu][negotiation]") {
  const std::set<std::string_view> expected = {
      "AuthMethod", "CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R",
      "HeaderDigest", "DataDigest", "MaxConnections", "SendTargets", "TargetName",
      "InitiatorName", "TargetAlias", "InitiatorAlias", "TargetAddress",
      "TargetPortalGroupTag", "InitialR2T", "ImmediateData", "MaxRecvDataSegmentLength",
      "MaxBurstLength", "FirstBurstLength", "DefaultTime2Wait", "DefaultTime2Retain",
      "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder", "ErrorRecoveryLevel",
      "SessionType", "TaskReporting", "iSCSIProtocolLevel", "OFMarker", "IFMarker",
      "OFMarkInt", "IFMarkInt", "X#NodeArchitecture"};
  std::set<std::string_view> present;
  for (const auto& spec : key_table()) {
    INFO(spec.name);
    CHECK(present.insert(spec.name).second);  // no duplicates
    CHECK((spec.section.starts_with("rfc7143#section-") ||
           spec.section.starts_with("rfc7144#section-")));
    CHECK(find_key(spec.name) == &spec);
    CHECK(!name(spec.kind).empty());
    CHECK(!name(spec.function).empty());
  }
  CHECK(present == expected);
  CHECK(find_key("NoSuchKey") == nullptr);
}

//= rfc7143#section-13 type=test
//# Key scope is indicated as session-wide (SW) or connection-only (CO).
TEST_CASE("scope, senders and use follow the RFC", "[pdu][negotiation]") {
  CHECK(find_key("HeaderDigest")->scope == key_scope::connection);
  CHECK(find_key("MaxRecvDataSegmentLength")->scope == key_scope::connection);
  CHECK(find_key("AuthMethod")->scope == key_scope::connection);
  CHECK(find_key("MaxBurstLength")->scope == key_scope::session);
  CHECK(senders(*find_key("SendTargets")) == key_senders::initiator);
  CHECK(senders(*find_key("TargetAlias")) == key_senders::target);
  CHECK(senders(*find_key("ImmediateData")) == key_senders::both);
  //= rfc7143#section-13.4 type=test
  //# Use: IO by initiator, FFPO by target -- only as response to a SendTargets
  const auto& target_name = *find_key("TargetName");
  CHECK(use_for(target_name, role::initiator) == key_use::io);
  CHECK(use_for(target_name, role::target) == key_use::ffpo);
  CHECK(allowed_in_phase(target_name, role::initiator, negotiation_phase::security));
  CHECK_FALSE(allowed_in_phase(target_name, role::target, negotiation_phase::security));
  CHECK(allowed_in_phase(target_name, role::target, negotiation_phase::full_feature));
  CHECK(leading_only(*find_key("MaxConnections"), role::initiator));
  CHECK_FALSE(leading_only(*find_key("HeaderDigest"), role::initiator));
  CHECK(find_key("iSCSIProtocolLevel")->origin == key_origin::rfc7144);
  CHECK(name(key_use::ffpo) == "FFPO");
  CHECK(name(role::target) == "target");
}

//= rfc7143#section-13.22 type=test
//# X-reversed.vendor.dns_name.do_something=
TEST_CASE("X- keys are private extensions, X# is only X#NodeArchitecture", "[pdu][negotiation]") {
  CHECK(is_private_extension_key("X-com.example.foo"));
  CHECK_FALSE(is_private_extension_key("X#NodeArchitecture"));
  CHECK_FALSE(is_private_extension_key("MaxBurstLength"));
  CHECK(find_key("X#NodeArchitecture") != nullptr);
  CHECK(find_key("X#Other") == nullptr);
}

TEST_CASE("check_value raises the key-level value errors", "[pdu][text]") {
  struct row {
    std::string_view key;
    std::string value;
    value_error error;
  };
  const row rows[] = {
      {"SessionType", "Other", value_error::not_in_list},
      {"HeaderDigest", "CRC32C,Reject", value_error::reserved_constant},
      {"InitiatorName", "iqn.bad name", value_error::bad_iscsi_name},
      {"SendTargets", "not a name", value_error::bad_iscsi_name},
      {"TargetAddress", "host:port", value_error::bad_address},
      {"MaxBurstLength", "511", value_error::out_of_range},
      {"CHAP_A", "5,256", value_error::out_of_range},
      {"CHAP_C", "0x" + std::string(2050, 'a'), value_error::binary_too_long},
      {"ImmediateData", "Maybe", value_error::not_boolean},
      {"X#NodeArchitecture", std::string(256, 'a'), value_error::too_long},
      {"OFMarkInt", "2048", value_error::missing_tilde},
      {"IFMarkInt", "0~8192", value_error::out_of_range},
      {"TargetAlias", "a\xff", value_error::bad_utf8},
  };
  for (const auto& [key, value, error] : rows) {
    INFO(key << "=" << value);
    auto checked = check_value(*find_key(key), value);
    REQUIRE_FALSE(checked);
    CHECK(checked.error() == error);
  }
  CHECK(check_value(*find_key("OFMarkInt"), "2048~8192"));
  CHECK(check_value(*find_key("CHAP_N"), "iqn.2001-04.com.example:h"));
}
