// Text Response (opcode 0x24): view and builder. The data segment is text
// (key=value pairs); this file only moves its bytes, the text codec parses it.
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.11, in our words:
// Text Response: |F|C| Reserved, TTT at 20, StatSN 24, ExpCmdSN 28, MaxCmdSN 32
namespace text_response_offset {
inline constexpr std::size_t flags = 1;
inline constexpr std::size_t target_transfer_tag = 20;
inline constexpr std::size_t stat_sn = 24;
inline constexpr std::size_t exp_cmd_sn = 28;
inline constexpr std::size_t max_cmd_sn = 32;
}  // namespace text_response_offset

inline constexpr std::uint8_t text_response_continue_bit = 0x40;

class text_response_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit text_response_view(const pdu& p) : bhs_view(p.bhs) {}
  explicit text_response_view(pdu&&) = delete;  // a view of a temporary would dangle
  //= rfc7143#section-11.11.2
  //# When set to 1, this bit indicates that the text ... is not complete
  bool continue_bit() const { return bit(text_response_offset::flags, text_response_continue_bit); }
  std::uint32_t target_transfer_tag() const {
    return u32(text_response_offset::target_transfer_tag);
  }
  std::uint32_t stat_sn() const { return u32(text_response_offset::stat_sn); }
  std::uint32_t exp_cmd_sn() const { return u32(text_response_offset::exp_cmd_sn); }
  std::uint32_t max_cmd_sn() const { return u32(text_response_offset::max_cmd_sn); }
};

class text_response_builder : public builder<text_response_builder> {
 public:
  // Defaults: F=1 and TTT 0xffffffff, the legal pair for a final response.
  text_response_builder() : builder(opcode::text_response) {
    final_bit(true);
    target_transfer_tag(reserved_tag);
  }
  text_response_builder& continue_bit(bool on = true) {
    return set_bit(text_response_offset::flags, text_response_continue_bit, on);
  }
  text_response_builder& target_transfer_tag(std::uint32_t v) {
    return set_u32(text_response_offset::target_transfer_tag, v);
  }
  text_response_builder& stat_sn(std::uint32_t v) {
    return set_u32(text_response_offset::stat_sn, v);
  }
  text_response_builder& exp_cmd_sn(std::uint32_t v) {
    return set_u32(text_response_offset::exp_cmd_sn, v);
  }
  text_response_builder& max_cmd_sn(std::uint32_t v) {
    return set_u32(text_response_offset::max_cmd_sn, v);
  }
};

}  // namespace touchstone::pdu
