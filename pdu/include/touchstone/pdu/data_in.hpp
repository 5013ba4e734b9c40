// SCSI Data-In (opcode 0x25): view and builder.
#pragma once

#include "touchstone/pdu/scsi_response.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.7, in our words:
// Data-In: Status at 3, TTT 20, StatSN 24, ExpCmdSN 28, MaxCmdSN 32,
// DataSN 36, Buffer Offset 40, Residual Count 44
namespace data_in_offset {
inline constexpr std::size_t flags = 1;
inline constexpr std::size_t status = 3;
inline constexpr std::size_t target_transfer_tag = 20;
inline constexpr std::size_t stat_sn = 24;
inline constexpr std::size_t exp_cmd_sn = 28;
inline constexpr std::size_t max_cmd_sn = 32;
inline constexpr std::size_t data_sn = 36;
inline constexpr std::size_t buffer_offset = 40;
inline constexpr std::size_t residual_count = 44;
}  // namespace data_in_offset

// rfc7143 section 11.7, in our words:
// |F|A|0 0 0|O|U|S| : O and U as in SCSI Response (residual_flag), S last
namespace data_in_flag {
inline constexpr std::uint8_t acknowledge = 0x40;
inline constexpr std::uint8_t reserved = 0x38;
inline constexpr std::uint8_t status = 0x01;
}  // namespace data_in_flag

class data_in_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit data_in_view(const pdu& p) : bhs_view(p.bhs) {}
  explicit data_in_view(pdu&&) = delete;  // a view of a temporary would dangle
  bool acknowledge() const { return bit(data_in_offset::flags, data_in_flag::acknowledge); }
  bool residual_overflow() const { return bit(data_in_offset::flags, residual_flag::overflow); }
  bool residual_underflow() const { return bit(data_in_offset::flags, residual_flag::underflow); }
  bool has_status() const { return bit(data_in_offset::flags, data_in_flag::status); }
  std::uint8_t raw_status() const { return u8(data_in_offset::status); }
  scsi_status status() const { return static_cast<scsi_status>(raw_status()); }
  std::uint32_t target_transfer_tag() const { return u32(data_in_offset::target_transfer_tag); }
  std::uint32_t stat_sn() const { return u32(data_in_offset::stat_sn); }
  std::uint32_t exp_cmd_sn() const { return u32(data_in_offset::exp_cmd_sn); }
  std::uint32_t max_cmd_sn() const { return u32(data_in_offset::max_cmd_sn); }
  std::uint32_t data_sn() const { return u32(data_in_offset::data_sn); }
  std::uint32_t buffer_offset() const { return u32(data_in_offset::buffer_offset); }
  std::uint32_t residual_count() const { return u32(data_in_offset::residual_count); }
};

class data_in_builder : public builder<data_in_builder> {
 public:
  // Defaults: a middle PDU of a sequence (F=0, no status), TTT 0xffffffff
  // because no acknowledgement is requested (11.7.4).
  data_in_builder() : builder(opcode::data_in) { target_transfer_tag(reserved_tag); }

  data_in_builder& acknowledge(bool on = true) { return flag(data_in_flag::acknowledge, on); }
  data_in_builder& residual_overflow(bool on = true) { return flag(residual_flag::overflow, on); }
  data_in_builder& residual_underflow(bool on = true) { return flag(residual_flag::underflow, on); }
  data_in_builder& has_status(bool on = true) { return flag(data_in_flag::status, on); }
  data_in_builder& status(scsi_status s) { return raw_status(static_cast<std::uint8_t>(s)); }
  data_in_builder& raw_status(std::uint8_t v) { return set_u8(data_in_offset::status, v); }
  data_in_builder& target_transfer_tag(std::uint32_t v) {
    return set_u32(data_in_offset::target_transfer_tag, v);
  }
  data_in_builder& stat_sn(std::uint32_t v) { return set_u32(data_in_offset::stat_sn, v); }
  data_in_builder& exp_cmd_sn(std::uint32_t v) { return set_u32(data_in_offset::exp_cmd_sn, v); }
  data_in_builder& max_cmd_sn(std::uint32_t v) { return set_u32(data_in_offset::max_cmd_sn, v); }
  data_in_builder& data_sn(std::uint32_t v) { return set_u32(data_in_offset::data_sn, v); }
  data_in_builder& buffer_offset(std::uint32_t v) {
    return set_u32(data_in_offset::buffer_offset, v);
  }
  data_in_builder& residual_count(std::uint32_t v) {
    return set_u32(data_in_offset::residual_count, v);
  }

 private:
  data_in_builder& flag(std::uint8_t mask, bool on) {
    return set_bit(data_in_offset::flags, mask, on);
  }
};

}  // namespace touchstone::pdu
