// CDB builders for the few SCSI commands the cases send.
#include "touchstone/conformance/cdb.hpp"

namespace touchstone::conformance::cdb {

pdu::byte_buffer test_unit_ready() { return pdu::byte_buffer(6, 0); }

pdu::byte_buffer inquiry(std::uint16_t allocation_length) {
  pdu::byte_buffer c(6, 0);
  c[0] = 0x12;
  pdu::store_be16(&c[3], allocation_length);
  return c;
}

pdu::byte_buffer report_luns(std::uint32_t allocation_length) {
  pdu::byte_buffer c(12, 0);
  c[0] = 0xa0;
  pdu::store_be32(&c[6], allocation_length);
  return c;
}

pdu::byte_buffer read_capacity10() {
  pdu::byte_buffer c(10, 0);
  c[0] = 0x25;
  return c;
}

namespace {
pdu::byte_buffer rw10(std::uint8_t op, std::uint32_t lba, std::uint16_t blocks) {
  pdu::byte_buffer c(10, 0);
  c[0] = op;
  pdu::store_be32(&c[2], lba);
  pdu::store_be16(&c[7], blocks);
  return c;
}
}  // namespace

pdu::byte_buffer read10(std::uint32_t lba, std::uint16_t blocks) { return rw10(0x28, lba, blocks); }
pdu::byte_buffer write10(std::uint32_t lba, std::uint16_t blocks) { return rw10(0x2a, lba, blocks); }

std::optional<capacity> parse_capacity10(pdu::bytes_view data) {
  if (data.size() < 8) return std::nullopt;
  return capacity{pdu::load_be32(data.data()), pdu::load_be32(data.data() + 4)};
}

}  // namespace touchstone::conformance::cdb
