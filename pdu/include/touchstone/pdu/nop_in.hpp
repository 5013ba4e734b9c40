// NOP-In (opcode 0x20): view and builder.
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.19, in our words:
// NOP-In: TTT at 20, StatSN 24, ExpCmdSN 28, MaxCmdSN 32, bytes 36-47 reserved
namespace nop_in_offset {
inline constexpr std::size_t target_transfer_tag = 20;
inline constexpr std::size_t stat_sn = 24;
inline constexpr std::size_t exp_cmd_sn = 28;
inline constexpr std::size_t max_cmd_sn = 32;
}  // namespace nop_in_offset

class nop_in_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit nop_in_view(const pdu& p) : bhs_view(p.bhs) {}
  explicit nop_in_view(pdu&&) = delete;  // a view of a temporary would dangle
  std::uint32_t target_transfer_tag() const { return u32(nop_in_offset::target_transfer_tag); }
  std::uint32_t stat_sn() const { return u32(nop_in_offset::stat_sn); }
  std::uint32_t exp_cmd_sn() const { return u32(nop_in_offset::exp_cmd_sn); }
  std::uint32_t max_cmd_sn() const { return u32(nop_in_offset::max_cmd_sn); }
  // The answer to a NOP-Out ping carries that ping's (valid) ITT.
  bool is_ping_response() const { return initiator_task_tag() != reserved_tag; }
  //= rfc7143#section-11.19.1
  //# If the target is sending a NOP-In as a ping (intending to receive a
  //# corresponding NOP-Out), this field is set to a valid value
  bool is_ping_request() const { return target_transfer_tag() != reserved_tag; }
};

class nop_in_builder : public builder<nop_in_builder> {
 public:
  // Defaults: F=1, ITT and TTT 0xffffffff (a NOP-In that wants no answer,
  // e.g. to carry a new MaxCmdSN).
  nop_in_builder() : builder(opcode::nop_in) {
    final_bit(true);
    initiator_task_tag(reserved_tag);
    target_transfer_tag(reserved_tag);
  }
  nop_in_builder& target_transfer_tag(std::uint32_t v) {
    return set_u32(nop_in_offset::target_transfer_tag, v);
  }
  nop_in_builder& stat_sn(std::uint32_t v) { return set_u32(nop_in_offset::stat_sn, v); }
  nop_in_builder& exp_cmd_sn(std::uint32_t v) { return set_u32(nop_in_offset::exp_cmd_sn, v); }
  nop_in_builder& max_cmd_sn(std::uint32_t v) { return set_u32(nop_in_offset::max_cmd_sn, v); }
};

}  // namespace touchstone::pdu
