// SBC-3 COMPARE AND WRITE: the data-out holds the verify data then the
// write data; the medium is compared with the first half and, only if equal,
// replaced by the second. Atomic against every other command on the LU: the
// device server runs the read, compare and write under the LU's execution
// lock (logical_unit::lock_execution), which every command on the LU takes.
#include "medium_ops.hpp"
#include "touchstone/scsi/command_table.hpp"

namespace touchstone::scsi {
namespace {

//= sbc3#5.2 table 30
//# COMPARE AND WRITE: WRPROTECT byte 1 bits 7:5, DPO bit 4, FUA bit 3;
//# LBA bytes 2-9; NUMBER OF LOGICAL BLOCKS byte 13; GROUP NUMBER byte 14
constexpr std::uint16_t blocks_byte = 13;
constexpr unsigned fua_bit = 3;

response with_length(response r, std::uint64_t length) {
  r.data_out_length = length;
  return r;
}

std::optional<response> check_cdb(const command_context& ctx, std::uint64_t lba,
                                  std::uint64_t blocks) {
  //= sbc3#5.2 (sbc3#5.11 table 58)
  //# WRPROTECT other than 000b without protection information: INVALID FIELD IN CDB
  if ((ctx.cdb()[1] >> 5) != 0) return ctx.invalid_field_in_cdb(1, 7);
  //= sbc3#5.2
  //# NUMBER OF LOGICAL BLOCKS above MAXIMUM COMPARE AND WRITE LENGTH (Block
  //# Limits VPD): ILLEGAL REQUEST, INVALID FIELD IN CDB
  if (blocks > ctx.lu->config().max_compare_and_write_length)
    return ctx.invalid_field_in_cdb(blocks_byte);
  //= sbc3#5.2
  //# LBA + NUMBER OF LOGICAL BLOCKS past the capacity: LOGICAL BLOCK ADDRESS OUT OF RANGE
  if (!medium::in_range(*ctx.lu, lba, blocks)) return ctx.lba_out_of_range();
  return std::nullopt;
}

response compare_and_write(command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  const std::uint64_t lba = get_be64(&cdb[2]);
  const std::uint64_t blocks = cdb[blocks_byte];
  if (auto failed = check_cdb(ctx, lba, blocks)) return *failed;
  //= sbc3#5.2
  //# NUMBER OF LOGICAL BLOCKS 0: no read, no transfer, no compare, no write;
  //# not an error
  if (blocks == 0) return ctx.good();
  //= sbc3#5.2
  //# the Data-Out Buffer holds the verify instance then the write instance:
  //# 2 x NUMBER OF LOGICAL BLOCKS blocks
  const std::uint64_t half = blocks * ctx.lu->block_size();
  if (auto short_data = medium::check_data_out(ctx, 2 * half)) return *short_data;
  bytes_view verify = ctx.req.data_out.first(static_cast<std::size_t>(half));
  bytes_view write =
      ctx.req.data_out.subspan(static_cast<std::size_t>(half), static_cast<std::size_t>(half));
  block_store& store = ctx.lu->store();
  const medium::compare_outcome cmp = medium::compare(store, lba, blocks, {verify});
  //= sbc3#4.15
  //# an unrecovered read error: MEDIUM ERROR, INFORMATION = the failing LBA
  if (cmp.error) return with_length(ctx.store_failure(*cmp.error, io_direction::read), 2 * half);
  //= sbc3#5.2
  //# the verify data differs from the medium: nothing is written; MISCOMPARE,
  //# MISCOMPARE DURING VERIFY OPERATION, INFORMATION = offset of the first
  //# byte that was not equal
  if (cmp.mismatch) return with_length(medium::miscompare(ctx, *cmp.mismatch), 2 * half);
  if (auto r = store.write(lba, write); !r)
    return with_length(ctx.store_failure(r.error(), io_direction::write), 2 * half);
  if (auto failed = medium::commit(ctx, get_bit(cdb, 1, fua_bit)))
    return with_length(*failed, 2 * half);
  return with_length(ctx.good(), 2 * half);
}

}  // namespace

void register_compare_and_write(command_table& t) {
  t.add({.opcode = 0x89,
         .name = "COMPARE AND WRITE",
         .cdb_length = 16,
         .flags = cmd_flag::medium_access | cmd_flag::writes_medium | cmd_flag::data_out |
                  cmd_flag::store_io,
         .access = reservation_access::writes,
         .run = compare_and_write});
}

}  // namespace touchstone::scsi
