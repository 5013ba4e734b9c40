// The digest mutants (mutant_wire.hpp). Each names the rule it breaks.
#include "mutant_wire.hpp"

#include <algorithm>

#include "touchstone/pdu/digest.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::target {

namespace {

void append(pdu::byte_buffer& out, pdu::bytes_view bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

// The header digest as the encoder would compute it (BHS, then AHS).
std::array<std::uint8_t, pdu::digest_size> header_digest(const pdu::pdu& p) {
  return pdu::digest_bytes(pdu::crc32c_extend(pdu::crc32c(p.bhs), p.ahs));
}

// The data segment followed by its padding and `digest`, as one segment the
// encoder writes whole (its size is a multiple of 4: no padding added).
void append_data_digest(pdu::pdu& p, std::array<std::uint8_t, pdu::digest_size> digest) {
  append(p.data, pdu::bytes_view(p.padding.data(), pdu::padding_of(p.data.size())));
  append(p.data, digest);
}

//= rfc7143#section-13.1
//# The CRC MUST be calculated by a method that produces the same results
//# as the following process:
// (the x**31 coefficient in bit 7 of the digest's lowest numbered byte).
// Mutant digest-byte-order-swapped breaks it: both digests byte-reversed.
void swap_digests(pdu::pdu& p, pdu::digest_config& d) {
  if (d.header) {
    auto digest = header_digest(p);
    std::reverse(digest.begin(), digest.end());
    append(p.ahs, digest);
    d.header = false;
  }
  if (d.data && !p.data.empty()) {
    const pdu::bytes_view pad(p.padding.data(), pdu::padding_of(p.data.size()));
    auto digest = pdu::digest_bytes(pdu::crc32c_extend(pdu::crc32c(p.data), pad));
    std::reverse(digest.begin(), digest.end());
    append_data_digest(p, digest);
    d.data = false;
  }
}

}  // namespace

void mutate_digests([[maybe_unused]] const mutant_set& set, [[maybe_unused]] pdu::pdu& p,
                    [[maybe_unused]] pdu::digest_config& d, [[maybe_unused]] bool full_feature) {
  if (mutated(set, m::digest_byte_order_swapped)) swap_digests(p, d);
  //= rfc7143#section-11.2.3
  //# The digests, if present, are located,
  //# respectively, after the header and PDU-specific data and cover,
  //# respectively, the header and the PDU data, each including the padding
  //# bytes, if any.
  // Mutant data-digest-excludes-padding breaks it: the data digest covers
  // the data alone.
  if (mutated(set, m::data_digest_excludes_padding) && d.data && pdu::padding_of(p.data.size()) != 0) {
    append_data_digest(p, pdu::digest_bytes(pdu::crc32c(p.data)));
    d.data = false;
  }
  //= rfc7143#section-11.2.3
  //# A zero-length Data Segment also implies a zero-length Data-Digest.
  // Mutant data-digest-on-empty-segment breaks it: 4 digest bytes follow
  // the header of a PDU without data.
  if (mutated(set, m::data_digest_on_empty_segment) && d.data && p.data.empty()) {
    append(p.data, pdu::digest_bytes(pdu::crc32c({})));
    d.data = false;
  }
  //= rfc7143#section-13.1
  //# Default is None for both HeaderDigest and DataDigest.
  // Mutant header-digest-without-negotiation breaks it: with HeaderDigest
  // None, the Full Feature Phase PDUs carry a CRC32C header digest anyway.
  if (mutated(set, m::header_digest_without_negotiation) && full_feature && !d.header)
    append(p.ahs, header_digest(p));
}

}  // namespace touchstone::target
