// Login Response validation rules (RFC 7143 sections 11.13 and 6.3): the ones
// that one PDU can show; the rules that compare it with its request or with
// earlier responses belong to the login state machine.
#include "touchstone/pdu/login_response.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

bool is_login_stage(std::uint8_t code) {
  return code == static_cast<std::uint8_t>(login_stage::security_negotiation) ||
         code == static_cast<std::uint8_t>(login_stage::operational_negotiation);
}

void check_flags(const pdu& p, const login_response_view& v, violations& out) {
  // rfc7143 section 11.13, in our words:
  // |T|C|.|.|CSG|NSG| : bits 2-3 of byte 1 are reserved
  check::reserved_bits(out, p, login_response_offset::flags, login_flag::reserved,
                       "rfc7143#section-11.13/byte1-reserved",
                       "Login Response byte 1 reserved bits set");
  //= rfc7143#section-11.13.7
  //# A Login Response with the C bit set to 1 MUST have the T bit set to 0.
  check::require(out, !(v.continue_bit() && v.transit()),
                 "rfc7143#section-11.13.7/c-bit-needs-t-clear", severity::protocol_error,
                 "Login Response has both C and T set");
}

void check_stages(const login_response_view& v, violations& out) {
  // rfc7143 section 11.12.3, in our words:
  // The stage codes are: 0, 1, 3. All other codes are reserved.
  check::require(out, v.raw_csg() != reserved_login_stage,
                 "rfc7143#section-11.12.3/login-response-csg-reserved", severity::protocol_error,
                 "Login Response CSG is the reserved code 2");
  //= rfc7143#section-6.3
  //# the current negotiation stage (SecurityNegotiation or LoginOperationalNegotiation)
  check::require(out, v.csg() != login_stage::full_feature_phase,
                 "rfc7143#section-6.3/login-response-csg-not-full-feature",
                 severity::protocol_error, "Login Response CSG is FullFeaturePhase");
  if (!v.transit()) {
    //= rfc7143#section-11.12.3
    //# The Next Stage value is only valid when the T bit is 1; otherwise, it is reserved.
    check::require(out, v.raw_nsg() == 0,
                   "rfc7143#section-11.12.3/login-response-nsg-reserved-without-t",
                   severity::reserved_field, "Login Response NSG set without the T bit");
    return;
  }
  check::require(out, v.raw_nsg() != reserved_login_stage,
                 "rfc7143#section-11.12.3/login-response-nsg-reserved", severity::protocol_error,
                 "Login Response NSG is the reserved code 2");
  //= rfc7143#section-6.3
  //# Stage transitions during login ... are only possible as outlined in the following table
  // Security -> Operational or FullFeature, Operational -> FullFeature: always forward.
  check::require(out, !is_login_stage(v.raw_csg()) || v.raw_nsg() > v.raw_csg(),
                 "rfc7143#section-6.3/login-response-transition-forward", severity::protocol_error,
                 "Login Response transits to the same or an earlier stage");
}

void check_version_and_tsih(const login_response_view& v, violations& out) {
  //= rfc7143#section-11.13.2
  //# Version-active indicates the highest version supported by the target and initiator.
  // Either way (agreed or lowest supported) it cannot exceed the target's Version-max.
  check::require(out, v.version_active() <= v.version_max(),
                 "rfc7143#section-11.13.2/version-active-within-max", severity::protocol_error,
                 "Login Response Version-active exceeds Version-max");
  if (v.status_class() != static_cast<std::uint8_t>(login_status_class::success)) return;
  //= rfc7143#section-11.12.4
  //# The version number for this document is 0x00.
  check::require(out, v.version_active() == iscsi_version,
                 "rfc7143#section-11.12.4/login-response-version-active-defined",
                 severity::protocol_error, "accepting Login Response with an undefined version");
  //= rfc7143#section-11.13.3
  //# For a new session, the target MUST generate a non-zero TSIH and ONLY return
  //# it in the Login Final-Response
  // An existing session's TSIH is non-zero too, so every accepting
  // Final-Response carries a non-zero TSIH.
  check::require(out, !v.is_final_response() || v.tsih() != 0,
                 "rfc7143#section-11.13.3/final-response-tsih-nonzero", severity::protocol_error,
                 "Login Final-Response with TSIH 0");
}

void check_status(const pdu& p, const login_response_view& v, violations& out) {
  // rfc7143 section 11.13.5, in our words:
  // The Status-Classes are as follows: 0 Success, 1 Redirection, 2 Initiator Error, 3 Target Error
  const bool class_defined = v.status_class() <= 3;
  check::require(out, class_defined, "rfc7143#section-11.13.5/status-class-reserved",
                 severity::protocol_error, "Login Response uses an undefined Status-Class");
  //= rfc7143#section-11.13.5
  //# The table below shows all of the currently allocated status codes.
  check::require(out, !class_defined || is_allocated(v.status()),
                 "rfc7143#section-11.13.5/status-detail-unallocated", severity::protocol_error,
                 "Login Response uses an unallocated Status-Detail");
  //= rfc7143#section-11.13.5
  //# All of the redirection Status-Class responses MUST return one or more text
  //# key parameters of the type "TargetAddress"
  // Without text there can be no TargetAddress; the key itself is the text codec's.
  check::require(out,
                 v.status_class() != static_cast<std::uint8_t>(login_status_class::redirection) ||
                     !p.data.empty(),
                 "rfc7143#section-11.13.5/redirection-carries-text", severity::protocol_error,
                 "redirecting Login Response carries no text");
}

}  // namespace

void validate_login_response(const pdu& p, violations& out) {
  const login_response_view v{p};
  check_flags(p, v, out);
  check_stages(v, out);
  check_version_and_tsih(v, out);
  check_status(p, v, out);
  check::reserved_bytes(out, p, 20, 24, "rfc7143#section-11.13/bytes20-23-reserved",
                        "Login Response bytes 20-23 reserved and set");
  check::reserved_bytes(out, p, 38, 48, "rfc7143#section-11.13/bytes38-47-reserved",
                        "Login Response bytes 38-47 reserved and set");
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/login-response-itt-not-reserved",
                 severity::protocol_error, "Login Response for ITT 0xffffffff");
}

}  // namespace touchstone::pdu::detail
