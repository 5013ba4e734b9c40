// iSCSI TransportIDs for READ FULL STATUS and REGISTER AND MOVE. scsi/ knows
// no transport: the initiator port name is the string the transport put in
// the nexus, for iSCSI "<iSCSI name>,i,0x<ISID>" (rfc7143#section-4.4.2).
#include <string_view>

#include "pr_state.hpp"

namespace touchstone::scsi::pr {
namespace {

//= spc4#7.6.1
//# PROTOCOL IDENTIFIER 5h: Internet SCSI (iSCSI)
constexpr std::uint8_t iscsi_protocol = 0x5;
//= spc4#7.6.4.6
//# FORMAT CODE 00b: the iSCSI name of the initiator device; 01b: the initiator
//# port (iSCSI name, SEPARATOR ",i,0x", ISID in hexadecimal)
constexpr std::uint8_t format_device = 0x0;
constexpr std::uint8_t format_port = 0x1;
constexpr std::string_view separator = ",i,0x";
constexpr std::size_t header_length = 4;
constexpr std::size_t min_additional_length = 20;

bool is_hex(std::string_view s) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace

byte_buffer transport_id_of(const std::string& initiator_port) {
  const std::size_t sep = initiator_port.rfind(separator);
  const bool has_isid = sep != std::string::npos && sep > 0;
  //= spc4#7.6.4.6
  //# the text is NUL terminated and padded with NULs so that ADDITIONAL LENGTH
  //# is a multiple of four and at least 20
  std::size_t additional = initiator_port.size() + 1;
  additional = (additional + 3) / 4 * 4;
  if (additional < min_additional_length) additional = min_additional_length;
  byte_buffer b(header_length + additional, 0);
  const std::uint8_t format = has_isid ? format_port : format_device;
  b[0] = static_cast<std::uint8_t>((format << 6) | iscsi_protocol);
  put_be16(&b[2], static_cast<std::uint16_t>(additional));
  std::copy(initiator_port.begin(), initiator_port.end(), b.begin() + header_length);
  return b;
}

result<parsed_transport_id, transport_id_error> parse_transport_id(bytes_view b) {
  if (b.size() < header_length) return fail(transport_id_error::truncated);
  if ((b[0] & 0x0F) != iscsi_protocol) return fail(transport_id_error::protocol);
  //= spc4#7.6.4.6
  //# REGISTER AND MOVE names an I_T nexus, so it needs the initiator port
  //# (format 01b); the device-wide format 00b names no single port
  if ((b[0] >> 6) != format_port) return fail(transport_id_error::format);
  const std::size_t additional = get_be16(&b[2]);
  if (header_length + additional > b.size()) return fail(transport_id_error::truncated);
  const auto* text = reinterpret_cast<const char*>(b.data() + header_length);
  const std::string_view field(text, additional);
  const std::size_t nul = field.find('\0');
  if (nul == std::string_view::npos) return fail(transport_id_error::name);
  const std::string_view port = field.substr(0, nul);
  const std::size_t sep = port.rfind(separator);
  if (sep == std::string_view::npos || sep == 0 || !is_hex(port.substr(sep + separator.size())))
    return fail(transport_id_error::name);
  return parsed_transport_id{std::string(port), header_length + additional};
}

}  // namespace touchstone::scsi::pr
