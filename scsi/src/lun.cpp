// The 8-byte SAM LUN structure <-> plain LUN numbers.
#include "touchstone/scsi/nexus.hpp"

namespace touchstone::scsi {

//= sam5#4.7.7 table 11
//# address method 00b peripheral device (bus 0), 01b flat space (14 bits)
std::uint64_t encode_lun(lun_t lun) {
  if (lun < 256) return lun << 48;
  return (std::uint64_t{0x4000} | (lun & 0x3FFF)) << 48;
}

lun_t decode_lun(std::uint64_t sam_lun) {
  const auto first = static_cast<std::uint16_t>(sam_lun >> 48);
  //= sam5#4.7.1
  //# single level LUN structure: the second to fourth levels are zero
  if ((sam_lun & 0x0000FFFFFFFFFFFFULL) != 0) return invalid_lun;
  switch (first >> 14) {
    case 0:  // peripheral device addressing; bus identifier must be 0
      return (first & 0x3F00) == 0 ? lun_t{first & 0xFFU} : invalid_lun;
    case 1:  // flat space addressing
      return first & 0x3FFFU;
    default:
      return invalid_lun;
  }
}

}  // namespace touchstone::scsi
