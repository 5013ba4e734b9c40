#include "touchstone/pdu/digest.hpp"

#include <isa-l/crc.h>

namespace touchstone::pdu {

// ISA-L's crc32_iscsi works on the raw register: no pre- or post-inversion.
//= rfc7143#section-13.1
//# The following table lists cyclic integrity checksums that can be negotiated
//# for the digests and MUST be implemented by every iSCSI initiator and target.
//= rfc7143#section-13.1
//# The CRC MUST be calculated by a method that produces the same results as the
//# following process:
std::uint32_t crc32c_extend(std::uint32_t crc, bytes_view bytes) {
  if (bytes.empty()) return crc;
  // crc32_iscsi takes a non-const pointer but does not write through it.
  auto* p = const_cast<unsigned char*>(bytes.data());
  return ~crc32_iscsi(p, static_cast<int>(bytes.size()), ~crc);
}

std::uint32_t crc32c(bytes_view bytes) { return crc32c_extend(0, bytes); }

std::array<std::uint8_t, digest_size> digest_bytes(std::uint32_t crc) {
  return {static_cast<std::uint8_t>(crc), static_cast<std::uint8_t>(crc >> 8),
          static_cast<std::uint8_t>(crc >> 16), static_cast<std::uint8_t>(crc >> 24)};
}

std::uint32_t digest_from_bytes(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}

}  // namespace touchstone::pdu
