// Per-key tests driven by tables: every section 13 key's default, range and
// result function, from both the acceptor's and the proposer's side.
#include <catch2/catch.hpp>

#include "negotiation_test_util.hpp"
#include "touchstone/pdu/keys.hpp"

using namespace touchstone::pdu;
using namespace touchstone::pdu::test;

namespace {

struct default_row {
  std::string_view key;
  std::string_view value;
};

// rfc7143 section 13, in our words:
// Default is ... (each key's stated default)
constexpr default_row defaults[] = {
    {"HeaderDigest", "None"},          // 13.1
    {"DataDigest", "None"},            // 13.1
    {"MaxConnections", "1"},           // 13.2
    {"InitialR2T", "Yes"},             // 13.10
    {"ImmediateData", "Yes"},          // 13.11
    {"MaxRecvDataSegmentLength", "8192"},  // 13.12
    {"MaxBurstLength", "262144"},      // 13.13
    {"FirstBurstLength", "65536"},     // 13.14
    {"DefaultTime2Wait", "2"},         // 13.15
    {"DefaultTime2Retain", "20"},      // 13.16
    {"MaxOutstandingR2T", "1"},        // 13.17
    {"DataPDUInOrder", "Yes"},         // 13.18
    {"DataSequenceInOrder", "Yes"},    // 13.19
    {"ErrorRecoveryLevel", "0"},       // 13.20
    {"SessionType", "Normal"},         // 13.21
    {"TaskReporting", "RFC3720"},      // 13.23
    {"iSCSIProtocolLevel", "1"},       // RFC 7144 7.1.1
    {"X#NodeArchitecture", "None"},    // 13.26
};

struct numeric_row {
  std::string_view key;
  result_function function;
  std::uint64_t min;
  std::uint64_t max;
};

constexpr std::uint64_t max_24 = (1u << 24) - 1;

constexpr numeric_row numerics[] = {
    //= rfc7143#section-13.2 type=test
    //# MaxConnections=<numerical-value-from-1-to-65535> ... Result function is Minimum.
    {"MaxConnections", result_function::minimum, 1, 65535},
    //= rfc7143#section-13.13 type=test
    //# MaxBurstLength=<numerical-value-512-to-(2**24 - 1)> ... Result function is Minimum.
    {"MaxBurstLength", result_function::minimum, 512, max_24},
    //= rfc7143#section-13.14 type=test
    //# FirstBurstLength=<numerical-value-512-to-(2**24 - 1)> ... Result function is Minimum.
    {"FirstBurstLength", result_function::minimum, 512, max_24},
    //= rfc7143#section-13.15 type=test
    //# DefaultTime2Wait=<numerical-value-0-to-3600> ... Result function is Maximum.
    {"DefaultTime2Wait", result_function::maximum, 0, 3600},
    //= rfc7143#section-13.16 type=test
    //# DefaultTime2Retain=<numerical-value-0-to-3600> ... Result function is Minimum.
    {"DefaultTime2Retain", result_function::minimum, 0, 3600},
    //= rfc7143#section-13.17 type=test
    //# MaxOutstandingR2T=<numerical-value-from-1-to-65535> ... Result function is Minimum.
    {"MaxOutstandingR2T", result_function::minimum, 1, 65535},
    //= rfc7143#section-13.20 type=test
    //# ErrorRecoveryLevel=<numerical-value-0-to-2> ... Result function is Minimum.
    {"ErrorRecoveryLevel", result_function::minimum, 0, 2},
    //= rfc7144#section-7.1.1 type=test
    //# iSCSIProtocolLevel=<numerical-value-from-0-to-31> ... Result function is Minimum.
    {"iSCSIProtocolLevel", result_function::minimum, 0, 31},
};

std::string num(std::uint64_t v) { return std::to_string(v); }

// A target whose own value for the key is `local`; FirstBurstLength also gets
// the largest MaxBurstLength so that its cap (section 13.14) stays out of the way.
negotiator target_wanting(std::string_view key, std::uint64_t local) {
  local_settings s;
  s.set("MaxBurstLength", num(max_24));
  s.set(key, num(local));
  auto target = make_target(s);
  if (key == "FirstBurstLength") {
    REQUIRE(target.receive({{"MaxBurstLength", num(max_24)}}));
  }
  return target;
}

}  // namespace

//= rfc7143#section-6.2 type=test
//# An iSCSI implementation MUST comprehend all text keys defined in this document.
//= rfc7143#section-6.2 type=test
//# All keys in this document MUST be supported by iSCSI initiators and targets when used as
//# specified here.
TEST_CASE("every key's default is the RFC's, in the table and in session_parameters",
          "[pdu][negotiation]") {
  const session_parameters fresh;
  for (const auto& [key, value] : defaults) {
    INFO(key);
    const auto* spec = find_key(key);
    REQUIRE(spec != nullptr);
    CHECK(spec->default_value == value);
    session_parameters applied;
    REQUIRE(apply_key(applied, key, value));
    CHECK(applied == fresh);
  }
  //= rfc7143#section-6.2 type=test
  //# All negotiations are explicit (i.e., the result MUST only be based on newly exchanged or
  //# declared values).
  auto unchanged = make_target().finish();
  REQUIRE(unchanged);
  CHECK(*unchanged == fresh);
}

//= rfc7143#section-6.2.2 type=test
//# For simple-value negotiations, the accepting party MUST answer with the same key.
//= rfc7143#section-6.2 type=test
//# If used as specified, these keys MUST NOT be answered with NotUnderstood.
TEST_CASE("numeric keys: range, Reject, and the minimum/maximum result functions",
          "[pdu][negotiation]") {
  for (const auto& [key, function, min, max] : numerics) {
    INFO(key);
    const std::string k(key);
    const auto* spec = find_key(key);
    REQUIRE(spec != nullptr);
    CHECK(spec->function == function);
    CHECK(spec->min == min);
    CHECK(spec->max == max);
    const auto local = min + (max - min) / 2;
    const bool is_min = function == result_function::minimum;
    //= rfc7143#section-13 type=test
    //# "Minimum" means that the selected value cannot exceed the offered value.
    //# "Maximum" means that the selected value cannot be lower than the offered value.
    {
      auto target = target_wanting(key, local);
      CHECK(answer_to(target, k, num(min)) == num(is_min ? min : local));
      CHECK(target.agreed().at(k) == num(is_min ? min : local));
    }
    {
      auto target = target_wanting(key, local);
      CHECK(answer_to(target, k, num(max)) == num(is_min ? local : max));
    }
    //= rfc7143#section-6.2.2 type=test
    //# Proposing a value not admissible (e.g., not within the specified bounds) MAY
    //# be answered with the constant "Reject"
    std::vector<std::string> out_of_range = {num(max + 1), "abc", "-1", ""};
    if (min > 0) out_of_range.push_back(num(min - 1));
    for (const auto& bad : out_of_range) {
      auto target = target_wanting(key, local);
      CHECK(answer_to(target, k, bad) == "Reject");
      CHECK(*target.outcome(key) == key_outcome::rejected);
      CHECK(target.agreed().count(k) == 0);
    }
    //= rfc7143#section-6.2.2 type=test
    //# The selection, by the acceptor, of a value not admissible under the
    //# selection rules is considered a protocol error.
    const auto offered = local;
    const auto lower = offered - 1;
    const auto higher = offered + 1;
    {
      auto initiator = make_initiator(settings_with(key, num(offered)));
      REQUIRE(initiator.offer({key}));
      REQUIRE(initiator.receive({{k, num(is_min ? lower : higher)}}));
      CHECK(initiator.agreed().at(k) == num(is_min ? lower : higher));
      CHECK(initiator.pending().empty());
    }
    for (const auto& bad : {num(is_min ? higher : lower), num(max + 1), std::string("x")}) {
      auto initiator = make_initiator(settings_with(key, num(offered)));
      REQUIRE(initiator.offer({key}));
      CHECK(error_of(initiator, {{k, bad}}) == negotiation_error::answer_not_admissible);
      // The legal result is kept: the offer when the answer is in range.
      if (bad == num(is_min ? higher : lower)) CHECK(initiator.agreed().at(k) == num(offered));
      else CHECK(initiator.agreed().count(k) == 0);
    }
  }
}

struct boolean_row {
  std::string_view key;
  result_function function;
};

constexpr boolean_row booleans[] = {
    //= rfc7143#section-13.10 type=test
    //# InitialR2T=<boolean-value> ... Default is Yes. Result function is OR.
    {"InitialR2T", result_function::boolean_or},
    //= rfc7143#section-13.11 type=test
    //# ImmediateData=<boolean-value> Default is Yes. Result function is AND.
    {"ImmediateData", result_function::boolean_and},
    //= rfc7143#section-13.18 type=test
    //# DataPDUInOrder=<boolean-value> Default is Yes. Result function is OR.
    {"DataPDUInOrder", result_function::boolean_or},
    //= rfc7143#section-13.19 type=test
    //# DataSequenceInOrder=<boolean-value> Default is Yes. Result function is OR.
    {"DataSequenceInOrder", result_function::boolean_or},
};

//= rfc7143#section-6.2.2 type=test
//# For Boolean negotiations (i.e., keys taking the values "Yes" or "No"), the accepting party MUST
//# answer with the same key and the result of the negotiation
TEST_CASE("boolean keys: the AND/OR truth tables and Reject", "[pdu][negotiation]") {
  for (const auto& [key, function] : booleans) {
    const std::string k(key);
    REQUIRE(find_key(key)->function == function);
    const bool is_and = function == result_function::boolean_and;
    for (const bool local : {false, true}) {
      for (const bool offered : {false, true}) {
        INFO(key << " local=" << local << " offered=" << offered);
        auto target = make_target(settings_with(key, std::string(encode_boolean(local))));
        const bool expected = is_and ? (local && offered) : (local || offered);
        CHECK(answer_to(target, k, std::string(encode_boolean(offered))) ==
              encode_boolean(expected));
      }
    }
    auto target = make_target();
    CHECK(answer_to(target, k, "yes") == "Reject");
  }
}

// rfc7143 section 6.2.2, in our words:
// Specifically, the two cases in which answers are OPTIONAL are: The Boolean
// function is "AND" and the value "No" is received. ... "OR" and the value "Yes"
//= rfc7143#section-6.2.2 type=test
//# Responses are REQUIRED in all other cases, and the value chosen and sent by the acceptor becomes
//# the outcome of the negotiation.
TEST_CASE("boolean offers: admissible answers and offers that decide alone",
          "[pdu][negotiation]") {
  for (const auto& [key, function] : booleans) {
    INFO(key);
    const std::string k(key);
    const bool is_and = function == result_function::boolean_and;
    const std::string deciding = is_and ? "No" : "Yes";
    const std::string open = is_and ? "Yes" : "No";
    {
      auto initiator = make_initiator(settings_with(key, deciding));
      REQUIRE(initiator.offer({key}));
      CHECK(initiator.pending().empty());  // no answer needed
      auto params = initiator.finish();
      REQUIRE(params);
      session_parameters expected;
      REQUIRE(apply_key(expected, key, deciding));
      CHECK(*params == expected);
      CHECK(error_of(initiator, {{k, open}}) == negotiation_error::answer_not_admissible);
      // The error stands, and the result is still the one the offer decides.
      CHECK(initiator.agreed().at(k) == deciding);
    }
    {
      auto initiator = make_initiator(settings_with(key, open));
      REQUIRE(initiator.offer({key}));
      CHECK(initiator.pending() == std::vector<std::string>{k});
      REQUIRE(initiator.receive({{k, deciding}}));
      CHECK(initiator.agreed().at(k) == deciding);
    }
  }
}

struct list_row {
  std::string_view key;
  negotiation_phase phase;
  std::string local;
  std::string offer;
  std::string expected;
};

TEST_CASE("list keys: the first value of the offer the acceptor supports",
          "[pdu][negotiation]") {
  using enum negotiation_phase;
  const list_row rows[] = {
      //= rfc7143#section-13.1 type=test
      //# HeaderDigest = <list-of-values> DataDigest = <list-of-values>
      {"HeaderDigest", operational, "CRC32C,None", "CRC32C,None", "CRC32C"},
      //= rfc7143#section-6.2.1 type=test
      //# The constant "None" MUST always be used to indicate a missing function.
      {"HeaderDigest", operational, "None", "CRC32C,None", "None"},
      {"HeaderDigest", operational, "CRC32C,None", "Y-com.example.sum,None", "None"},
      {"HeaderDigest", operational, "None", "CRC32C", "Reject"},
      {"DataDigest", operational, "CRC32C,None", "None,CRC32C", "None"},
      {"DataDigest", operational, "CRC32C", "None", "Reject"},
      //= rfc7143#section-13.23 type=test
      //# TaskReporting=<list-of-values> Default is RFC3720.
      {"TaskReporting", operational, "RFC3720,ResponseFence,FastAbort", "FastAbort,RFC3720",
       "FastAbort"},
      {"TaskReporting", operational, "RFC3720", "ResponseFence,RFC3720", "RFC3720"},
      {"TaskReporting", operational, "RFC3720", "ResponseFence", "Reject"},
      //= rfc7143#section-12.1 type=test
      //# AuthMethod = <list-of-values>
      //= rfc7143#section-6.3.2 type=test
      //# The target MUST reply with the first option in the list it supports and is allowed to use
      //# for the specific initiator, unless it does not support any, in which case it MUST answer
      //# with "Reject" (see Section 6.2).
      {"AuthMethod", security, "CHAP,None", "KRB5,CHAP,None", "CHAP"},
      {"AuthMethod", security, "None", "CHAP,None", "None"},
      {"AuthMethod", security, "CHAP", "None", "Reject"},
      {"AuthMethod", security, "CHAP", "CHAP,,None", "Reject"},
  };
  for (const auto& [key, phase, local, offer, expected] : rows) {
    INFO(key << " local=" << local << " offer=" << offer);
    auto target = make_target(settings_with(key, local), phase);
    CHECK(answer_to(target, std::string(key), offer) == expected);
  }
}

//= rfc7143#section-6.2.1 type=test
//# The selection of a value not proposed MUST be handled by the originator as a protocol error.
TEST_CASE("list answers must come from the offer", "[pdu][negotiation]") {
  auto initiator = make_initiator(settings_with("HeaderDigest", "CRC32C"));
  REQUIRE(initiator.offer({"HeaderDigest"}));
  CHECK(error_of(initiator, {{"HeaderDigest", "None"}}) == negotiation_error::answer_not_admissible);

  auto accepting = make_initiator(settings_with("DataDigest", "CRC32C,None"));
  REQUIRE(accepting.offer({"DataDigest"}));
  REQUIRE(accepting.receive({{"DataDigest", "None"}}));
  CHECK(accepting.finish()->data_digest == digest_type::none);
}

struct declaration_row {
  role sender;
  negotiation_phase phase;
  std::string key;
  std::string value;
  bool valid;
};

TEST_CASE("declarative keys: legal values are recorded, illegal ones fail",
          "[pdu][negotiation]") {
  using enum negotiation_phase;
  const auto I = role::initiator;
  const auto T = role::target;
  const declaration_row rows[] = {
      //= rfc7143#section-13.12 type=test
      //# MaxRecvDataSegmentLength=<numerical-value-512-to-(2**24 - 1)>
      {I, operational, "MaxRecvDataSegmentLength", "512", true},
      {I, operational, "MaxRecvDataSegmentLength", "16777215", true},
      {I, operational, "MaxRecvDataSegmentLength", "511", false},
      {I, operational, "MaxRecvDataSegmentLength", "16777216", false},
      {T, full_feature, "MaxRecvDataSegmentLength", "65536", true},
      //= rfc7143#section-13.5 type=test
      //# InitiatorName=<iSCSI-name-value>
      {I, security, "InitiatorName", "iqn.2001-02.com.ssp.users:customer235.host90", true},
      {I, operational, "InitiatorName", "naa.52004567BA64678D", true},
      {I, operational, "InitiatorName", "iqn.2001-02.com.SSP", false},
      //= rfc7143#section-13.4 type=test
      //# TargetName=<iSCSI-name-value>
      {I, security, "TargetName", "iqn.1993-11.com.disk-vendor:diskarrays.sn.45678", true},
      {I, operational, "TargetName", "eui.020000023B040506", true},
      {I, operational, "TargetName", "target one", false},
      {T, full_feature, "TargetName", "iqn.1993-11.com.disk-vendor:d", true},
      //= rfc7143#section-13.6 type=test
      //# TargetAlias=<iSCSI-local-name-value>
      {T, security, "TargetAlias", "Bob-s Disk", true},
      {T, full_feature, "TargetAlias", "Web Server 3 Disk 20", true},
      {T, operational, "TargetAlias", std::string(256, 'a'), false},
      //= rfc7143#section-13.7 type=test
      //# InitiatorAlias=<iSCSI-local-name-value>
      {I, operational, "InitiatorAlias", "Exchange Server", true},
      {I, operational, "InitiatorAlias", "bad \xff", false},
      //= rfc7143#section-13.8 type=test
      //# TargetAddress=domainname[:port][,portal-group-tag]
      {T, operational, "TargetAddress", "10.0.0.1:5003,1", true},
      {T, operational, "TargetAddress", "[1080:0:0:0:8:800:200C:417A],65", true},
      {T, full_feature, "TargetAddress", "[1080::8:800:200C:417A]:5003,1", true},
      {T, operational, "TargetAddress", "computingcenter.example.com,23", true},
      {T, operational, "TargetAddress", "10.0.0.1:99999", false},
      {T, operational, "TargetAddress", "[::1:5003", false},
      {T, operational, "TargetAddress", "10.0.0.1,x", false},
      {T, operational, "TargetAddress", "", false},
      //= rfc7143#section-13.9 type=test
      //# TargetPortalGroupTag=<16-bit-binary-value>
      {T, security, "TargetPortalGroupTag", "0", true},
      {T, operational, "TargetPortalGroupTag", "65535", true},
      {T, operational, "TargetPortalGroupTag", "65536", false},
      //= rfc7143#section-13.21 type=test
      //# SessionType=<Discovery|Normal>
      {I, security, "SessionType", "Normal", true},
      {I, operational, "SessionType", "Discovery", true},
      {I, operational, "SessionType", "discovery", false},
      //= rfc7143#section-13.26.1 type=test
      //# The length of the key value (total length of the list-of-values) MUST
      //# NOT be greater than 255 bytes.
      {I, operational, "X#NodeArchitecture", "ExampleOS/v1234,ExampleInc_SW_Initiator/1.05a", true},
      {T, operational, "X#NodeArchitecture", std::string(256, 'a'), false},
  };
  for (const auto& [sender, phase, key, value, valid] : rows) {
    INFO(key << "=" << value);
    auto receiver = make_side(sender == I ? T : I, phase);
    auto answers = receiver.receive({{key, value}});
    if (valid) {
      REQUIRE(answers);
      CHECK(answers->empty());  // declarations are not answered
      CHECK(receiver.declared_by_peer().at(key) == value);
      CHECK(*receiver.outcome(key) == key_outcome::declared);
    } else {
      REQUIRE_FALSE(answers);
      CHECK(answers.error() == negotiation_error::invalid_value);
    }
  }
}

//= rfc7143#section-13.12 type=test
//# The initiator or target declares the maximum data segment length in bytes it can receive
TEST_CASE("MaxRecvDataSegmentLength is declared per direction", "[pdu][negotiation]") {
  auto target = make_target(settings_with("MaxRecvDataSegmentLength", "262144"));
  REQUIRE(target.receive({{"MaxRecvDataSegmentLength", "16384"}}));
  REQUIRE(target.offer({"MaxRecvDataSegmentLength"}));
  auto params = target.finish();
  REQUIRE(params);
  CHECK(params->max_send_data_segment_length == 16384);
  CHECK(params->max_recv_data_segment_length == 262144);
}

//= rfc7143#section-13.3 type=test
//# Use: FFPO  Senders: Initiator
TEST_CASE("SendTargets is a full feature phase request from the initiator", "[pdu][negotiation]") {
  for (const std::string value : {"All", "", "iqn.2001-04.com.example:t1"}) {
    auto target = make_target({}, negotiation_phase::full_feature, session_kind::discovery);
    auto answers = target.receive({{"SendTargets", value}});
    REQUIRE(answers);
    CHECK(answers->empty());  // the caller answers with its targets
    CHECK(*target.outcome("SendTargets") == key_outcome::exchanged);
  }
  auto target = make_target({}, negotiation_phase::full_feature);
  CHECK(error_of(target, {{"SendTargets", "Some"}}) == negotiation_error::invalid_value);
  auto login = make_target();
  CHECK(error_of(login, {{"SendTargets", "All"}}) == negotiation_error::wrong_phase);
}
