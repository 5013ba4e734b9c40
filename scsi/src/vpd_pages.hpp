// INQUIRY data builders shared by inquiry.cpp (standard data, CDB checks)
// and vpd_pages.cpp (the EVPD pages). Private to scsi/src.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "touchstone/scsi/command.hpp"

namespace touchstone::scsi::inquiry_data {

//= spc4#6.6.2
//# PERIPHERAL QUALIFIER 000b + type 00h (direct access block device) for an
//# LU; 011b + 1Fh for a LUN the device server cannot support an LU on
std::uint8_t peripheral_byte(const logical_unit* lu);

// A VPD page: its code and a builder (null when the LUN has no LU).
struct vpd_page {
  std::uint8_t code;
  byte_buffer (*build)(const command_context&);
};

// The pages this LU supports, in ascending page code order.
std::span<const vpd_page> vpd_pages(const logical_unit* lu);
std::optional<byte_buffer> build_vpd_page(const command_context& ctx, std::uint8_t code);

}  // namespace touchstone::scsi::inquiry_data
