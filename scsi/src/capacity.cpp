// SBC-3 READ CAPACITY(10) and READ CAPACITY(16) (SERVICE ACTION IN(16) 9Eh/10h).
#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"

namespace touchstone::scsi {
namespace {

//= sbc3#5.15.1
//# PMI=0 with a nonzero LOGICAL BLOCK ADDRESS: ILLEGAL REQUEST, INVALID FIELD IN CDB
std::optional<response> check_pmi(const command_context& ctx, bool pmi, std::uint64_t lba,
                                  std::uint16_t lba_byte) {
  if (!pmi && lba != 0) return ctx.invalid_field_in_cdb(lba_byte);
  return std::nullopt;
}

response read_capacity_10(command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  if (auto failed = check_pmi(ctx, get_bit(cdb, 8, 0), get_be32(&cdb[2]), 2)) return *failed;
  const std::uint64_t count = ctx.lu->block_count();
  const std::uint64_t last = count == 0 ? 0 : count - 1;
  byte_buffer data(8, 0);
  //= sbc3#5.15.2 table 65
  //# RETURNED LOGICAL BLOCK ADDRESS: the last LBA, or FFFFFFFFh if it does not fit;
  //# LOGICAL BLOCK LENGTH IN BYTES
  put_be32(&data[0], last > 0xFFFFFFFEULL ? 0xFFFFFFFFU : static_cast<std::uint32_t>(last));
  put_be32(&data[4], ctx.lu->block_size());
  return ctx.data_in(std::move(data), 8);
}

response read_capacity_16(command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  if (auto failed = check_pmi(ctx, get_bit(cdb, 14, 0), get_be64(&cdb[2]), 2)) return *failed;
  const std::uint32_t allocation = get_be32(&cdb[10]);
  byte_buffer data(32, 0);
  //= sbc3#5.16.2 table 67
  //# RETURNED LOGICAL BLOCK ADDRESS (8 bytes), LOGICAL BLOCK LENGTH IN BYTES,
  //# PROT_EN=0, LBPME byte 14 bit 7, LBPRZ byte 14 bit 6
  put_be64(&data[0], ctx.lu->block_count() == 0 ? 0 : ctx.lu->block_count() - 1);
  put_be32(&data[8], ctx.lu->block_size());
  if (ctx.lu->store().thin_provisioned()) {
    //= sbc3#4.7.3.1
    //# LBPME=1: logical block provisioning management (UNMAP) is implemented;
    //# LBPRZ=1: a deallocated block reads as zeros (true of every thin store here)
    data[14] = 0x80 | 0x40;
  }
  return ctx.data_in(std::move(data), allocation);
}

}  // namespace

void register_capacity(command_table& t) {
  t.add({.opcode = 0x25,
         .name = "READ CAPACITY(10)",
         .cdb_length = 10,
         .flags = cmd_flag::medium_access | cmd_flag::data_in,
         .access = reservation_access::allowed,
         .run = read_capacity_10});
  t.add({.opcode = 0x9E,
         .service_action = 0x10,
         .name = "READ CAPACITY(16)",
         .cdb_length = 16,
         .flags = cmd_flag::medium_access | cmd_flag::data_in,
         .access = reservation_access::allowed,
         .run = read_capacity_16});
}

}  // namespace touchstone::scsi
