// SNACK Request (opcode 0x10): view and builder.
#pragma once

#include "touchstone/pdu/builder.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.16, in our words:
// byte 1 1|.|.|.|Type, TTT or SNACK Tag at 20, ExpStatSN at 28, BegRun at 40,
// RunLength at 44; bytes 2-3, 24-27 and 32-39 reserved
namespace snack_offset {
inline constexpr std::size_t type = 1;
inline constexpr std::size_t target_transfer_tag = 20;
inline constexpr std::size_t snack_tag = 20;
inline constexpr std::size_t exp_stat_sn = 28;
inline constexpr std::size_t beg_run = 40;
inline constexpr std::size_t run_length = 44;
}  // namespace snack_offset

inline constexpr std::uint8_t snack_type_mask = 0x0f;
inline constexpr std::uint8_t snack_reserved_flags = 0x70;

// rfc7143 section 11.16.1, in our words:
// 0 - Data/R2T SNACK, 1 - Status SNACK, 2 - DataACK, 3 - R-Data SNACK.
// All other values are reserved.
// Reserved values are kept as they came: compare with raw_type().
enum class snack_type : std::uint8_t {
  data_r2t = 0,
  status = 1,
  data_ack = 2,
  r_data = 3,
};
constexpr bool is_assigned(snack_type t) { return t <= snack_type::r_data; }

class snack_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit snack_view(const pdu& p) : bhs_view(p.bhs) {}
  // The view reads p's bytes in place: a temporary PDU would leave it dangling.
  explicit snack_view(pdu&&) = delete;
  std::uint8_t raw_type() const { return u8(snack_offset::type) & snack_type_mask; }
  snack_type type() const { return static_cast<snack_type>(raw_type()); }
  // One field, two names: the SNACK Tag of an R-Data SNACK, else the TTT.
  std::uint32_t target_transfer_tag() const { return u32(snack_offset::target_transfer_tag); }
  std::uint32_t snack_tag() const { return u32(snack_offset::snack_tag); }
  std::uint32_t exp_stat_sn() const { return u32(snack_offset::exp_stat_sn); }
  std::uint32_t beg_run() const { return u32(snack_offset::beg_run); }
  std::uint32_t run_length() const { return u32(snack_offset::run_length); }
  //= rfc7143#section-11.16
  //# When used in both BegRun and RunLength, it means all unacknowledged PDUs.
  bool requests_all_unacknowledged() const { return beg_run() == 0 && run_length() == 0; }
};

class snack_builder : public builder<snack_builder> {
 public:
  // Defaults: F=1 as the format requires; TTT 0xffffffff as every type but
  // DataACK and R-Data needs. The ITT must be set for Data/R2T and R-Data.
  explicit snack_builder(snack_type t = snack_type::data_r2t) : builder(opcode::snack) {
    final_bit(true);
    type(t);
    target_transfer_tag(reserved_tag);
  }
  snack_builder& type(snack_type t) { return raw_type(static_cast<std::uint8_t>(t)); }
  snack_builder& raw_type(std::uint8_t v) {
    return set_bits(snack_offset::type, snack_type_mask, v);
  }
  snack_builder& target_transfer_tag(std::uint32_t v) {
    return set_u32(snack_offset::target_transfer_tag, v);
  }
  snack_builder& snack_tag(std::uint32_t v) { return set_u32(snack_offset::snack_tag, v); }
  snack_builder& exp_stat_sn(std::uint32_t v) { return set_u32(snack_offset::exp_stat_sn, v); }
  snack_builder& beg_run(std::uint32_t v) { return set_u32(snack_offset::beg_run, v); }
  snack_builder& run_length(std::uint32_t v) { return set_u32(snack_offset::run_length, v); }
};

}  // namespace touchstone::pdu
