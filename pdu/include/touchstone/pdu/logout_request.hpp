// Logout Request (opcode 0x06): view and builder.
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.14, in our words:
// byte 1 1|Reason Code, bytes 8-15 reserved, CID at 20, CmdSN at 24, ExpStatSN at 28,
// bytes 22-23 and 32-47 reserved
namespace logout_request_offset {
inline constexpr std::size_t reason_code = 1;
inline constexpr std::size_t cid = 20;
inline constexpr std::size_t cmd_sn = 24;
inline constexpr std::size_t exp_stat_sn = 28;
}  // namespace logout_request_offset

inline constexpr std::uint8_t logout_reason_mask = 0x7f;

// rfc7143 section 11.14.1, in our words:
// 0 - close the session. 1 - close the connection. 2 - remove the connection for
// recovery. All other values are reserved.
// Reserved values are kept as they came: compare with raw_reason_code().
enum class logout_reason : std::uint8_t {
  close_session = 0,
  close_connection = 1,
  remove_connection_for_recovery = 2,
};
constexpr bool is_assigned(logout_reason r) {
  return r <= logout_reason::remove_connection_for_recovery;
}

class logout_request_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit logout_request_view(const pdu& p) : bhs_view(p.bhs) {}
  // The view reads p's bytes in place: a temporary PDU would leave it dangling.
  explicit logout_request_view(pdu&&) = delete;
  std::uint8_t raw_reason_code() const {
    return u8(logout_request_offset::reason_code) & logout_reason_mask;
  }
  logout_reason reason() const { return static_cast<logout_reason>(raw_reason_code()); }
  //= rfc7143#section-11.14.3
  //# This field is only valid if the reason code is not "close the session".
  std::uint16_t cid() const { return u16(logout_request_offset::cid); }
  std::uint32_t cmd_sn() const { return u32(logout_request_offset::cmd_sn); }
  std::uint32_t exp_stat_sn() const { return u32(logout_request_offset::exp_stat_sn); }
};

class logout_request_builder : public builder<logout_request_builder> {
 public:
  // Defaults: F=1 as the format requires, close the session.
  explicit logout_request_builder(logout_reason r = logout_reason::close_session)
      : builder(opcode::logout_request) {
    final_bit(true);
    reason(r);
  }
  logout_request_builder& reason(logout_reason r) {
    return raw_reason_code(static_cast<std::uint8_t>(r));
  }
  logout_request_builder& raw_reason_code(std::uint8_t v) {
    return set_bits(logout_request_offset::reason_code, logout_reason_mask, v);
  }
  logout_request_builder& cid(std::uint16_t v) { return set_u16(logout_request_offset::cid, v); }
  logout_request_builder& cmd_sn(std::uint32_t v) {
    return set_u32(logout_request_offset::cmd_sn, v);
  }
  logout_request_builder& exp_stat_sn(std::uint32_t v) {
    return set_u32(logout_request_offset::exp_stat_sn, v);
  }
};

}  // namespace touchstone::pdu
