// Login Response (opcode 0x23): view, builder and the login status codes.
// The data segment carries login text; this file only moves its bytes.
#pragma once

#include "touchstone/pdu/builder.hpp"
#include "touchstone/pdu/login_common.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.13, in our words:
// byte 1 T|C|.|.|CSG|NSG, Version-max 2, Version-active 3, ISID 8-13, TSIH 14-15,
// StatSN 24, ExpCmdSN 28, MaxCmdSN 32, Status-Class 36, Status-Detail 37
namespace login_response_offset {
inline constexpr std::size_t flags = 1;
inline constexpr std::size_t version_max = 2;
inline constexpr std::size_t version_active = 3;
inline constexpr std::size_t isid = 8;
inline constexpr std::size_t tsih = 14;
inline constexpr std::size_t stat_sn = 24;
inline constexpr std::size_t exp_cmd_sn = 28;
inline constexpr std::size_t max_cmd_sn = 32;
inline constexpr std::size_t status_class = 36;
inline constexpr std::size_t status_detail = 37;
}  // namespace login_response_offset

// rfc7143 section 11.13.5, in our words:
// 0 Success, 1 Redirection, 2 Initiator Error, 3 Target Error
enum class login_status_class : std::uint8_t {
  success = 0,
  redirection = 1,
  initiator_error = 2,
  target_error = 3,
};

//= rfc7143#section-11.13.5
//# the first byte is the Status-Class, and the second byte is the status detail.
// Class and detail as one 16-bit code; a wire enum that keeps any value.
enum class login_status : std::uint16_t {
  success = 0x0000,
  target_moved_temporarily = 0x0101,
  target_moved_permanently = 0x0102,
  initiator_error = 0x0200,
  authentication_failure = 0x0201,
  authorization_failure = 0x0202,
  not_found = 0x0203,
  target_removed = 0x0204,
  unsupported_version = 0x0205,
  too_many_connections = 0x0206,
  missing_parameter = 0x0207,
  cant_include_in_session = 0x0208,
  session_type_not_supported = 0x0209,
  session_does_not_exist = 0x020a,
  invalid_during_login = 0x020b,
  target_error = 0x0300,
  service_unavailable = 0x0301,
  out_of_resources = 0x0302,
};

constexpr login_status make_login_status(std::uint8_t status_class, std::uint8_t detail) {
  return static_cast<login_status>((status_class << 8) | detail);
}
constexpr std::uint8_t status_class_of(login_status s) {
  return static_cast<std::uint8_t>(static_cast<std::uint16_t>(s) >> 8);
}
constexpr std::uint8_t status_detail_of(login_status s) {
  return static_cast<std::uint8_t>(static_cast<std::uint16_t>(s));
}

//= rfc7143#section-11.13.5
//# The table below shows all of the currently allocated status codes.
constexpr bool is_allocated(login_status s) {
  const auto detail = status_detail_of(s);
  switch (status_class_of(s)) {
    case 0: return detail == 0x00;
    case 1: return detail == 0x01 || detail == 0x02;
    case 2: return detail <= 0x0b;
    case 3: return detail <= 0x02;
  }
  return false;
}

class login_response_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit login_response_view(const pdu& p) : bhs_view(p.bhs) {}
  explicit login_response_view(pdu&&) = delete;  // a view of a temporary would dangle
  bool transit() const { return bit(login_response_offset::flags, login_flag::transit); }
  bool continue_bit() const { return bit(login_response_offset::flags, login_flag::continue_); }
  std::uint8_t raw_csg() const {
    return (u8(login_response_offset::flags) & login_flag::csg) >> login_flag::csg_shift;
  }
  std::uint8_t raw_nsg() const { return u8(login_response_offset::flags) & login_flag::nsg; }
  login_stage csg() const { return static_cast<login_stage>(raw_csg()); }
  // Only meaningful when transit() is set (11.12.3).
  login_stage nsg() const { return static_cast<login_stage>(raw_nsg()); }
  std::uint8_t version_max() const { return u8(login_response_offset::version_max); }
  std::uint8_t version_active() const { return u8(login_response_offset::version_active); }
  std::uint64_t isid() const {
    return (std::uint64_t{u16(login_response_offset::isid)} << 32) |
           u32(login_response_offset::isid + 2);
  }
  isid_fields isid_parts() const { return split_isid(isid()); }
  std::uint16_t tsih() const { return u16(login_response_offset::tsih); }
  std::uint32_t stat_sn() const { return u32(login_response_offset::stat_sn); }
  std::uint32_t exp_cmd_sn() const { return u32(login_response_offset::exp_cmd_sn); }
  std::uint32_t max_cmd_sn() const { return u32(login_response_offset::max_cmd_sn); }
  std::uint8_t status_class() const { return u8(login_response_offset::status_class); }
  std::uint8_t status_detail() const { return u8(login_response_offset::status_detail); }
  login_status status() const { return make_login_status(status_class(), status_detail()); }
  //= rfc7143#section-11.13.6
  //# If the T bit is set to 1 and the NSG is set to FullFeaturePhase, then this
  //# is also the Login Final-Response
  bool is_final_response() const { return transit() && nsg() == login_stage::full_feature_phase; }
};

class login_response_builder : public builder<login_response_builder> {
 public:
  // Defaults: versions 0x00, status Success, a SecurityNegotiation response
  // that does not transit. TSIH 0 until a Final-Response needs one.
  login_response_builder() : builder(opcode::login_response) {
    version_max(iscsi_version);
    version_active(iscsi_version);
  }
  login_response_builder& transit(bool on = true) {
    return set_bit(login_response_offset::flags, login_flag::transit, on);
  }
  login_response_builder& continue_bit(bool on = true) {
    return set_bit(login_response_offset::flags, login_flag::continue_, on);
  }
  login_response_builder& csg(login_stage s) { return raw_csg(static_cast<std::uint8_t>(s)); }
  login_response_builder& nsg(login_stage s) { return raw_nsg(static_cast<std::uint8_t>(s)); }
  login_response_builder& raw_csg(std::uint8_t v) {
    return set_bits(login_response_offset::flags, login_flag::csg,
                    static_cast<std::uint8_t>(v << login_flag::csg_shift));
  }
  login_response_builder& raw_nsg(std::uint8_t v) {
    return set_bits(login_response_offset::flags, login_flag::nsg, v);
  }
  // T=1 with the given next stage: accepting a transition the initiator asked for.
  login_response_builder& transit_to(login_stage next) { return transit(true).nsg(next); }
  login_response_builder& version_max(std::uint8_t v) {
    return set_u8(login_response_offset::version_max, v);
  }
  login_response_builder& version_active(std::uint8_t v) {
    return set_u8(login_response_offset::version_active, v);
  }
  login_response_builder& isid(std::uint64_t v) {
    set_u16(login_response_offset::isid, static_cast<std::uint16_t>(v >> 32));
    return set_u32(login_response_offset::isid + 2, static_cast<std::uint32_t>(v));
  }
  login_response_builder& isid(isid_fields f) { return isid(join_isid(f)); }
  login_response_builder& tsih(std::uint16_t v) { return set_u16(login_response_offset::tsih, v); }
  login_response_builder& stat_sn(std::uint32_t v) {
    return set_u32(login_response_offset::stat_sn, v);
  }
  login_response_builder& exp_cmd_sn(std::uint32_t v) {
    return set_u32(login_response_offset::exp_cmd_sn, v);
  }
  login_response_builder& max_cmd_sn(std::uint32_t v) {
    return set_u32(login_response_offset::max_cmd_sn, v);
  }
  login_response_builder& status(login_status s) {
    return status_class(status_class_of(s)).status_detail(status_detail_of(s));
  }
  login_response_builder& status_class(std::uint8_t v) {
    return set_u8(login_response_offset::status_class, v);
  }
  login_response_builder& status_detail(std::uint8_t v) {
    return set_u8(login_response_offset::status_detail, v);
  }
};

}  // namespace touchstone::pdu
