// The key table: one entry per key, in section order, each citing its clause.
#include <array>

#include "touchstone/pdu/keys.hpp"

namespace touchstone::pdu {

namespace {

constexpr std::uint64_t max_24_bit = (1u << 24) - 1;

constexpr std::array<std::string_view, 2> digest_values = {"CRC32C", "None"};
constexpr std::array<std::string_view, 4> auth_values = {"CHAP", "None", "KRB5", "SRP"};
constexpr std::array<std::string_view, 2> session_type_values = {"Discovery", "Normal"};
constexpr std::array<std::string_view, 3> task_reporting_values = {"RFC3720", "ResponseFence",
                                                                    "FastAbort"};

using enum value_kind;
using enum result_function;
using enum key_use;

//= rfc7143#section-11.12.10
//# All keys listed in Section 13, except for the X extension formats, MUST be
//# supported by iSCSI initiators and targets.
//= rfc7143#section-11.13.8
//# All keys listed in Section 13, except for the X extension formats, MUST be
//# supported by iSCSI initiators and targets.
constexpr std::array keys = {
    //= rfc7143#section-12.1
    //# Use: During Login - Security Negotiation  Senders: Initiator and target
    //# Scope: connection  AuthMethod = <list-of-values>
    key_spec{.name = "AuthMethod", .kind = list, .function = list_first,
             .scope = key_scope::connection, .initiator_use = security, .target_use = security,
             .allowed_values = auth_values, .section = "rfc7143#section-12.1"},
    //= rfc7143#section-12.1.3
    //# CHAP_A=<A1,A2...> ... A,A1,A2, and I are numbers
    key_spec{.name = "CHAP_A", .kind = number_list, .function = authentication, .max = 255,
             .max_length = 1024, .scope = key_scope::connection, .initiator_use = security,
             .target_use = security, .section = "rfc7143#section-12.1.3"},
    // rfc7143 section 12.1.3, in our words:
    // CHAP_I=<I> ... I is the Identifier as defined in [RFC1994] (one octet)
    key_spec{.name = "CHAP_I", .kind = number, .function = authentication, .max = 255,
             .scope = key_scope::connection, .initiator_use = security, .target_use = security,
             .section = "rfc7143#section-12.1.3"},
    //= rfc7143#section-12.1.3
    //# C and R are binary-values. Their binary length ... MUST NOT exceed 1024 bytes.
    key_spec{.name = "CHAP_C", .kind = binary, .function = authentication, .max_length = 1024,
             .scope = key_scope::connection, .initiator_use = security, .target_use = security,
             .section = "rfc7143#section-12.1.3"},
    //= rfc7143#section-12.1.3
    //# N is a text string
    key_spec{.name = "CHAP_N", .kind = local_name, .function = authentication,
             .max_length = 1024, .scope = key_scope::connection, .initiator_use = security,
             .target_use = security, .section = "rfc7143#section-12.1.3"},
    //= rfc7143#section-12.1.3
    //# C and R are binary-values.
    key_spec{.name = "CHAP_R", .kind = binary, .function = authentication, .max_length = 1024,
             .scope = key_scope::connection, .initiator_use = security, .target_use = security,
             .section = "rfc7143#section-12.1.3"},
    // rfc7143 section 13.1, in our words:
    // Use: IO  Senders: Initiator and target  Scope: CO
    // Default is None for both HeaderDigest and DataDigest.
    key_spec{.name = "HeaderDigest", .kind = list, .function = list_first, .default_value = "None",
             .scope = key_scope::connection, .initiator_use = io, .target_use = io,
             .allowed_values = digest_values, .section = "rfc7143#section-13.1"},
    key_spec{.name = "DataDigest", .kind = list, .function = list_first, .default_value = "None",
             .scope = key_scope::connection, .initiator_use = io, .target_use = io,
             .allowed_values = digest_values, .section = "rfc7143#section-13.1"},
    //= rfc7143#section-13.2
    //# Use: LO ... Irrelevant when: SessionType=Discovery
    //# MaxConnections=<numerical-value-from-1-to-65535> Default is 1. Result function is Minimum.
    key_spec{.name = "MaxConnections", .kind = number, .function = minimum, .default_value = "1",
             .min = 1, .max = 65535, .initiator_use = lo, .target_use = lo,
             .irrelevant_in_discovery = true, .section = "rfc7143#section-13.2"},
    //= rfc7143#section-13.3
    //# Use: FFPO  Senders: Initiator  Scope: SW
    key_spec{.name = "SendTargets", .kind = send_targets, .function = request,
             .max_length = 223, .initiator_use = ffpo, .section = "rfc7143#section-13.3"},
    //= rfc7143#section-13.4
    //# Use: IO by initiator, FFPO by target -- only as response to a SendTargets,
    //# Declarative, Any-Stage
    key_spec{.name = "TargetName", .kind = iscsi_name, .function = declarative, .max_length = 223,
             .initiator_use = io, .target_use = ffpo, .any_stage = true, .repeatable = true,
             .section = "rfc7143#section-13.4"},
    //= rfc7143#section-13.5
    //# Use: IO, Declarative, Any-Stage  Senders: Initiator
    key_spec{.name = "InitiatorName", .kind = iscsi_name, .function = declarative,
             .max_length = 223, .initiator_use = io, .any_stage = true,
             .section = "rfc7143#section-13.5"},
    //= rfc7143#section-13.6
    //# Use: ALL, Declarative, Any-Stage  Senders: Target
    key_spec{.name = "TargetAlias", .kind = local_name, .function = declarative,
             .target_use = all, .any_stage = true, .section = "rfc7143#section-13.6"},
    //= rfc7143#section-13.7
    //# Use: ALL, Declarative, Any-Stage  Senders: Initiator
    key_spec{.name = "InitiatorAlias", .kind = local_name, .function = declarative,
             .initiator_use = all, .any_stage = true, .section = "rfc7143#section-13.7"},
    // rfc7143 section 13.8, in our words:
    // Use: ALL, Declarative, Any-Stage  Senders: Target
    // TargetAddress=domainname[:port][,portal-group-tag]
    key_spec{.name = "TargetAddress", .kind = address, .function = declarative,
             .target_use = all, .any_stage = true, .repeatable = true,
             .section = "rfc7143#section-13.8"},
    // rfc7143 section 13.9, in our words:
    // Use: IO by target, Declarative, Any-Stage  Senders: Target
    // TargetPortalGroupTag=<16-bit-binary-value>
    key_spec{.name = "TargetPortalGroupTag", .kind = number, .function = declarative,
             .max = 65535, .target_use = io, .any_stage = true,
             .section = "rfc7143#section-13.9"},
    //= rfc7143#section-13.10
    //# Use: LO ... Irrelevant when: SessionType=Discovery ... Default is Yes.
    //# Result function is OR.
    key_spec{.name = "InitialR2T", .kind = boolean, .function = boolean_or, .default_value = "Yes",
             .initiator_use = lo, .target_use = lo, .irrelevant_in_discovery = true,
             .section = "rfc7143#section-13.10"},
    //= rfc7143#section-13.11
    //# Use: LO ... Irrelevant when: SessionType=Discovery ... Default is Yes.
    //# Result function is AND.
    key_spec{.name = "ImmediateData", .kind = boolean, .function = boolean_and,
             .default_value = "Yes", .initiator_use = lo, .target_use = lo,
             .irrelevant_in_discovery = true, .section = "rfc7143#section-13.11"},
    // rfc7143 section 13.12, in our words:
    // Use: ALL, Declarative  Scope: CO
    // MaxRecvDataSegmentLength=<numerical-value-512-to-(2**24 - 1)> Default is 8192 bytes.
    key_spec{.name = "MaxRecvDataSegmentLength", .kind = number, .function = declarative,
             .default_value = "8192", .min = 512, .max = max_24_bit,
             .scope = key_scope::connection, .initiator_use = all, .target_use = all,
             .section = "rfc7143#section-13.12"},
    //= rfc7143#section-13.13
    //# MaxBurstLength=<numerical-value-512-to-(2**24 - 1)> Default is 262144 (256 KB).
    //# Result function is Minimum.
    key_spec{.name = "MaxBurstLength", .kind = number, .function = minimum,
             .default_value = "262144", .min = 512, .max = max_24_bit, .initiator_use = lo,
             .target_use = lo, .irrelevant_in_discovery = true,
             .section = "rfc7143#section-13.13"},
    //= rfc7143#section-13.14
    //# FirstBurstLength=<numerical-value-512-to-(2**24 - 1)> Default is 65536 (64 KB).
    //# Result function is Minimum.
    key_spec{.name = "FirstBurstLength", .kind = number, .function = minimum,
             .default_value = "65536", .min = 512, .max = max_24_bit, .initiator_use = lo,
             .target_use = lo, .irrelevant_in_discovery = true,
             .section = "rfc7143#section-13.14"},
    //= rfc7143#section-13.15
    //# DefaultTime2Wait=<numerical-value-0-to-3600> Default is 2. Result function is Maximum.
    key_spec{.name = "DefaultTime2Wait", .kind = number, .function = maximum,
             .default_value = "2", .max = 3600, .initiator_use = lo, .target_use = lo,
             .section = "rfc7143#section-13.15"},
    //= rfc7143#section-13.16
    //# DefaultTime2Retain=<numerical-value-0-to-3600> Default is 20. Result function is Minimum.
    key_spec{.name = "DefaultTime2Retain", .kind = number, .function = minimum,
             .default_value = "20", .max = 3600, .initiator_use = lo, .target_use = lo,
             .section = "rfc7143#section-13.16"},
    //= rfc7143#section-13.17
    //# MaxOutstandingR2T=<numerical-value-from-1-to-65535> Irrelevant when:
    //# SessionType=Discovery Default is 1. Result function is Minimum.
    key_spec{.name = "MaxOutstandingR2T", .kind = number, .function = minimum,
             .default_value = "1", .min = 1, .max = 65535, .initiator_use = lo,
             .target_use = lo, .irrelevant_in_discovery = true,
             .section = "rfc7143#section-13.17"},
    //= rfc7143#section-13.18
    //# DataPDUInOrder=<boolean-value> Default is Yes. Result function is OR.
    key_spec{.name = "DataPDUInOrder", .kind = boolean, .function = boolean_or,
             .default_value = "Yes", .initiator_use = lo, .target_use = lo,
             .irrelevant_in_discovery = true, .section = "rfc7143#section-13.18"},
    //= rfc7143#section-13.19
    //# DataSequenceInOrder=<boolean-value> Default is Yes. Result function is OR.
    key_spec{.name = "DataSequenceInOrder", .kind = boolean, .function = boolean_or,
             .default_value = "Yes", .initiator_use = lo, .target_use = lo,
             .irrelevant_in_discovery = true, .section = "rfc7143#section-13.19"},
    //= rfc7143#section-13.20
    //# ErrorRecoveryLevel=<numerical-value-0-to-2> Default is 0. Result function is Minimum.
    key_spec{.name = "ErrorRecoveryLevel", .kind = number, .function = minimum,
             .default_value = "0", .max = 2, .initiator_use = lo, .target_use = lo,
             .section = "rfc7143#section-13.20"},
    // rfc7143 section 13.21, in our words:
    // Use: LO, Declarative, Any-Stage  Senders: Initiator
    // SessionType=<Discovery|Normal> Default is Normal.
    key_spec{.name = "SessionType", .kind = enumerated, .function = declarative,
             .default_value = "Normal", .initiator_use = lo, .any_stage = true,
             .allowed_values = session_type_values, .section = "rfc7143#section-13.21"},
    //= rfc7143#section-13.23
    //# TaskReporting=<list-of-values> Default is RFC3720.
    key_spec{.name = "TaskReporting", .kind = list, .function = list_first,
             .default_value = "RFC3720", .initiator_use = lo, .target_use = lo,
             .irrelevant_in_discovery = true, .allowed_values = task_reporting_values,
             .section = "rfc7143#section-13.23"},
    //= rfc7143#section-13.24
    //# The iSCSIProtocolLevel associated with this document is "1".
    //= rfc7144#section-7.1.1
    //# iSCSIProtocolLevel=<numerical-value-from-0-to-31> Default is 1.
    //# Result function is Minimum.
    key_spec{.name = "iSCSIProtocolLevel", .kind = number, .function = minimum,
             .default_value = "1", .max = 31, .initiator_use = lo, .target_use = lo,
             .irrelevant_in_discovery = true, .origin = key_origin::rfc7144,
             .section = "rfc7144#section-7.1.1"},
    //= rfc7143#section-13.25
    //# When an IFMarker or OFMarker key is received, a compliant iSCSI
    //# implementation SHOULD respond with the constant "Reject" value.
    key_spec{.name = "OFMarker", .kind = boolean, .function = obsolete, .initiator_use = io,
             .target_use = io, .origin = key_origin::rfc3720_obsolete,
             .section = "rfc7143#section-13.25"},
    key_spec{.name = "IFMarker", .kind = boolean, .function = obsolete, .initiator_use = io,
             .target_use = io, .origin = key_origin::rfc3720_obsolete,
             .section = "rfc7143#section-13.25"},
    // RFC 3720 defined OFMarkInt/IFMarkInt as a numerical-range 1~65535.
    //= rfc7143#section-13.25
    //# When an IFMarkInt or OFMarkInt key is received, a compliant iSCSI
    //# implementation MUST respond with the constant "Reject" value.
    key_spec{.name = "OFMarkInt", .kind = range, .function = obsolete, .min = 1, .max = 65535,
             .initiator_use = io,
             .target_use = io, .origin = key_origin::rfc3720_obsolete,
             .section = "rfc7143#section-13.25"},
    key_spec{.name = "IFMarkInt", .kind = range, .function = obsolete, .min = 1, .max = 65535,
             .initiator_use = io,
             .target_use = io, .origin = key_origin::rfc3720_obsolete,
             .section = "rfc7143#section-13.25"},
    // rfc7143 section 13.26.1, in our words:
    // Use: LO, Declarative  Senders: Initiator and target
    // Default is None.
    //= rfc7143#section-13.26.1
    //# The length of the key value (total length of the list-of-values) MUST
    //# NOT be greater than 255 bytes.
    // max_length keeps its default, max_simple_value_length (255).
    key_spec{.name = "X#NodeArchitecture", .kind = list, .function = declarative,
             .default_value = "None", .initiator_use = lo, .target_use = lo,
             .section = "rfc7143#section-13.26.1"},
};

}  // namespace

std::span<const key_spec> key_table() { return keys; }

const key_spec* find_key(std::string_view key) {
  //= rfc7143#section-6.1
  //# All the text keys and text values specified in this document are case sensitive
  for (const auto& spec : keys) {
    if (spec.name == key) return &spec;
  }
  return nullptr;
}

}  // namespace touchstone::pdu
