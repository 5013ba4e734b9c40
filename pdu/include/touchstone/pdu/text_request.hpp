// Text Request (opcode 0x04): view and builder. The data segment carries
// key=value text; this file deals only with its bytes (pdu/text parses them).
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.10, in our words:
// byte 1 F|C|Reserved, TTT at 20, CmdSN at 24, ExpStatSN at 28, bytes 32-47 reserved
namespace text_request_offset {
inline constexpr std::size_t flags = 1;
inline constexpr std::size_t target_transfer_tag = 20;
inline constexpr std::size_t cmd_sn = 24;
inline constexpr std::size_t exp_stat_sn = 28;
}  // namespace text_request_offset

inline constexpr std::uint8_t text_request_continue_bit = 0x40;

class text_request_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit text_request_view(const pdu& p) : bhs_view(p.bhs) {}
  // The view reads p's bytes in place: a temporary PDU would leave it dangling.
  explicit text_request_view(pdu&&) = delete;
  bool continue_bit() const { return bit(text_request_offset::flags, text_request_continue_bit); }
  std::uint32_t target_transfer_tag() const {
    return u32(text_request_offset::target_transfer_tag);
  }
  std::uint32_t cmd_sn() const { return u32(text_request_offset::cmd_sn); }
  std::uint32_t exp_stat_sn() const { return u32(text_request_offset::exp_stat_sn); }
  //= rfc7143#section-11.10.4
  //# When the Target Transfer Tag is set to the reserved value 0xffffffff, it tells
  //# the target that this is a new request
  bool is_new_request() const { return target_transfer_tag() == reserved_tag; }
};

class text_request_builder : public builder<text_request_builder> {
 public:
  // Defaults: F=1, C=0 (a complete, single request), TTT 0xffffffff (new).
  text_request_builder() : builder(opcode::text_request) {
    final_bit(true);
    target_transfer_tag(reserved_tag);
  }
  text_request_builder& continue_bit(bool on = true) {
    return set_bit(text_request_offset::flags, text_request_continue_bit, on);
  }
  text_request_builder& target_transfer_tag(std::uint32_t v) {
    return set_u32(text_request_offset::target_transfer_tag, v);
  }
  text_request_builder& cmd_sn(std::uint32_t v) { return set_u32(text_request_offset::cmd_sn, v); }
  text_request_builder& exp_stat_sn(std::uint32_t v) {
    return set_u32(text_request_offset::exp_stat_sn, v);
  }
};

}  // namespace touchstone::pdu
