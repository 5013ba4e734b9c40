// Login Request (opcode 0x03): view and builder. The data segment carries
// login text; this file deals only with its bytes (pdu/text parses them).
#pragma once

#include "touchstone/pdu/builder.hpp"
#include "touchstone/pdu/login_common.hpp"

namespace touchstone::pdu {

// rfc7143 section 11.12, in our words:
// byte 1 T|C|.|.|CSG|NSG, Version-max 2, Version-min 3, ISID 8-13, TSIH 14-15,
// CID 20-21, CmdSN 24, ExpStatSN 28, bytes 22-23 and 32-47 reserved
namespace login_request_offset {
inline constexpr std::size_t flags = 1;
inline constexpr std::size_t version_max = 2;
inline constexpr std::size_t version_min = 3;
inline constexpr std::size_t isid = 8;
inline constexpr std::size_t tsih = 14;
inline constexpr std::size_t cid = 20;
inline constexpr std::size_t cmd_sn = 24;
inline constexpr std::size_t exp_stat_sn = 28;
}  // namespace login_request_offset

class login_request_view : public bhs_view {
 public:
  using bhs_view::bhs_view;
  explicit login_request_view(const pdu& p) : bhs_view(p.bhs) {}
  // The view reads p's bytes in place: a temporary PDU would leave it dangling.
  explicit login_request_view(pdu&&) = delete;
  bool transit() const { return bit(login_request_offset::flags, login_flag::transit); }
  bool continue_bit() const { return bit(login_request_offset::flags, login_flag::continue_); }
  std::uint8_t raw_csg() const {
    return (u8(login_request_offset::flags) & login_flag::csg) >> login_flag::csg_shift;
  }
  std::uint8_t raw_nsg() const { return u8(login_request_offset::flags) & login_flag::nsg; }
  login_stage csg() const { return static_cast<login_stage>(raw_csg()); }
  // Only meaningful when transit() is set (11.12.3).
  login_stage nsg() const { return static_cast<login_stage>(raw_nsg()); }
  std::uint8_t version_max() const { return u8(login_request_offset::version_max); }
  std::uint8_t version_min() const { return u8(login_request_offset::version_min); }
  std::uint64_t isid() const { return load_be48(login_request_offset::isid); }
  isid_fields isid_parts() const { return split_isid(isid()); }
  std::uint16_t tsih() const { return u16(login_request_offset::tsih); }
  std::uint16_t cid() const { return u16(login_request_offset::cid); }
  std::uint32_t cmd_sn() const { return u32(login_request_offset::cmd_sn); }
  std::uint32_t exp_stat_sn() const { return u32(login_request_offset::exp_stat_sn); }

 private:
  std::uint64_t load_be48(std::size_t off) const {
    return (std::uint64_t{u16(off)} << 32) | u32(off + 2);
  }
};

class login_request_builder : public builder<login_request_builder> {
 public:
  // Defaults: I=1 (Login Requests are immediate), versions 0x00, a first
  // SecurityNegotiation request that does not yet ask to transit.
  login_request_builder() : builder(opcode::login_request) {
    immediate(true);
    version_max(iscsi_version);
    version_min(iscsi_version);
  }
  login_request_builder& transit(bool on = true) {
    return set_bit(login_request_offset::flags, login_flag::transit, on);
  }
  login_request_builder& continue_bit(bool on = true) {
    return set_bit(login_request_offset::flags, login_flag::continue_, on);
  }
  login_request_builder& csg(login_stage s) { return raw_csg(static_cast<std::uint8_t>(s)); }
  login_request_builder& nsg(login_stage s) { return raw_nsg(static_cast<std::uint8_t>(s)); }
  login_request_builder& raw_csg(std::uint8_t v) {
    return set_bits(login_request_offset::flags, login_flag::csg,
                    static_cast<std::uint8_t>(v << login_flag::csg_shift));
  }
  login_request_builder& raw_nsg(std::uint8_t v) {
    return set_bits(login_request_offset::flags, login_flag::nsg, v);
  }
  // T=1 with the given next stage: the usual way to ask for a transition.
  login_request_builder& transit_to(login_stage next) { return transit(true).nsg(next); }
  login_request_builder& version_max(std::uint8_t v) {
    return set_u8(login_request_offset::version_max, v);
  }
  login_request_builder& version_min(std::uint8_t v) {
    return set_u8(login_request_offset::version_min, v);
  }
  login_request_builder& isid(std::uint64_t v) {
    set_u16(login_request_offset::isid, static_cast<std::uint16_t>(v >> 32));
    return set_u32(login_request_offset::isid + 2, static_cast<std::uint32_t>(v));
  }
  login_request_builder& isid(isid_fields f) { return isid(join_isid(f)); }
  login_request_builder& tsih(std::uint16_t v) { return set_u16(login_request_offset::tsih, v); }
  login_request_builder& cid(std::uint16_t v) { return set_u16(login_request_offset::cid, v); }
  login_request_builder& cmd_sn(std::uint32_t v) {
    return set_u32(login_request_offset::cmd_sn, v);
  }
  login_request_builder& exp_stat_sn(std::uint32_t v) {
    return set_u32(login_request_offset::exp_stat_sn, v);
  }
};

}  // namespace touchstone::pdu
