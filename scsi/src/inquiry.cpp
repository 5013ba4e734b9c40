// SPC-4 INQUIRY: the CDB, standard INQUIRY data with version descriptors,
// and the dispatch to the VPD pages (vpd_pages.cpp).
#include <algorithm>
#include <array>
#include <string_view>

#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"
#include "vpd_pages.hpp"

namespace touchstone::scsi {
namespace {

constexpr std::size_t standard_length = 96;

//= spc4#6.6.2
//# VERSION 06h: the device server claims SPC-4
constexpr std::uint8_t version_spc4 = 0x06;

//= spc4#6.6.2
//# version descriptors: SAM-5 00A0h, SPC-4 0460h, SBC-3 04C0h (no version claimed)
constexpr std::uint16_t descriptor_sam5 = 0x00A0;
constexpr std::uint16_t descriptor_spc4 = 0x0460;
constexpr std::uint16_t descriptor_sbc3 = 0x04C0;

// Left-aligned, space padded ASCII of exactly `width` bytes; anything outside
// 20h..7Eh becomes a space.
void put_ascii(std::uint8_t* at, std::string_view text, std::size_t width) {
  //= spc4#4.3.1
  //# ASCII data fields hold only 20h..7Eh, left-aligned, padded with spaces
  for (std::size_t i = 0; i < width; ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    at[i] = (c >= 0x20 && c <= 0x7E) ? static_cast<std::uint8_t>(c) : 0x20;
  }
}

std::array<std::uint16_t, 4> version_descriptors(const command_context& ctx) {
  std::array<std::uint16_t, 4> d{descriptor_sam5, descriptor_spc4, 0, 0};
  std::size_t n = 2;
  if (ctx.lu != nullptr) d[n++] = descriptor_sbc3;
  // rfc7144 section 4.2, in our words:
  // the iSCSI version descriptor is 0960h plus the negotiated iSCSIProtocolLevel
  // (the transport puts the sum in the nexus; scsi/ knows no iSCSI)
  if (ctx.nx.transport_version_descriptor != 0) d[n++] = ctx.nx.transport_version_descriptor;
  return d;
}

byte_buffer standard_data(const command_context& ctx) {
  byte_buffer b(standard_length, 0);
  b[0] = inquiry_data::peripheral_byte(ctx.lu);
  //= spc4#6.6.2
  //# RMB=0 (medium not removable); VERSION; HISUP=1 (hierarchical LUNs, byte 3
  //# bit 4); RESPONSE DATA FORMAT 2; ADDITIONAL LENGTH n-4
  b[1] = 0x00;
  b[2] = version_spc4;
  b[3] = 0x10 | 0x02;
  b[4] = static_cast<std::uint8_t>(standard_length - 5);
  //= spc4#6.6.2
  //# byte 5: SCCS, ACC, TPGS=00b (no ALUA), 3PC=0 (no third-party copy), PROTECT=0;
  //# byte 7: CMDQUE=1 (the task set manages command queuing)
  b[5] = 0x00;
  b[7] = 0x02;
  const lu_config defaults{};
  const lu_config& c = ctx.lu != nullptr ? ctx.lu->config() : defaults;
  //= spc4#6.6.2
  //# T10 VENDOR IDENTIFICATION bytes 8-15, PRODUCT IDENTIFICATION 16-31,
  //# PRODUCT REVISION LEVEL 32-35
  put_ascii(&b[8], c.vendor, 8);
  put_ascii(&b[16], c.product, 16);
  put_ascii(&b[32], c.revision, 4);
  //= spc4#6.6.2
  //# VERSION DESCRIPTOR 1..8 at bytes 58-73, unused ones zero
  auto descriptors = version_descriptors(ctx);
  for (std::size_t i = 0; i < descriptors.size(); ++i) put_be16(&b[58 + 2 * i], descriptors[i]);
  return b;
}

//= spc4#6.6.1
//# INQUIRY CDB: CMDDT (obsolete) byte 1 bit 1, EVPD byte 1 bit 0, PAGE CODE
//# byte 2, ALLOCATION LENGTH bytes 3-4
response inquiry(command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  const bool evpd = get_bit(cdb, 1, 0);
  const std::uint8_t page = cdb[2];
  const std::uint16_t allocation = get_be16(&cdb[3]);
  //= spc4#6.6.1
  //# CMDDT is obsolete (SPC-3 retired it): a one is an invalid field in the CDB
  if (get_bit(cdb, 1, 1)) return ctx.invalid_field_in_cdb(1, 1);
  if (!evpd) {
    //= spc4#6.6.1
    //# EVPD=0 with a nonzero PAGE CODE: ILLEGAL REQUEST, INVALID FIELD IN CDB
    if (page != 0) return ctx.invalid_field_in_cdb(2);
    return ctx.data_in(standard_data(ctx), allocation);
  }
  auto data = inquiry_data::build_vpd_page(ctx, page);
  //= spc4#6.6.1
  //# EVPD=1 with a page the device server does not support: INVALID FIELD IN CDB
  if (!data) return ctx.invalid_field_in_cdb(2);
  return ctx.data_in(std::move(*data), allocation);
}

}  // namespace

void register_inquiry(command_table& t) {
  //= sam5#5.14
  //# INQUIRY neither reports nor clears a unit attention, and answers on any LUN
  t.add({.opcode = 0x12,
         .name = "INQUIRY",
         .cdb_length = 6,
         .flags = cmd_flag::runs_without_lu | cmd_flag::ua_exempt | cmd_flag::data_in,
         .access = reservation_access::allowed,
         .run = inquiry,
         .usage = {0x12, 0x01, 0xFF, 0xFF, 0xFF, 0x00}});
}

}  // namespace touchstone::scsi
