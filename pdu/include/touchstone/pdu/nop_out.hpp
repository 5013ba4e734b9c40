// NOP-Out (opcode 0x00): view and builder.
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.18, in our words:
// NOP-Out: TTT at 20, CmdSN at 24, ExpStatSN at 28, bytes 32-47 reserved
namespace nop_out_offset {
inline constexpr std::size_t target_transfer_tag = 20;
inline constexpr std::size_t cmd_sn = 24;
inline constexpr std::size_t exp_stat_sn = 28;
}  // namespace nop_out_offset

class nop_out_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit nop_out_view(const pdu& p) : bhs_view(p.bhs) {}
  explicit nop_out_view(pdu&&) = delete;  // a view of a temporary would dangle
  std::uint32_t target_transfer_tag() const { return u32(nop_out_offset::target_transfer_tag); }
  std::uint32_t cmd_sn() const { return u32(nop_out_offset::cmd_sn); }
  std::uint32_t exp_stat_sn() const { return u32(nop_out_offset::exp_stat_sn); }
  // A ping request asks for a NOP-In: its ITT is valid (not 0xffffffff).
  bool is_ping_request() const { return initiator_task_tag() != reserved_tag; }
};

class nop_out_builder : public builder<nop_out_builder> {
 public:
  // Defaults: F=1, ITT and TTT 0xffffffff (a NOP-Out that wants no answer).
  nop_out_builder() : builder(opcode::nop_out) {
    final_bit(true);
    initiator_task_tag(reserved_tag);
    target_transfer_tag(reserved_tag);
  }
  nop_out_builder& target_transfer_tag(std::uint32_t v) {
    return set_u32(nop_out_offset::target_transfer_tag, v);
  }
  nop_out_builder& cmd_sn(std::uint32_t v) { return set_u32(nop_out_offset::cmd_sn, v); }
  nop_out_builder& exp_stat_sn(std::uint32_t v) { return set_u32(nop_out_offset::exp_stat_sn, v); }
};

}  // namespace touchstone::pdu
