// Encoded PDUs annotated field by field for finding.json.
#include "touchstone/fuzz/annotate.hpp"

#include <algorithm>

#include "hex.hpp"
#include "touchstone/fuzz/bhs_fields.hpp"
#include "touchstone/pdu/bhs.hpp"
#include "touchstone/pdu/digest.hpp"
#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz {
namespace {

using bytes = std::span<const std::uint8_t>;

std::string opcode_label(std::uint8_t code) {
  static constexpr char digits[] = "0123456789abcdef";
  const std::string number{'0', 'x', digits[code >> 4], digits[code & 0xf]};
  return std::string(pdu::code_name(code)) + " (" + number + ")";
}

// Whether the four bytes at `at` are the CRC32C of everything before them.
bool header_digest_at(bytes b, std::size_t at) {
  if (at + pdu::digest_size > b.size()) return false;
  return pdu::digest_from_bytes(b.data() + at) == pdu::crc32c(pdu::bytes_view{b.data(), at});
}

std::vector<std::string> hex_lines(bytes b) {
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < b.size(); at += annotated_line_bytes)
    lines.push_back(hex::encode(b.subspan(at, std::min(annotated_line_bytes, b.size() - at))));
  return lines;
}

}  // namespace

annotated_pdu annotate(std::span<const std::uint8_t> encoded) {
  annotated_pdu out;
  out.size = encoded.size();
  if (encoded.size() < pdu::bhs_size) {
    out.trailing = hex::encode(encoded);
    return out;
  }
  pdu::bhs_bytes bhs{};
  std::copy_n(encoded.begin(), pdu::bhs_size, bhs.begin());
  const auto code = static_cast<std::uint8_t>(bhs[0] & pdu::opcode_mask);
  out.opcode = opcode_label(code);
  for (const auto& f : fields_of(code)) {
    const auto v = get_field(bhs, f);
    if (!f.reserved || v != 0) out.fields.push_back({f.name, v, f.width});
  }
  const std::size_t ahs =
      std::min<std::size_t>(std::size_t{bhs[4]} * 4, encoded.size() - pdu::bhs_size);
  const std::size_t data_length = pdu::load_be24(&bhs[5]);
  std::size_t at = pdu::bhs_size;
  out.ahs = hex::encode(encoded.subspan(at, ahs));
  at += ahs;
  // Both digests, only one, or none: what the bytes left over allow.
  const std::size_t rest = encoded.size() - at;
  const std::size_t padded = pdu::padded_length(data_length);
  // A data digest comes only with data: four bytes more and no data (or
  // eight more) mean a header digest, right or wrong; else its CRC tells.
  const bool header =
      rest >= padded + pdu::digest_size &&
      (rest == padded + 2 * pdu::digest_size || data_length == 0 || header_digest_at(encoded, at));
  if (header) {
    out.header_digest = hex::encode(encoded.subspan(at, pdu::digest_size));
    at += pdu::digest_size;
  }
  const std::size_t data = std::min(data_length, encoded.size() - at);
  out.data = hex_lines(encoded.subspan(at, data));
  at += data;
  const std::size_t pad = std::min(padded - data_length, encoded.size() - at);
  out.padding = hex::encode(encoded.subspan(at, pad));
  at += pad;
  if (data_length > 0 && encoded.size() - at >= pdu::digest_size) {
    out.data_digest = hex::encode(encoded.subspan(at, pdu::digest_size));
    at += pdu::digest_size;
  }
  out.trailing = hex::encode(encoded.subspan(at));
  return out;
}

}  // namespace touchstone::fuzz
