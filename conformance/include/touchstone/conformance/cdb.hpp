// A few CDBs the cases need (SPC-4, SBC-3), built without the scsi/ library
// so the suite stays a plain initiator.
#pragma once

#include <cstdint>
#include <optional>

#include "touchstone/pdu/wire.hpp"

namespace touchstone::conformance::cdb {

pdu::byte_buffer test_unit_ready();
pdu::byte_buffer inquiry(std::uint16_t allocation_length);
pdu::byte_buffer report_luns(std::uint32_t allocation_length);
pdu::byte_buffer read_capacity10();
pdu::byte_buffer read10(std::uint32_t lba, std::uint16_t blocks);
pdu::byte_buffer write10(std::uint32_t lba, std::uint16_t blocks);

// READ CAPACITY(10) parameter data: last LBA and block length.
struct capacity {
  std::uint32_t last_lba = 0;
  std::uint32_t block_length = 0;
};
std::optional<capacity> parse_capacity10(pdu::bytes_view data);

}  // namespace touchstone::conformance::cdb
