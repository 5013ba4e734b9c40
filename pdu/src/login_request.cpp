// Login Request validation rules: one PDU at a time; what must stay the same
// across a Login Phase (versions, TSIH, CID, ITT) is the target's business.
#include "touchstone/pdu/login_request.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

void check_reserved(const pdu& p, violations& out) {
  // rfc7143 section 11.12, in our words:
  // byte 1 is T|C|.|.|CSG|NSG; bytes 22-23 and 32-47 are Reserved
  check::reserved_bits(out, p, login_request_offset::flags, login_flag::reserved,
                       "rfc7143#section-11.12/login-flags-bits2-3-reserved",
                       "Login Request byte 1 bits 2-3 reserved and set");
  check::reserved_bytes(out, p, 22, 24, "rfc7143#section-11.12/login-bytes22-23-reserved",
                        "Login Request bytes 22-23 reserved and set");
  check::reserved_bytes(out, p, 32, 48, "rfc7143#section-11.12/login-bytes32-47-reserved",
                        "Login Request bytes 32-47 reserved and set");
}

void check_header(const login_request_view& v, violations& out) {
  // rfc7143 section 11.12, in our words:
  // Login Requests are always considered as immediate. (byte 0 is .|1|0x03)
  check::require(out, v.immediate(), "rfc7143#section-11.12/login-i-bit-set",
                 severity::protocol_error, "Login Request I bit is not 1");
  //= rfc7143#section-11.2.1.5
  //# The TotalAHSLength is only used in PDUs that have an AHS and MUST be 0 in all other PDUs.
  check::require(out, v.total_ahs_length() == 0, "rfc7143#section-11.2.1.5/login-request-no-ahs",
                 severity::protocol_error, "Login Request carries AHS");
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/login-request-itt-not-reserved",
                 severity::protocol_error, "Login Request uses the reserved ITT 0xffffffff");
  //= rfc7143#section-11.12.4
  //# both Version-min and Version-max MUST be set to 0x00.
  check::require(out, v.version_max() == iscsi_version, "rfc7143#section-11.12.4/version-max-zero",
                 severity::protocol_error, "Login Request Version-max is not 0x00");
  check::require(out, v.version_min() == iscsi_version, "rfc7143#section-11.12.4/version-min-zero",
                 severity::protocol_error, "Login Request Version-min is not 0x00");
}

void check_flags(const login_request_view& v, violations& out) {
  //= rfc7143#section-11.12.2
  //# A Login Request with the C bit set to 1 MUST have the T bit set to 0.
  //= rfc7143#section-6.2
  //# As negotiation text may span PDU boundaries, a Text or Login Request or a Text or Login
  //# Response PDU that has the C bit set to 1 MUST NOT have the F bit or T bit set to 1.
  check::require(out, !(v.continue_bit() && v.transit()),
                 "rfc7143#section-11.12.2/continue-forbids-transit", severity::protocol_error,
                 "Login Request has both C and T set");
  // rfc7143 section 11.12.3, in our words:
  // The stage codes are: 0, 1, 3. All other codes are reserved.
  check::require(out, v.raw_csg() != reserved_login_stage, "rfc7143#section-11.12.3/csg-reserved",
                 severity::protocol_error, "Login Request CSG is the reserved code 2");
  //= rfc7143#section-6.3
  //# a field (CSG) that indicates the current negotiation stage (SecurityNegotiation or
  //# LoginOperationalNegotiation)
  check::require(out, v.csg() != login_stage::full_feature_phase,
                 "rfc7143#section-6.3/csg-is-negotiation-stage", severity::protocol_error,
                 "Login Request CSG is FullFeaturePhase");
  if (!v.transit()) {
    //= rfc7143#section-11.12.3
    //# The Next Stage value is only valid when the T bit is 1; otherwise, it is reserved.
    check::require(out, v.raw_nsg() == 0, "rfc7143#section-11.12.3/nsg-reserved-without-t",
                   severity::reserved_field, "Login Request NSG set while T is 0");
    return;
  }
  check::require(out, v.raw_nsg() != reserved_login_stage, "rfc7143#section-11.12.3/nsg-reserved",
                 severity::protocol_error, "Login Request NSG is the reserved code 2");
  // rfc7143 section 6.3, in our words:
  // Stage transitions during login (including entering and exit) are only possible as
  // outlined in the following table: Security to Operational or FullFeature,
  // Operational to FullFeature.
  check::require(out, v.raw_nsg() > v.raw_csg(), "rfc7143#section-6.3/transition-moves-forward",
                 severity::protocol_error,
                 "Login Request asks for a transition that is not allowed");
}

void check_isid(const login_request_view& v, violations& out) {
  const auto isid = v.isid_parts();
  //= rfc7143#section-11.12.5
  //# The T field value of 11b is reserved.
  check::require(out, isid.t != isid_format::reserved, "rfc7143#section-11.12.5/isid-t-reserved",
                 severity::protocol_error, "Login Request ISID uses the reserved T value 11b");
  // rfc7143 section 11.12.5, in our words:
  // 01b EN: A: Reserved; 10b "Random" A: Reserved
  const bool a_reserved = isid.t == isid_format::enterprise_number || isid.t == isid_format::random;
  check::require(out, !a_reserved || isid.a == 0, "rfc7143#section-11.12.5/isid-a-reserved",
                 severity::reserved_field,
                 "Login Request ISID A field is reserved for this T and set");
}

}  // namespace

void validate_login_request(const pdu& p, violations& out) {
  const login_request_view v{p};
  check_reserved(p, out);
  check_header(v, out);
  check_flags(v, out);
  check_isid(v, out);
}

}  // namespace touchstone::pdu::detail
