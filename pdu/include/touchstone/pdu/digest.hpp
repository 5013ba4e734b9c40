// CRC32C digests (HeaderDigest/DataDigest=CRC32C) through ISA-L.
#pragma once

#include <array>
#include <cstdint>

#include "touchstone/pdu/wire.hpp"

namespace touchstone::pdu {

inline constexpr std::size_t digest_size = 4;

// The iSCSI CRC32C of a buffer (initial register all ones, final inversion).
std::uint32_t crc32c(bytes_view bytes);
// Continue a CRC over more bytes: crc32c_extend(crc32c(a), b) == crc32c(a+b).
std::uint32_t crc32c_extend(std::uint32_t crc, bytes_view bytes);

// rfc7143 section 13.1, in our words:
// The CRC bits are mapped into the digest word (the mapping this clause gives
// puts the register's low byte first on the wire).
// RFC 7143 carries no CRC examples; RFC 3720 appendix B.4 does: 32 zero bytes
// give the wire bytes aa 36 91 8a.
std::array<std::uint8_t, digest_size> digest_bytes(std::uint32_t crc);
std::uint32_t digest_from_bytes(const std::uint8_t* p);

}  // namespace touchstone::pdu
