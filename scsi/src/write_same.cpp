// SBC-3 WRITE SAME(10) and WRITE SAME(16): one logical block of data-out
// (or none with NDOB) written to a range, or the range deallocated when the
// UNMAP bit asks (LBPRZ=1: deallocated reads zeros).
#include "medium_ops.hpp"
#include "touchstone/scsi/command_table.hpp"

namespace touchstone::scsi {
namespace {

//= sbc3#5.43 table 151
//# WRITE SAME(10): WRPROTECT byte 1 bits 7:5, ANCHOR bit 4, UNMAP bit 3,
//# obsolete bits 2:1, reserved bit 0; LBA bytes 2-5; NUMBER OF LOGICAL BLOCKS 7-8
//= sbc3#5.44 table 152
//# WRITE SAME(16): as (10) but NDOB byte 1 bit 0; LBA bytes 2-9; NUMBER OF
//# LOGICAL BLOCKS bytes 10-13
struct ws_cdb {
  std::uint64_t lba = 0;
  std::uint64_t blocks = 0;
  std::uint16_t blocks_byte = 0;
  bool sixteen = false;
  bool anchor = false;
  bool unmap = false;
  bool ndob = false;
};

constexpr unsigned anchor_bit = 4, unmap_bit = 3, pbdata_bit = 2, lbdata_bit = 1, ndob_bit = 0;

ws_cdb parse(bytes_view cdb) {
  ws_cdb c;
  c.sixteen = cdb[0] == 0x93;
  c.lba = c.sixteen ? get_be64(&cdb[2]) : get_be32(&cdb[2]);
  c.blocks_byte = c.sixteen ? 10 : 7;
  c.blocks = c.sixteen ? get_be32(&cdb[10]) : get_be16(&cdb[7]);
  c.anchor = get_bit(cdb, 1, anchor_bit);
  c.unmap = get_bit(cdb, 1, unmap_bit);
  c.ndob = c.sixteen && get_bit(cdb, 1, ndob_bit);
  return c;
}

// Byte 1 checks, in bit order; nullopt when the bits are acceptable.
std::optional<response> check_flags(const command_context& ctx, const ws_cdb& c) {
  bytes_view cdb = ctx.cdb();
  //= sbc3#5.43 (sbc3#5.11 table 58)
  //# WRPROTECT other than 000b without protection information: INVALID FIELD IN CDB
  if ((cdb[1] >> 5) != 0) return ctx.invalid_field_in_cdb(1, 7);
  //= sbc3#5.43
  //# ANCHOR=1 with UNMAP=0, or with ANC_SUP=0 in the Logical Block Provisioning
  //# VPD page (anchored LBAs are not offered): INVALID FIELD IN CDB
  if (c.anchor) return ctx.invalid_field_in_cdb(1, anchor_bit);
  //= sbc3#5.43
  //# UNMAP=1 where unmapping through WRITE SAME is not supported (LBPWS=0,
  //# LBPWS10=0: a fully provisioned LU): INVALID FIELD IN CDB
  if (c.unmap && !ctx.lu->store().thin_provisioned()) return ctx.invalid_field_in_cdb(1, unmap_bit);
  //= sbc3#5.43
  //# PBDATA and LBDATA are obsolete: this device server rejects them set
  if (get_bit(cdb, 1, pbdata_bit)) return ctx.invalid_field_in_cdb(1, pbdata_bit);
  if (get_bit(cdb, 1, lbdata_bit)) return ctx.invalid_field_in_cdb(1, lbdata_bit);
  //= sbc3#5.43 table 151
  //# WRITE SAME(10) byte 1 bit 0 is reserved (NDOB exists only in WRITE SAME(16))
  if (!c.sixteen && get_bit(cdb, 1, ndob_bit)) return ctx.invalid_field_in_cdb(1, ndob_bit);
  return std::nullopt;
}

// The range: NUMBER OF LOGICAL BLOCKS 0 means through the last LBA.
std::optional<response> resolve_range(const command_context& ctx, ws_cdb& c) {
  const std::uint64_t capacity = ctx.lu->block_count();
  if (c.blocks == 0) {
    //= sbc3#5.43
    //# NUMBER OF LOGICAL BLOCKS 0 with WSNZ=1 (Block Limits VPD): INVALID FIELD IN CDB
    if (ctx.lu->config().write_same_no_zero) return ctx.invalid_field_in_cdb(c.blocks_byte);
    //= sbc3#5.43
    //# NUMBER OF LOGICAL BLOCKS 0 (WSNZ=0): write from the LBA through the last LBA
    if (c.lba >= capacity) return ctx.lba_out_of_range();
    c.blocks = capacity - c.lba;
  }
  //= sbc3#5.43
  //# LBA + NUMBER OF LOGICAL BLOCKS past the capacity: LOGICAL BLOCK ADDRESS OUT OF RANGE
  if (!medium::in_range(*ctx.lu, c.lba, c.blocks)) return ctx.lba_out_of_range();
  //= sbc3#5.43
  //# more blocks than MAXIMUM WRITE SAME LENGTH (Block Limits VPD): INVALID FIELD IN CDB
  const std::uint64_t max = ctx.lu->config().max_write_same_length;
  if (max != 0 && c.blocks > max) return ctx.invalid_field_in_cdb(c.blocks_byte);
  return std::nullopt;
}

response with_length(response r, std::uint64_t length) {
  r.data_out_length = length;
  return r;
}

response write_same(command_context& ctx) {
  ws_cdb c = parse(ctx.cdb());
  if (auto failed = check_flags(ctx, c)) return *failed;
  if (auto failed = resolve_range(ctx, c)) return *failed;
  const std::uint32_t bs = ctx.lu->block_size();
  //= sbc3#5.44
  //# NDOB=1: no data-out; the data is a logical block of zeros
  const std::uint64_t needed = c.ndob ? 0 : bs;
  //= sbc3#5.43
  //# the Data-Out Buffer holds exactly one logical block: less or more is an error
  if (!c.ndob && ctx.req.data_out.size() != needed)
    return with_length(ctx.check_condition(sense_key::illegal_request,
                                           asc::invalid_field_in_command_information_unit),
                       needed);
  const byte_buffer zeros(c.ndob ? bs : 0, 0);
  bytes_view block = c.ndob ? bytes_view(zeros) : ctx.req.data_out.first(bs);
  block_store& store = ctx.lu->store();
  //= sbc3#5.43
  //# UNMAP=1 (LBPWS/LBPWS10=1): the device server may perform an unmap
  //# operation on the LBAs instead of writing the data-out block
  //= sbc3#4.7.3.4.3
  //# a deallocated LBA reads as set by LBPRZ (1: zeros)
  // Policy: UNMAP=1 always deallocates, whatever the data block holds, for
  // WRITE SAME(10) and (16) alike; UNMAP=0 always writes the block.
  const bool deallocate = c.unmap;
  store_result done = deallocate ? store.unmap(c.lba, c.blocks)
                                 : medium::write_repeated(store, c.lba, c.blocks, block);
  if (!done) return with_length(ctx.store_failure(done.error(), io_direction::write), needed);
  if (auto failed = medium::commit(ctx, false)) return with_length(*failed, needed);
  return with_length(ctx.good(), needed);
}

constexpr cmd_flag ws_flags =
    cmd_flag::medium_access | cmd_flag::writes_medium | cmd_flag::data_out | cmd_flag::store_io;

}  // namespace

void register_write_same(command_table& t) {
  t.add({.opcode = 0x41,
         .name = "WRITE SAME(10)",
         .cdb_length = 10,
         .flags = ws_flags,
         .access = reservation_access::writes,
         .run = write_same});
  t.add({.opcode = 0x93,
         .name = "WRITE SAME(16)",
         .cdb_length = 16,
         .flags = ws_flags,
         .access = reservation_access::writes,
         .run = write_same});
}

}  // namespace touchstone::scsi
