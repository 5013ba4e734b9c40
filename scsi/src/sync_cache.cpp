// SBC-3 SYNCHRONIZE CACHE(10) and (16).
#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"

namespace touchstone::scsi {
namespace {

struct sync_range {
  std::uint64_t lba;
  std::uint64_t blocks;  // 0: through the last LBA
};

//= sbc3#5.25 table 111
//# SYNCHRONIZE CACHE(10): IMMED byte 1 bit 1, LBA bytes 2-5, NUMBER OF LOGICAL BLOCKS 7-8
//= sbc3#5.26 table 112
//# SYNCHRONIZE CACHE(16): LBA bytes 2-9, NUMBER OF LOGICAL BLOCKS bytes 10-13
sync_range parse(bytes_view cdb) {
  if (cdb[0] == 0x35) return {get_be32(&cdb[2]), get_be16(&cdb[7])};
  return {get_be64(&cdb[2]), get_be32(&cdb[10])};
}

io_plan plan_sync(command_context& ctx) {
  const sync_range r = parse(ctx.cdb());
  const std::uint64_t capacity = ctx.lu->block_count();
  io_plan p;
  p.format = ctx.format();
  //= sbc3#5.25
  //# a range past the capacity: ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE
  if (r.lba > capacity || capacity - r.lba < r.blocks) {
    p.finished = ctx.lba_out_of_range();
    return p;
  }
  //= sbc3#5.25
  //# every write completed before the command is on the medium before GOOD
  //# (IMMED=1 may return early; this device server always syncs first)
  // The whole file is synced: a write acknowledged before this command has
  // completed its I/O, so the sync covers it; writes still in flight were
  // not acknowledged and are not waited for.
  p.op = io_plan::kind::sync;
  p.finished = ctx.good();
  return p;
}

response synchronize_cache(command_context& ctx) { return run_plan(ctx.lu->store(), plan_sync(ctx)); }

}  // namespace

void register_sync_cache(command_table& t) {
  t.add({.opcode = 0x35,
         .name = "SYNCHRONIZE CACHE(10)",
         .cdb_length = 10,
         .flags = cmd_flag::medium_access | cmd_flag::store_io,
         .access = reservation_access::writes,
         .run = synchronize_cache,
         .plan = plan_sync});
  t.add({.opcode = 0x91,
         .name = "SYNCHRONIZE CACHE(16)",
         .cdb_length = 16,
         .flags = cmd_flag::medium_access | cmd_flag::store_io,
         .access = reservation_access::writes,
         .run = synchronize_cache,
         .plan = plan_sync});
}

}  // namespace touchstone::scsi
