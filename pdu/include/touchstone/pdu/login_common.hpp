// What Login Request and Login Response share: the T|C|.|.|CSG|NSG flags
// byte, the stage codes, the version and the ISID layout.
#pragma once

#include <cstdint>

namespace touchstone::pdu {

// rfc7143 section 11.12, in our words:
// byte 1 is T|C|.|.|CSG|NSG (and so in the Login Response, 11.13)
namespace login_flag {
inline constexpr std::uint8_t transit = 0x80;
inline constexpr std::uint8_t continue_ = 0x40;
inline constexpr std::uint8_t reserved = 0x30;
inline constexpr std::uint8_t csg = 0x0c;
inline constexpr std::uint8_t nsg = 0x03;
inline constexpr int csg_shift = 2;
}  // namespace login_flag

// rfc7143 section 11.12.3, in our words:
// 0 - SecurityNegotiation, 1 - LoginOperationalNegotiation, 3 - FullFeaturePhase;
// All other codes are reserved.
// The reserved code 2 is kept as it came: compare with raw_csg()/raw_nsg().
enum class login_stage : std::uint8_t {
  security_negotiation = 0,
  operational_negotiation = 1,
  full_feature_phase = 3,
};
inline constexpr std::uint8_t reserved_login_stage = 2;

//= rfc7143#section-11.12.4
//# The version number for this document is 0x00.
inline constexpr std::uint8_t iscsi_version = 0x00;

// rfc7143 section 11.12.5, in our words:
// ISID: T (2 bits) | A (6 bits) | B (16 bits) | C (8 bits) | D (16 bits)
enum class isid_format : std::uint8_t {
  oui = 0,                // A and B: 22-bit OUI; C and D: qualifier
  enterprise_number = 1,  // A reserved; B and C: IANA EN; D: qualifier
  random = 2,             // A reserved; B and C: random; D: qualifier
  reserved = 3,           // A, B, C and D reserved
};

// The 48-bit ISID split into its named parts.
struct isid_fields {
  isid_format t;
  std::uint8_t a;  // 6 bits
  std::uint16_t b;
  std::uint8_t c;
  std::uint16_t d;
};

constexpr isid_fields split_isid(std::uint64_t isid) {
  return {static_cast<isid_format>((isid >> 46) & 0x3),
          static_cast<std::uint8_t>((isid >> 40) & 0x3f), static_cast<std::uint16_t>(isid >> 24),
          static_cast<std::uint8_t>(isid >> 16), static_cast<std::uint16_t>(isid)};
}
constexpr std::uint64_t join_isid(isid_fields f) {
  return (std::uint64_t{static_cast<std::uint8_t>(f.t) & 0x3u} << 46) |
         (std::uint64_t{f.a & 0x3fu} << 40) | (std::uint64_t{f.b} << 24) |
         (std::uint64_t{f.c} << 16) | f.d;
}

}  // namespace touchstone::pdu
