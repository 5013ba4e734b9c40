// Logout Response (opcode 0x26): view and builder.
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.15, in our words:
// Logout Response: Response at 2, StatSN 24, ExpCmdSN 28, MaxCmdSN 32,
// Time2Wait 40, Time2Retain 42
namespace logout_response_offset {
inline constexpr std::size_t response = 2;
inline constexpr std::size_t stat_sn = 24;
inline constexpr std::size_t exp_cmd_sn = 28;
inline constexpr std::size_t max_cmd_sn = 32;
inline constexpr std::size_t time2wait = 40;
inline constexpr std::size_t time2retain = 42;
}  // namespace logout_response_offset

// rfc7143 section 11.15.1, in our words:
// 0 - connection or session closed successfully. 1 - CID not found.
// 2 - connection recovery is not supported. 3 - cleanup failed for various reasons.
// A wire enum: any byte converts to it and keeps its value.
enum class logout_response_code : std::uint8_t {
  closed_successfully = 0,
  cid_not_found = 1,
  recovery_not_supported = 2,
  cleanup_failed = 3,
};
constexpr bool is_assigned(logout_response_code c) { return static_cast<std::uint8_t>(c) <= 3; }

class logout_response_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit logout_response_view(const pdu& p) : bhs_view(p.bhs) {}
  explicit logout_response_view(pdu&&) = delete;  // a view of a temporary would dangle
  std::uint8_t raw_response() const { return u8(logout_response_offset::response); }
  logout_response_code response() const {
    return static_cast<logout_response_code>(raw_response());
  }
  std::uint32_t stat_sn() const { return u32(logout_response_offset::stat_sn); }
  std::uint32_t exp_cmd_sn() const { return u32(logout_response_offset::exp_cmd_sn); }
  std::uint32_t max_cmd_sn() const { return u32(logout_response_offset::max_cmd_sn); }
  // Seconds; meaningless when the response is "CID not found" (11.15.3).
  std::uint16_t time2wait() const { return u16(logout_response_offset::time2wait); }
  std::uint16_t time2retain() const { return u16(logout_response_offset::time2retain); }
};

class logout_response_builder : public builder<logout_response_builder> {
 public:
  // Defaults: F=1 as the format requires, closed successfully, both times 0.
  logout_response_builder() : builder(opcode::logout_response) { final_bit(true); }
  logout_response_builder& response(logout_response_code c) {
    return raw_response(static_cast<std::uint8_t>(c));
  }
  logout_response_builder& raw_response(std::uint8_t v) {
    return set_u8(logout_response_offset::response, v);
  }
  logout_response_builder& stat_sn(std::uint32_t v) {
    return set_u32(logout_response_offset::stat_sn, v);
  }
  logout_response_builder& exp_cmd_sn(std::uint32_t v) {
    return set_u32(logout_response_offset::exp_cmd_sn, v);
  }
  logout_response_builder& max_cmd_sn(std::uint32_t v) {
    return set_u32(logout_response_offset::max_cmd_sn, v);
  }
  logout_response_builder& time2wait(std::uint16_t seconds) {
    return set_u16(logout_response_offset::time2wait, seconds);
  }
  logout_response_builder& time2retain(std::uint16_t seconds) {
    return set_u16(logout_response_offset::time2retain, seconds);
  }
};

}  // namespace touchstone::pdu
