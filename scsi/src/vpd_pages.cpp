// SPC-4/SBC-3 vital product data pages: 00h Supported VPD Pages, 80h Unit
// Serial Number, 83h Device Identification, 86h Extended INQUIRY Data,
// B0h Block Limits, B1h Block Device Characteristics, B2h Logical Block
// Provisioning.
#include <array>
#include <cstdio>
#include <string>

#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/device_server.hpp"
#include "touchstone/scsi/logical_unit.hpp"
#include "vpd_pages.hpp"

namespace touchstone::scsi::inquiry_data {
namespace {

//= spc4#7.8.1
//# VPD page header: peripheral byte, PAGE CODE byte 1, PAGE LENGTH bytes 2-3 (n-3)
byte_buffer page(const command_context& ctx, std::uint8_t code, std::size_t length) {
  byte_buffer b(length, 0);
  b[0] = peripheral_byte(ctx.lu);
  b[1] = code;
  put_be16(&b[2], static_cast<std::uint16_t>(length - 4));
  return b;
}

void finish(byte_buffer& b) { put_be16(&b[2], static_cast<std::uint16_t>(b.size() - 4)); }

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 0xCBF29CE484222325ULL) {
  for (char c : s) h = (h ^ static_cast<std::uint8_t>(c)) * 0x100000001B3ULL;
  return h;
}

std::string hex16(std::uint64_t v) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llX", static_cast<unsigned long long>(v));
  return text;
}

//= spc4#7.8.6
//# NAA 3h (locally assigned): the top nibble 3h, then 60 bits the device assigns
std::uint64_t naa_of(const logical_unit& lu) {
  const lu_config& c = lu.config();
  if (c.naa != 0) return c.naa;
  const std::uint64_t h = fnv1a(c.vendor + c.product + c.serial + "#" + std::to_string(c.lun));
  return (std::uint64_t{0x3} << 60) | (h & 0x0FFFFFFFFFFFFFFFULL);
}

std::string serial_of(const logical_unit& lu) {
  const lu_config& c = lu.config();
  return c.serial.empty() ? hex16(naa_of(lu)) : c.serial;
}

bool supports(const command_context& ctx, std::uint8_t opcode) {
  return ctx.server.commands().knows_opcode(opcode);
}

//= sbc3#4.7.3.1
//# logical block provisioning management: the store deallocates (LBPME=1)
bool thin(const command_context& ctx) { return ctx.lu->store().thin_provisioned(); }

// UNMAP (42h) is offered: LBPU=1, and the Block Limits UNMAP fields are reported.
bool unmap_offered(const command_context& ctx) { return thin(ctx) && supports(ctx, 0x42); }

byte_buffer supported_pages(const command_context& ctx) {
  //= spc4#7.8 (Supported VPD Pages)
  //# Supported VPD Pages: the page codes in ascending order, 00h first
  auto pages = vpd_pages(ctx.lu);
  byte_buffer b = page(ctx, 0x00, 4);
  for (const auto& p : pages) b.push_back(p.code);
  finish(b);
  return b;
}

byte_buffer unit_serial_number(const command_context& ctx) {
  //= spc4#7.8 (Unit Serial Number)
  //# Unit Serial Number: PRODUCT SERIAL NUMBER, ASCII, right after the header
  const std::string serial = serial_of(*ctx.lu);
  byte_buffer b = page(ctx, 0x80, 4);
  b.insert(b.end(), serial.begin(), serial.end());
  finish(b);
  return b;
}

//= spc4#7.8.6.1
//# designation descriptor: PROTOCOL IDENTIFIER/CODE SET, PIV/ASSOCIATION/
//# DESIGNATOR TYPE, reserved, DESIGNATOR LENGTH, DESIGNATOR
enum class code_set : std::uint8_t { binary = 1, ascii = 2, utf8 = 3 };
enum class association : std::uint8_t { logical_unit = 0, target_port = 1, target_device = 2 };
enum class designator : std::uint8_t {
  t10_vendor = 1,
  naa = 3,
  relative_target_port = 4,
  target_port_group = 5,
  scsi_name_string = 8,
};

void add_designator(byte_buffer& b, code_set cs, association a, designator d, bytes_view value) {
  //= spc4#7.8.6.1
  //# PIV=0: the PROTOCOL IDENTIFIER is reserved (scsi/ names no transport)
  b.push_back(static_cast<std::uint8_t>(cs));
  b.push_back(static_cast<std::uint8_t>((static_cast<unsigned>(a) << 4) | static_cast<unsigned>(d)));
  b.push_back(0);
  b.push_back(static_cast<std::uint8_t>(value.size()));
  b.insert(b.end(), value.begin(), value.end());
}

//= spc4#7.8.6
//# SCSI name string: UTF-8, null terminated, null padded to a multiple of four bytes
byte_buffer name_string(std::string_view name) {
  byte_buffer v(name.begin(), name.end());
  v.push_back(0);
  while (v.size() % 4 != 0) v.push_back(0);
  if (v.size() > 252) v.resize(252), v.back() = 0;
  return v;
}

byte_buffer device_identification(const command_context& ctx) {
  byte_buffer b = page(ctx, 0x83, 4);
  const lu_config& c = ctx.lu->config();
  const std::uint64_t naa = naa_of(*ctx.lu);
  //= spc4#7.8.6
  //# NAA designator (8 bytes), logical unit association
  std::uint8_t naa_bytes[8];
  put_be64(naa_bytes, naa);
  add_designator(b, code_set::binary, association::logical_unit, designator::naa, naa_bytes);
  //= spc4#7.8.6
  //# T10 vendor ID designator: T10 VENDOR IDENTIFICATION (8 bytes) + vendor specific
  std::string t10(8, ' ');
  for (std::size_t i = 0; i < c.vendor.size() && i < 8; ++i) t10[i] = c.vendor[i];
  t10 += c.product + ":" + serial_of(*ctx.lu);
  if (t10.size() > 200) t10.resize(200);
  add_designator(b, code_set::ascii, association::logical_unit, designator::t10_vendor,
                 bytes_view(reinterpret_cast<const std::uint8_t*>(t10.data()), t10.size()));
  //= spc4#7.8.6
  //# SCSI name string designator of the logical unit: "naa." + the NAA in hex
  add_designator(b, code_set::utf8, association::logical_unit, designator::scsi_name_string,
                 name_string("naa." + hex16(naa)));
  //= spc4#7.8.6
  //# relative target port designator: RELATIVE TARGET PORT IDENTIFIER in bytes 2-3
  std::uint8_t port[4] = {};
  put_be16(&port[2], ctx.nx.relative_target_port);
  add_designator(b, code_set::binary, association::target_port, designator::relative_target_port,
                 port);
  //= spc4#7.8.6
  //# target port group designator: TARGET PORT GROUP in bytes 2-3 (one group, 1)
  std::uint8_t group[4] = {0, 0, 0, 1};
  add_designator(b, code_set::binary, association::target_port, designator::target_port_group,
                 group);
  //= spc4#7.8.6
  //# SCSI name string designator of the target port the command came through
  if (!ctx.nx.it.target_port.empty())
    add_designator(b, code_set::utf8, association::target_port, designator::scsi_name_string,
                   name_string(ctx.nx.it.target_port));
  //= spc4#7.8.6
  //# SCSI name string designator of the SCSI target device (association 10b)
  // An iSCSI target port name is the device name + ",t,0x" + the portal
  // group tag (RFC 7143 section 4.4.2): the device name is what precedes it.
  const auto& port_name = ctx.nx.it.target_port;
  if (const auto at = port_name.rfind(",t,0x"); at != std::string::npos && at > 0)
    add_designator(b, code_set::utf8, association::target_device, designator::scsi_name_string,
                   name_string(std::string_view(port_name).substr(0, at)));
  finish(b);
  return b;
}

byte_buffer extended_inquiry(const command_context& ctx) {
  byte_buffer b = page(ctx, 0x86, 64);
  //= spc4#7.8.7
  //# byte 5: HEADSUP, ORDSUP, SIMPSUP (the task attributes the task set honours)
  b[5] = 0x04 | 0x02 | 0x01;
  //= spc4#7.8.7
  //# byte 6: V_SUP=1, a volatile write cache (WCE) that SYNCHRONIZE CACHE flushes
  b[6] = 0x01;
  //= spc4#7.8.7
  //# byte 7: LUICLR shall be one
  b[7] = 0x01;
  return b;
}

byte_buffer block_limits(const command_context& ctx) {
  const lu_config& c = ctx.lu->config();
  byte_buffer b = page(ctx, 0xB0, 64);
  //= sbc3#6.5.3
  //# WSNZ byte 4 bit 0; MAXIMUM COMPARE AND WRITE LENGTH byte 5; MAXIMUM TRANSFER
  //# LENGTH 8-11; OPTIMAL TRANSFER LENGTH 12-15
  b[4] = c.write_same_no_zero ? 0x01 : 0x00;
  b[5] = supports(ctx, 0x89) ? c.max_compare_and_write_length : 0;
  put_be32(&b[8], c.max_transfer_length);
  put_be32(&b[12], c.optimal_transfer_length);
  if (unmap_offered(ctx)) {
    //= sbc3#6.5.3
    //# MAXIMUM UNMAP LBA COUNT 20-23, MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT 24-27,
    //# OPTIMAL UNMAP GRANULARITY 28-31 (zero when UNMAP is not supported)
    put_be32(&b[20], c.max_unmap_lba_count);
    put_be32(&b[24], c.max_unmap_descriptors);
    put_be32(&b[28], c.unmap_granularity);
  }
  //= sbc3#6.5.3
  //# MAXIMUM WRITE SAME LENGTH bytes 36-43
  if (supports(ctx, 0x41) || supports(ctx, 0x93)) put_be64(&b[36], c.max_write_same_length);
  return b;
}

byte_buffer block_device_characteristics(const command_context& ctx) {
  byte_buffer b = page(ctx, 0xB1, 64);
  //= sbc3#6.5.2
  //# MEDIUM ROTATION RATE 0001h: non-rotating medium (solid state)
  put_be16(&b[4], 0x0001);
  return b;
}

byte_buffer logical_block_provisioning(const command_context& ctx) {
  byte_buffer b = page(ctx, 0xB2, 8);
  if (!thin(ctx)) return b;
  //= sbc3#6.5.4
  //# byte 5: LBPU (UNMAP) bit 7, LBPWS (WRITE SAME(16) UNMAP) bit 6, LBPWS10 bit 5,
  //# LBPRZ bit 2 (deallocated blocks read as zeros)
  if (supports(ctx, 0x42)) b[5] |= 0x80;
  if (supports(ctx, 0x93)) b[5] |= 0x40;
  if (supports(ctx, 0x41)) b[5] |= 0x20;
  b[5] |= 0x04;
  //= sbc3#6.5.4
  //# PROVISIONING TYPE 010b: thin provisioned
  b[6] = 0x02;
  return b;
}

constexpr std::array<vpd_page, 7> lu_pages = {{
    {0x00, supported_pages},
    {0x80, unit_serial_number},
    {0x83, device_identification},
    {0x86, extended_inquiry},
    {0xB0, block_limits},
    {0xB1, block_device_characteristics},
    {0xB2, logical_block_provisioning},
}};
// A LUN with no LU lists only the Supported VPD Pages page.
constexpr std::array<vpd_page, 1> no_lu_pages = {{{0x00, supported_pages}}};

}  // namespace

std::uint8_t peripheral_byte(const logical_unit* lu) {
  constexpr std::uint8_t qualifier_no_lu = 0x3 << 5;
  constexpr std::uint8_t type_direct_access = 0x00;
  constexpr std::uint8_t type_unknown = 0x1F;
  return lu != nullptr ? type_direct_access : qualifier_no_lu | type_unknown;
}

std::span<const vpd_page> vpd_pages(const logical_unit* lu) {
  if (lu == nullptr) return no_lu_pages;
  return lu_pages;
}

std::optional<byte_buffer> build_vpd_page(const command_context& ctx, std::uint8_t code) {
  for (const auto& p : vpd_pages(ctx.lu))
    if (p.code == code) return p.build(ctx);
  return std::nullopt;
}

}  // namespace touchstone::scsi::inquiry_data
