// AHS parsing and building: every length is checked against the bytes
// present before anything is read.
#include "touchstone/pdu/ahs.hpp"

#include <algorithm>

namespace touchstone::pdu {
namespace {

// Reads the segment that starts at offset, or says why it cannot.
result<ahs_segment, ahs_error> parse_one(bytes_view ahs, std::size_t offset) {
  const std::size_t left = ahs.size() - offset;
  if (left < ahs_offset::body) return fail(ahs_error::truncated_header);
  const std::uint8_t* p = ahs.data() + offset;

  ahs_segment s;
  s.offset = offset;
  //= rfc7143#section-11.2.2.2
  //# the effective length in bytes of the AHS, excluding AHSType and AHSLength and padding
  s.length = load_be16(p + ahs_offset::length);
  s.raw_type = p[ahs_offset::type];
  s.specific = p[ahs_offset::specific];
  // Byte 3 is part of every AHS format, so it is counted by any real AHSLength.
  if (s.length == 0) return fail(ahs_error::empty_segment);

  const std::size_t effective = ahs_fixed_header + s.length;
  if (effective > left) return fail(ahs_error::length_beyond_buffer);
  //= rfc7143#section-11.2.2.2
  //# The AHS is padded to the smallest integer number of 4-byte words
  const std::size_t padded = padded_length(effective);
  if (padded > left) return fail(ahs_error::missing_padding);

  s.body = ahs.subspan(offset + ahs_offset::body, s.length - 1u);
  s.padding = ahs.subspan(offset + effective, padded - effective);
  return s;
}

}  // namespace

std::string_view name(ahs_error e) {
  switch (e) {
    case ahs_error::truncated_header: return "truncated AHS header";
    case ahs_error::empty_segment: return "AHSLength is 0";
    case ahs_error::length_beyond_buffer: return "AHSLength beyond the AHS bytes";
    case ahs_error::missing_padding: return "AHS padding beyond the AHS bytes";
    case ahs_error::wrong_length_for_type: return "AHSLength invalid for its AHSType";
  }
  return "unknown AHS error";
}

result<std::vector<ahs_segment>, ahs_error> parse_ahs(bytes_view ahs) {
  std::vector<ahs_segment> segments;
  std::size_t offset = 0;
  while (offset < ahs.size()) {
    auto s = parse_one(ahs, offset);
    if (!s) return fail(s.error());
    offset += s->padded_size();
    segments.push_back(*s);
  }
  return segments;
}

std::optional<ahs_segment> find_ahs(std::span<const ahs_segment> segments, ahs_type type) {
  const auto it = std::find_if(segments.begin(), segments.end(),
                               [type](const ahs_segment& s) { return s.type() == type; });
  if (it == segments.end()) return std::nullopt;
  return *it;
}

byte_buffer make_ahs(std::uint8_t raw_type, std::uint8_t specific, bytes_view body,
                     std::optional<std::uint16_t> length_override) {
  const std::size_t effective = ahs_fixed_header + 1 + body.size();
  byte_buffer out(padded_length(effective), 0);
  store_be16(&out[ahs_offset::length],
             length_override.value_or(static_cast<std::uint16_t>(1 + body.size())));
  out[ahs_offset::type] = raw_type;
  out[ahs_offset::specific] = specific;
  std::copy(body.begin(), body.end(), out.begin() + ahs_offset::body);
  return out;
}

byte_buffer make_extended_cdb_ahs(bytes_view spillover) {
  //= rfc7143#section-11.2.2.3
  //# The length includes the reserved byte 3.
  // AHSLength = spillover + 1 = (16 + spillover) - 15 = CDBLength - 15.
  return make_ahs(static_cast<std::uint8_t>(ahs_type::extended_cdb), 0, spillover);
}

byte_buffer make_bidirectional_read_length_ahs(std::uint32_t length) {
  std::uint8_t body[4];
  store_be32(body, length);
  return make_ahs(static_cast<std::uint8_t>(ahs_type::bidirectional_read_length), 0, body);
}

result<bytes_view, ahs_error> extended_cdb_spillover(const ahs_segment& s) {
  //= rfc7143#section-11.2.2.3
  //# This type of AHS MUST NOT be used if the CDBLength is less than 17.
  if (s.length < 2) return fail(ahs_error::wrong_length_for_type);
  return s.body;
}

result<std::uint32_t, ahs_error> bidirectional_read_length(const ahs_segment& s) {
  if (s.length != bidirectional_read_length_ahs_length)
    return fail(ahs_error::wrong_length_for_type);
  return load_be32(s.body.data());
}

}  // namespace touchstone::pdu
