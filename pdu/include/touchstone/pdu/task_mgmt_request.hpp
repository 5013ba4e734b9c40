// Task Management Function Request (opcode 0x02): view and builder.
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.5, in our words:
// byte 1 1|Function, Referenced Task Tag at 20, CmdSN 24, ExpStatSN 28,
// RefCmdSN 32, ExpDataSN 36, bytes 40-47 reserved
namespace task_mgmt_request_offset {
inline constexpr std::size_t function = 1;
inline constexpr std::size_t referenced_task_tag = 20;
inline constexpr std::size_t cmd_sn = 24;
inline constexpr std::size_t exp_stat_sn = 28;
inline constexpr std::size_t ref_cmd_sn = 32;
inline constexpr std::size_t exp_data_sn = 36;
}  // namespace task_mgmt_request_offset

inline constexpr std::uint8_t tmf_function_mask = 0x7f;

// rfc7143 section 11.5.1, in our words:
// The task management function codes: 1-8 here, 9-12 assigned in [RFC7144],
// all other values unassigned.
// Unassigned values are kept as they came: compare with raw_function().
enum class tmf_function : std::uint8_t {
  abort_task = 1,
  abort_task_set = 2,
  clear_aca = 3,
  clear_task_set = 4,
  logical_unit_reset = 5,
  target_warm_reset = 6,
  target_cold_reset = 7,
  task_reassign = 8,
  // RFC 7144 (SAM-4/SAM-5 functions).
  query_task = 9,
  query_task_set = 10,
  i_t_nexus_reset = 11,
  query_asynchronous_event = 12,
};

constexpr bool is_assigned(tmf_function f) {
  return f >= tmf_function::abort_task && f <= tmf_function::query_asynchronous_event;
}

class task_mgmt_request_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit task_mgmt_request_view(const pdu& p) : bhs_view(p.bhs) {}
  // The view reads p's bytes in place: a temporary PDU would leave it dangling.
  explicit task_mgmt_request_view(pdu&&) = delete;
  std::uint8_t raw_function() const {
    return u8(task_mgmt_request_offset::function) & tmf_function_mask;
  }
  tmf_function function() const { return static_cast<tmf_function>(raw_function()); }
  std::uint32_t referenced_task_tag() const {
    return u32(task_mgmt_request_offset::referenced_task_tag);
  }
  std::uint32_t cmd_sn() const { return u32(task_mgmt_request_offset::cmd_sn); }
  std::uint32_t exp_stat_sn() const { return u32(task_mgmt_request_offset::exp_stat_sn); }
  std::uint32_t ref_cmd_sn() const { return u32(task_mgmt_request_offset::ref_cmd_sn); }
  std::uint32_t exp_data_sn() const { return u32(task_mgmt_request_offset::exp_data_sn); }
};

class task_mgmt_request_builder : public builder<task_mgmt_request_builder> {
 public:
  // Defaults: F=1 (required), I=1 (TMFs are usually immediate; TASK REASSIGN
  // must be), Referenced Task Tag 0xffffffff (required for most functions).
  explicit task_mgmt_request_builder(tmf_function f = tmf_function::abort_task_set)
      : builder(opcode::task_mgmt_request) {
    final_bit(true);
    immediate(true);
    function(f);
    referenced_task_tag(reserved_tag);
  }
  task_mgmt_request_builder& function(tmf_function f) {
    return raw_function(static_cast<std::uint8_t>(f));
  }
  task_mgmt_request_builder& raw_function(std::uint8_t v) {
    return set_bits(task_mgmt_request_offset::function, tmf_function_mask, v);
  }
  task_mgmt_request_builder& referenced_task_tag(std::uint32_t v) {
    return set_u32(task_mgmt_request_offset::referenced_task_tag, v);
  }
  task_mgmt_request_builder& cmd_sn(std::uint32_t v) {
    return set_u32(task_mgmt_request_offset::cmd_sn, v);
  }
  task_mgmt_request_builder& exp_stat_sn(std::uint32_t v) {
    return set_u32(task_mgmt_request_offset::exp_stat_sn, v);
  }
  task_mgmt_request_builder& ref_cmd_sn(std::uint32_t v) {
    return set_u32(task_mgmt_request_offset::ref_cmd_sn, v);
  }
  task_mgmt_request_builder& exp_data_sn(std::uint32_t v) {
    return set_u32(task_mgmt_request_offset::exp_data_sn, v);
  }
};

}  // namespace touchstone::pdu
