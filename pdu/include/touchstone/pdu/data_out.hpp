// SCSI Data-Out (opcode 0x05): view and builder.
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.7, in our words:
// TTT at 20, ExpStatSN at 28, DataSN at 36, Buffer Offset at 40;
// bytes 24-27, 32-35 and 44-47 reserved
namespace data_out_offset {
inline constexpr std::size_t target_transfer_tag = 20;
inline constexpr std::size_t exp_stat_sn = 28;
inline constexpr std::size_t data_sn = 36;
inline constexpr std::size_t buffer_offset = 40;
}  // namespace data_out_offset

class data_out_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit data_out_view(const pdu& p) : bhs_view(p.bhs) {}
  // The view reads p's bytes in place: a temporary PDU would leave it dangling.
  explicit data_out_view(pdu&&) = delete;
  std::uint32_t target_transfer_tag() const { return u32(data_out_offset::target_transfer_tag); }
  std::uint32_t exp_stat_sn() const { return u32(data_out_offset::exp_stat_sn); }
  std::uint32_t data_sn() const { return u32(data_out_offset::data_sn); }
  std::uint32_t buffer_offset() const { return u32(data_out_offset::buffer_offset); }
  //= rfc7143#section-11.7.4
  //# the Target Transfer Tag is provided to the target if the transfer is honoring an R2T
  bool answers_r2t() const { return target_transfer_tag() != reserved_tag; }
};

class data_out_builder : public builder<data_out_builder> {
 public:
  // Defaults: F=1 (the only PDU of its sequence), TTT 0xffffffff (unsolicited).
  data_out_builder() : builder(opcode::data_out) {
    final_bit(true);
    target_transfer_tag(reserved_tag);
  }
  data_out_builder& target_transfer_tag(std::uint32_t v) {
    return set_u32(data_out_offset::target_transfer_tag, v);
  }
  data_out_builder& exp_stat_sn(std::uint32_t v) {
    return set_u32(data_out_offset::exp_stat_sn, v);
  }
  data_out_builder& data_sn(std::uint32_t v) { return set_u32(data_out_offset::data_sn, v); }
  data_out_builder& buffer_offset(std::uint32_t v) {
    return set_u32(data_out_offset::buffer_offset, v);
  }
};

}  // namespace touchstone::pdu
