// The I_T_L nexus a command arrives on. scsi/ knows no transport: the
// transport fills the port names (for iSCSI "<iqn>,i,0x<isid>" and
// "<iqn>,t,0x<tpgt>") and the version descriptor of its protocol level.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace touchstone::scsi {

// The I_T nexus: an initiator port and a target port.
struct it_nexus {
  std::string initiator_port;
  std::string target_port;
  friend auto operator<=>(const it_nexus&, const it_nexus&) = default;
  friend bool operator==(const it_nexus&, const it_nexus&) = default;
};

// Logical unit numbers are plain numbers inside scsi/ (0..16383); see
// decode_lun/encode_lun for the 8-byte SAM LUN structure.
using lun_t = std::uint64_t;
inline constexpr lun_t invalid_lun = ~lun_t{0};

struct nexus {
  it_nexus it;
  lun_t lun = 0;
  std::uint16_t relative_target_port = 1;  // for VPD 83h, REPORT TARGET PORT GROUPS
  // The version descriptor of the transport protocol at its negotiated level
  // (for iSCSI 0960h + iSCSIProtocolLevel, rfc7144#section-4.2); 0 = none.
  std::uint16_t transport_version_descriptor = 0;
};

//= sam5#4.7.7 table 11
//# peripheral device addressing (00b) for LUN < 256, flat space (01b) up to 16383
std::uint64_t encode_lun(lun_t lun);
// invalid_lun for an address method or extended form this server never reports.
lun_t decode_lun(std::uint64_t sam_lun);

}  // namespace touchstone::scsi
