// Task Management Function Response (opcode 0x22): view and builder.
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.6, in our words:
// TMF Response: Response at 2, StatSN 24, ExpCmdSN 28, MaxCmdSN 32
namespace task_mgmt_response_offset {
inline constexpr std::size_t response = 2;
inline constexpr std::size_t stat_sn = 24;
inline constexpr std::size_t exp_cmd_sn = 28;
inline constexpr std::size_t max_cmd_sn = 32;
}  // namespace task_mgmt_response_offset

// rfc7143 section 11.6.1, in our words:
// 0 - Function complete ... 255 - Function rejected; the value 7 is defined by [RFC7144].
// A wire enum: any byte converts to it and keeps its value.
enum class tmf_response : std::uint8_t {
  function_complete = 0,
  task_does_not_exist = 1,
  lun_does_not_exist = 2,
  task_still_allegiant = 3,
  task_allegiance_reassignment_not_supported = 4,
  function_not_supported = 5,
  function_authorization_failed = 6,
  function_succeeded = 7,  // RFC 7144 (QUERY TASK and friends)
  function_rejected = 255,
};
constexpr bool is_assigned(tmf_response r) {
  return static_cast<std::uint8_t>(r) <= 7 || r == tmf_response::function_rejected;
}

class task_mgmt_response_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit task_mgmt_response_view(const pdu& p) : bhs_view(p.bhs) {}
  explicit task_mgmt_response_view(pdu&&) = delete;  // a view of a temporary would dangle
  std::uint8_t raw_response() const { return u8(task_mgmt_response_offset::response); }
  tmf_response response() const { return static_cast<tmf_response>(raw_response()); }
  std::uint32_t stat_sn() const { return u32(task_mgmt_response_offset::stat_sn); }
  std::uint32_t exp_cmd_sn() const { return u32(task_mgmt_response_offset::exp_cmd_sn); }
  std::uint32_t max_cmd_sn() const { return u32(task_mgmt_response_offset::max_cmd_sn); }
};

class task_mgmt_response_builder : public builder<task_mgmt_response_builder> {
 public:
  // Defaults: F=1 as the format requires, Function complete.
  task_mgmt_response_builder() : builder(opcode::task_mgmt_response) { final_bit(true); }
  task_mgmt_response_builder& response(tmf_response r) {
    return raw_response(static_cast<std::uint8_t>(r));
  }
  task_mgmt_response_builder& raw_response(std::uint8_t v) {
    return set_u8(task_mgmt_response_offset::response, v);
  }
  task_mgmt_response_builder& stat_sn(std::uint32_t v) {
    return set_u32(task_mgmt_response_offset::stat_sn, v);
  }
  task_mgmt_response_builder& exp_cmd_sn(std::uint32_t v) {
    return set_u32(task_mgmt_response_offset::exp_cmd_sn, v);
  }
  task_mgmt_response_builder& max_cmd_sn(std::uint32_t v) {
    return set_u32(task_mgmt_response_offset::max_cmd_sn, v);
  }
};

}  // namespace touchstone::pdu
