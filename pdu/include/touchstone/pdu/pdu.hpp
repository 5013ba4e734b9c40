// An owning iSCSI PDU as it travels: BHS, raw AHS bytes, data segment, and the
// padding bytes as received (so a decoded PDU re-encodes to the same bytes).
#pragma once

#include <array>
#include <cstdint>

#include "touchstone/pdu/bhs.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::pdu {

struct pdu {
  //= rfc7143#section-11
  //# Any compliant sender MUST set all bits not defined and all reserved fields
  //# to 0, unless specified otherwise.
  // Zeroed: a builder sets only the fields it names, so every reserved
  // field and undefined bit of what the target and the engine send is 0.
  bhs_bytes bhs{};
  byte_buffer ahs;   // all AHS segments, exactly TotalAHSLength*4 bytes when decoded
  byte_buffer data;  // the data segment without padding
  std::array<std::uint8_t, 3> padding{};  // pad bytes as sent (SHOULD be zero)

  bhs_view header() const { return bhs_view{bhs}; }
  opcode op() const { return header().op(); }
  friend bool operator==(const pdu&, const pdu&) = default;
};

// The digests negotiated for a connection.
struct digest_config {
  bool header = false;  // HeaderDigest=CRC32C
  bool data = false;    // DataDigest=CRC32C
  friend bool operator==(const digest_config&, const digest_config&) = default;
};

// Serialises a PDU exactly as given: the BHS length fields are NOT rewritten,
// so builders can emit inconsistent lengths on purpose. Digests are computed.
byte_buffer encode(const pdu& p, digest_config digests = {});
// Appends to out instead of allocating.
void encode_into(const pdu& p, digest_config digests, byte_buffer& out);
// The number of bytes encode() produces.
std::size_t encoded_size(const pdu& p, digest_config digests);

}  // namespace touchstone::pdu
