// Ready To Transfer, R2T (opcode 0x31): view and builder.
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.8, in our words:
// R2T: TTT at 20, StatSN 24, ExpCmdSN 28, MaxCmdSN 32, R2TSN 36,
// Buffer Offset 40, Desired Data Transfer Length 44
namespace r2t_offset {
inline constexpr std::size_t target_transfer_tag = 20;
inline constexpr std::size_t stat_sn = 24;
inline constexpr std::size_t exp_cmd_sn = 28;
inline constexpr std::size_t max_cmd_sn = 32;
inline constexpr std::size_t r2t_sn = 36;
inline constexpr std::size_t buffer_offset = 40;
inline constexpr std::size_t desired_data_transfer_length = 44;
}  // namespace r2t_offset

class r2t_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit r2t_view(const pdu& p) : bhs_view(p.bhs) {}
  explicit r2t_view(pdu&&) = delete;  // a view of a temporary would dangle
  std::uint32_t target_transfer_tag() const { return u32(r2t_offset::target_transfer_tag); }
  std::uint32_t stat_sn() const { return u32(r2t_offset::stat_sn); }
  std::uint32_t exp_cmd_sn() const { return u32(r2t_offset::exp_cmd_sn); }
  std::uint32_t max_cmd_sn() const { return u32(r2t_offset::max_cmd_sn); }
  std::uint32_t r2t_sn() const { return u32(r2t_offset::r2t_sn); }
  std::uint32_t buffer_offset() const { return u32(r2t_offset::buffer_offset); }
  std::uint32_t desired_data_transfer_length() const {
    return u32(r2t_offset::desired_data_transfer_length);
  }
};

class r2t_builder : public builder<r2t_builder> {
 public:
  // Defaults: F=1 as the format requires. TTT and the desired length start at
  // 0: a target must choose them (0xffffffff and a zero length are illegal).
  r2t_builder() : builder(opcode::r2t) { final_bit(true); }
  r2t_builder& target_transfer_tag(std::uint32_t v) {
    return set_u32(r2t_offset::target_transfer_tag, v);
  }
  r2t_builder& stat_sn(std::uint32_t v) { return set_u32(r2t_offset::stat_sn, v); }
  r2t_builder& exp_cmd_sn(std::uint32_t v) { return set_u32(r2t_offset::exp_cmd_sn, v); }
  r2t_builder& max_cmd_sn(std::uint32_t v) { return set_u32(r2t_offset::max_cmd_sn, v); }
  r2t_builder& r2t_sn(std::uint32_t v) { return set_u32(r2t_offset::r2t_sn, v); }
  r2t_builder& buffer_offset(std::uint32_t v) { return set_u32(r2t_offset::buffer_offset, v); }
  r2t_builder& desired_data_transfer_length(std::uint32_t v) {
    return set_u32(r2t_offset::desired_data_transfer_length, v);
  }
};

}  // namespace touchstone::pdu
