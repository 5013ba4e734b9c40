#include <algorithm>

#include "touchstone/pdu/digest.hpp"
#include "touchstone/pdu/pdu.hpp"

namespace touchstone::pdu {

std::size_t encoded_size(const pdu& p, digest_config digests) {
  std::size_t n = bhs_size + p.ahs.size();
  if (digests.header) n += digest_size;
  if (!p.data.empty()) {
    n += padded_length(p.data.size());
    if (digests.data) n += digest_size;
  }
  return n;
}

void encode_into(const pdu& p, digest_config digests, byte_buffer& out) {
  // Grown geometrically: the target's outbox appends every PDU of a command
  // to one buffer (a 32 MiB read at MaxRecvDataSegmentLength 512 is 65,536
  // Data-In PDUs), and an exact reserve per PDU copied the buffer each time.
  const std::size_t need = out.size() + encoded_size(p, digests);
  if (need > out.capacity()) out.reserve(std::max(need, 2 * out.capacity()));
  const std::size_t header_start = out.size();
  out.insert(out.end(), p.bhs.begin(), p.bhs.end());
  out.insert(out.end(), p.ahs.begin(), p.ahs.end());
  //= rfc7143#section-11.2.3
  //# The digests ... cover, respectively, the header and the PDU data, each including the padding bytes
  if (digests.header) {
    const auto crc = crc32c(bytes_view{out}.subspan(header_start));
    const auto d = digest_bytes(crc);
    out.insert(out.end(), d.begin(), d.end());
  }
  //= rfc7143#section-11.2.3
  //# A zero-length Data Segment also implies a zero-length Data-Digest.
  if (p.data.empty()) return;
  const std::size_t data_start = out.size();
  out.insert(out.end(), p.data.begin(), p.data.end());
  //= rfc7143#section-11.1
  //# The padding bytes SHOULD be sent as 0.
  const std::size_t pad = padding_of(p.data.size());
  out.insert(out.end(), p.padding.begin(), p.padding.begin() + static_cast<std::ptrdiff_t>(pad));
  //= rfc7143#section-13.1
  //# Padding bytes, when present in a segment covered by a CRC, ... are included in the CRC.
  if (digests.data) {
    const auto d = digest_bytes(crc32c(bytes_view{out}.subspan(data_start)));
    out.insert(out.end(), d.begin(), d.end());
  }
}

byte_buffer encode(const pdu& p, digest_config digests) {
  byte_buffer out;
  encode_into(p, digests, out);
  return out;
}

}  // namespace touchstone::pdu
