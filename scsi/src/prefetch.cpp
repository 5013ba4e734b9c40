// SBC-3 PRE-FETCH(10) and PRE-FETCH(16): range checks, then the status
// that says whether the blocks now sit in the cache. This device server keeps
// no cache of its own (the stores read straight from memory or the file),
// so no block is ever pre-fetched and the answer is GOOD, never CONDITION MET.
#include <array>

#include "medium_ops.hpp"
#include "touchstone/scsi/command_table.hpp"

namespace touchstone::scsi {
namespace {

//= sbc3#5.7 table 49
//# PRE-FETCH(10): IMMED byte 1 bit 1; LBA bytes 2-5; GROUP NUMBER byte 6;
//# PREFETCH LENGTH bytes 7-8
//= sbc3#5.8 table 50
//# PRE-FETCH(16): IMMED byte 1 bit 1; LBA bytes 2-9; PREFETCH LENGTH bytes 10-13;
//# GROUP NUMBER byte 14
struct prefetch_cdb {
  std::uint64_t lba;
  std::uint64_t blocks;
  bool immed;
};

prefetch_cdb parse(bytes_view cdb) {
  const bool sixteen = cdb[0] == 0x90;
  return {sixteen ? get_be64(&cdb[2]) : get_be32(&cdb[2]),
          sixteen ? get_be32(&cdb[10]) : get_be16(&cdb[7]), get_bit(cdb, 1, 1)};
}

//= sbc3#5.7
//# IMMED=0: CONDITION MET once every block is in the cache, GOOD if the cache
//# could not take them all; IMMED=1: after the CDB is checked, CONDITION MET if
//# the cache has room for every block, else GOOD
struct outcome_row {
  bool immed;
  bool all_fit;
  scsi::status status;
};
constexpr std::array<outcome_row, 4> outcomes = {{
    {false, true, status::condition_met},
    {false, false, status::good},
    {true, true, status::condition_met},
    {true, false, status::good},
}};

scsi::status outcome(bool immed, bool all_fit) {
  for (const auto& row : outcomes)
    if (row.immed == immed && row.all_fit == all_fit) return row.status;
  return status::good;
}

// Blocks this device server's cache can take: none (see the file comment).
constexpr std::uint64_t cache_blocks = 0;

response prefetch(command_context& ctx) {
  prefetch_cdb c = parse(ctx.cdb());
  const std::uint64_t capacity = ctx.lu->block_count();
  if (c.blocks == 0) {
    //= sbc3#5.7
    //# PREFETCH LENGTH 0: from the LBA through the last LBA
    if (c.lba >= capacity) return ctx.lba_out_of_range();
    c.blocks = capacity - c.lba;
  }
  //= sbc3#5.7
  //# LBA + PREFETCH LENGTH past the capacity: LOGICAL BLOCK ADDRESS OUT OF RANGE
  if (!medium::in_range(*ctx.lu, c.lba, c.blocks)) return ctx.lba_out_of_range();
  //= sbc3#5.7
  //# the GROUP NUMBER is not used by this device server (no grouping function)
  response r = ctx.good();
  r.status = outcome(c.immed, c.blocks <= cache_blocks);
  return r;
}

}  // namespace

void register_prefetch(command_table& t) {
  t.add({.opcode = 0x34,
         .name = "PRE-FETCH(10)",
         .cdb_length = 10,
         .flags = cmd_flag::medium_access | cmd_flag::store_io,
         .access = reservation_access::reads,
         .run = prefetch});
  t.add({.opcode = 0x90,
         .name = "PRE-FETCH(16)",
         .cdb_length = 16,
         .flags = cmd_flag::medium_access | cmd_flag::store_io,
         .access = reservation_access::reads,
         .run = prefetch});
}

}  // namespace touchstone::scsi
