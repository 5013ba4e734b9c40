// PERSISTENT RESERVE IN/OUT CDBs, parameter lists and PR IN parsers. Every
// length read from the parameter data is checked against what arrived.
#include "touchstone/conformance/pr_cdb.hpp"

#include <cstdio>

namespace touchstone::conformance::cdb {
namespace {

constexpr std::size_t header_length = 8;  // PRGENERATION + ADDITIONAL LENGTH

// The descriptors' bytes after the 8-byte header, cut to what arrived: the
// ADDITIONAL LENGTH may exceed the allocation length (spc4#6.15.1).
pdu::bytes_view body_of(pdu::bytes_view data) {
  const std::size_t additional = pdu::load_be32(data.data() + 4);
  const std::size_t available = data.size() - header_length;
  return data.subspan(header_length, additional < available ? additional : available);
}

}  // namespace

const char* name(pr_type t) {
  switch (t) {
    case pr_type::none: return "none";
    case pr_type::write_exclusive: return "Write Exclusive";
    case pr_type::exclusive_access: return "Exclusive Access";
    case pr_type::write_exclusive_registrants_only: return "Write Exclusive - Registrants Only";
    case pr_type::exclusive_access_registrants_only: return "Exclusive Access - Registrants Only";
    case pr_type::write_exclusive_all_registrants: return "Write Exclusive - All Registrants";
    case pr_type::exclusive_access_all_registrants: return "Exclusive Access - All Registrants";
  }
  return "unknown type";
}

//= spc4#6.15.1
//# PERSISTENT RESERVE IN: SERVICE ACTION in byte 1, ALLOCATION LENGTH in bytes 7-8
pdu::byte_buffer pr_in(pr_in_action action, std::uint16_t allocation_length) {
  pdu::byte_buffer c(10, 0);
  c[0] = 0x5e;
  c[1] = static_cast<std::uint8_t>(action) & 0x1f;
  pdu::store_be16(&c[7], allocation_length);
  return c;
}

//= spc4#6.16.1
//# PERSISTENT RESERVE OUT: SERVICE ACTION in byte 1, SCOPE and TYPE in byte 2,
//# PARAMETER LIST LENGTH in bytes 5-8
pdu::byte_buffer pr_out(pr_out_action action, pr_type type, std::uint32_t parameter_list_length) {
  pdu::byte_buffer c(10, 0);
  c[0] = 0x5f;
  c[1] = static_cast<std::uint8_t>(action) & 0x1f;
  c[2] = static_cast<std::uint8_t>(type) & 0x0f;  // SCOPE 0h: LU_SCOPE
  pdu::store_be32(&c[5], parameter_list_length);
  return c;
}

//= spc4#6.16.4
//# RESERVATION KEY (0-7), SERVICE ACTION RESERVATION KEY (8-15), SPEC_I_PT,
//# ALL_TG_PT and APTPL in byte 20
pdu::byte_buffer pr_out_list(const pr_out_parameters& p) {
  pdu::byte_buffer b(24, 0);
  pdu::store_be64(&b[0], p.key);
  pdu::store_be64(&b[8], p.service_action_key);
  b[20] = static_cast<std::uint8_t>((p.spec_i_pt ? 0x08 : 0) | (p.all_tg_pt ? 0x04 : 0) | (p.aptpl ? 0x01 : 0));
  return b;
}

//= spc4#7.6.4.6
//# iSCSI TransportID, FORMAT CODE 01b: the iSCSI initiator port name
//# (name, ",i,0x", ISID), null-terminated, a multiple of four bytes
//= rfc7143#section-4.4.2
//# When used in SCSI parameter data, the SCSI port name MUST be encoded as: 1) the iSCSI name in
//# UTF-8 format, followed by 2) a comma separator (1 byte), followed by 3) the ASCII character 'i'
//# (for SCSI initiator port)
pdu::byte_buffer iscsi_transport_id(const std::string& initiator_name, std::uint64_t isid) {
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, ",i,0x%012llx", static_cast<unsigned long long>(isid & 0xffff'ffff'ffffULL));
  const std::string port = initiator_name + suffix;
  const std::size_t name_length = pdu::padded_length(port.size() + 1);
  pdu::byte_buffer b(4 + name_length, 0);
  b[0] = 0x40 | 0x05;  // FORMAT CODE 01b, PROTOCOL IDENTIFIER 5h (iSCSI)
  pdu::store_be16(&b[2], static_cast<std::uint16_t>(name_length));
  for (std::size_t i = 0; i < port.size(); ++i) b[4 + i] = static_cast<std::uint8_t>(port[i]);
  return b;
}

//= spc4#6.16.5
//# REGISTER AND MOVE: keys (0-15), UNREG and APTPL in byte 17, RELATIVE
//# TARGET PORT IDENTIFIER (18-19), TRANSPORTID PARAMETER DATA LENGTH (20-23)
pdu::byte_buffer register_and_move_list(const register_and_move_parameters& p) {
  pdu::byte_buffer b(24, 0);
  pdu::store_be64(&b[0], p.key);
  pdu::store_be64(&b[8], p.service_action_key);
  b[17] = static_cast<std::uint8_t>((p.unreg ? 0x02 : 0) | (p.aptpl ? 0x01 : 0));
  pdu::store_be16(&b[18], p.relative_target_port);
  pdu::store_be32(&b[20], static_cast<std::uint32_t>(p.transport_id.size()));
  b.insert(b.end(), p.transport_id.begin(), p.transport_id.end());
  return b;
}

std::optional<pr_keys> parse_read_keys(pdu::bytes_view data) {
  if (data.size() < header_length) return std::nullopt;
  pr_keys k;
  k.generation = pdu::load_be32(data.data());
  const auto body = body_of(data);
  for (std::size_t at = 0; at + 8 <= body.size(); at += 8) k.keys.push_back(pdu::load_be64(body.data() + at));
  return k;
}

//= spc4#6.15.3
//# ADDITIONAL LENGTH 0: no persistent reservation; 10h: the reservation
//# descriptor (key 8-15, SCOPE and TYPE in byte 21)
std::optional<pr_reservation> parse_read_reservation(pdu::bytes_view data) {
  if (data.size() < header_length) return std::nullopt;
  pr_reservation r;
  r.generation = pdu::load_be32(data.data());
  if (pdu::load_be32(data.data() + 4) == 0) return r;
  if (data.size() < header_length + 16) return std::nullopt;
  r.reserved = true;
  r.key = pdu::load_be64(data.data() + 8);
  r.scope = data[21] >> 4;
  r.type = static_cast<pr_type>(data[21] & 0x0f);
  return r;
}

bool pr_capabilities::supports(pr_type t) const {
  //= spc4#6.15.4
  //# type mask: WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX in byte 4, EX_AC_AR in byte 5
  switch (t) {
    case pr_type::write_exclusive_all_registrants: return (type_mask & 0x8000) != 0;
    case pr_type::exclusive_access_registrants_only: return (type_mask & 0x4000) != 0;
    case pr_type::write_exclusive_registrants_only: return (type_mask & 0x2000) != 0;
    case pr_type::exclusive_access: return (type_mask & 0x0800) != 0;
    case pr_type::write_exclusive: return (type_mask & 0x0200) != 0;
    case pr_type::exclusive_access_all_registrants: return (type_mask & 0x0001) != 0;
    case pr_type::none: return false;
  }
  return false;
}

//= spc4#6.15.4
//# LENGTH (0-1), ATP_C/SIP_C/PTPL_C in byte 2, TMV and PTPL_A in byte 3,
//# PERSISTENT RESERVATION TYPE MASK (4-5)
std::optional<pr_capabilities> parse_report_capabilities(pdu::bytes_view data) {
  if (data.size() < 6) return std::nullopt;
  pr_capabilities c;
  c.sip_c = (data[2] & 0x08) != 0;
  c.atp_c = (data[2] & 0x04) != 0;
  c.ptpl_c = (data[2] & 0x01) != 0;
  c.tmv = (data[3] & 0x80) != 0;
  c.ptpl_a = (data[3] & 0x01) != 0;
  c.type_mask = pdu::load_be16(data.data() + 4);
  return c;
}

std::string pr_status_descriptor::port_name() const {
  if (transport_id.size() <= 4) return {};
  std::string name;
  for (std::size_t i = 4; i < transport_id.size() && transport_id[i] != 0; ++i)
    name.push_back(static_cast<char>(transport_id[i]));
  return name;
}

//= spc4#6.15.5
//# full status descriptor: key (0-7), ALL_TG_PT and R_HOLDER in byte 12, SCOPE
//# and TYPE in byte 13, RELATIVE TARGET PORT IDENTIFIER (18-19), ADDITIONAL
//# DESCRIPTOR LENGTH (20-23), TransportID
std::optional<pr_full_status> parse_read_full_status(pdu::bytes_view data) {
  if (data.size() < header_length) return std::nullopt;
  pr_full_status s;
  s.generation = pdu::load_be32(data.data());
  const auto body = body_of(data);
  std::size_t at = 0;
  while (at + 24 <= body.size()) {
    const auto* d = body.data() + at;
    pr_status_descriptor x;
    x.key = pdu::load_be64(d);
    x.all_tg_pt = (d[12] & 0x02) != 0;
    x.holder = (d[12] & 0x01) != 0;
    x.scope = d[13] >> 4;
    x.type = static_cast<pr_type>(d[13] & 0x0f);
    x.relative_target_port = pdu::load_be16(d + 18);
    const std::size_t tid = pdu::load_be32(d + 20);
    if (tid > body.size() - at - 24) return std::nullopt;  // a descriptor cut short
    x.transport_id.assign(d + 24, d + 24 + tid);
    s.descriptors.push_back(std::move(x));
    at += 24 + tid;
  }
  return s;
}

}  // namespace touchstone::conformance::cdb
