// SBC-3 VERIFY(10/12/16) and WRITE AND VERIFY(10/12/16): one parser over a
// table of CDB layouts; VERIFY checks the medium (BYTCHK 00b) or compares it
// with the data-out (01b: block for block; 11b: one block against each);
// WRITE AND VERIFY writes, syncs, then checks what the medium returns.
#include <array>

#include "medium_ops.hpp"
#include "touchstone/scsi/command_table.hpp"

namespace touchstone::scsi {
namespace {

struct layout {
  std::uint8_t lba_byte, lba_width;
  std::uint8_t length_byte, length_width;
};

//= sbc3#5.28 table 115
//# VERIFY(10): VRPROTECT byte 1 bits 7:5, DPO bit 4, BYTCHK bits 2:1; LBA bytes
//# 2-5; GROUP NUMBER byte 6; VERIFICATION LENGTH bytes 7-8
//= sbc3#5.29 table 117
//# VERIFY(12): LBA bytes 2-5; VERIFICATION LENGTH bytes 6-9; GROUP NUMBER byte 10
//= sbc3#5.30 table 118
//# VERIFY(16): LBA bytes 2-9; VERIFICATION LENGTH bytes 10-13; GROUP NUMBER byte 14
//# (WRITE AND VERIFY(10/12/16) alike with WRPROTECT and TRANSFER LENGTH, sbc3#5.37-5.39)
constexpr layout layout10{2, 4, 7, 2};
constexpr layout layout12{2, 4, 6, 4};
constexpr layout layout16{2, 8, 10, 4};

const layout& layout_of(const command_context& ctx) {
  return ctx.entry.cdb_length == 10 ? layout10 : ctx.entry.cdb_length == 12 ? layout12 : layout16;
}

struct verify_cdb {
  std::uint64_t lba = 0;
  std::uint64_t blocks = 0;
  std::uint8_t bytchk = 0;
  std::uint16_t length_byte = 0;
};

verify_cdb parse(const command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  const layout& l = layout_of(ctx);
  verify_cdb c;
  c.lba = l.lba_width == 8 ? get_be64(&cdb[l.lba_byte]) : get_be32(&cdb[l.lba_byte]);
  c.blocks = l.length_width == 4 ? get_be32(&cdb[l.length_byte]) : get_be16(&cdb[l.length_byte]);
  c.bytchk = static_cast<std::uint8_t>((cdb[1] >> 1) & 0x3);
  c.length_byte = l.length_byte;
  return c;
}

//= sbc3#5.28 table 116
//# BYTCHK: 00b verify the medium only, no data-out; 01b compare VERIFICATION
//# LENGTH blocks of data-out; 10b reserved; 11b compare one block of data-out
//# with each block of the range
constexpr std::uint8_t bytchk_none = 0b00, bytchk_all = 0b01, bytchk_one = 0b11;
constexpr unsigned bytchk_top_bit = 2;

// The checks both commands share; `allowed` says which BYTCHK values are valid.
std::optional<response> check_cdb(const command_context& ctx, const verify_cdb& c,
                                  std::array<bool, 4> allowed) {
  //= sbc3#5.28 (sbc3#5.11 table 58)
  //# VRPROTECT/WRPROTECT other than 000b without protection information:
  //# INVALID FIELD IN CDB
  if ((ctx.cdb()[1] >> 5) != 0) return ctx.invalid_field_in_cdb(1, 7);
  //= sbc3#5.28 table 116
  //# a reserved BYTCHK value: ILLEGAL REQUEST, INVALID FIELD IN CDB
  if (!allowed[c.bytchk]) return ctx.invalid_field_in_cdb(1, bytchk_top_bit);
  //= sbc3#6.5.3
  //# a transfer longer than MAXIMUM TRANSFER LENGTH: INVALID FIELD IN CDB
  const std::uint32_t max = ctx.lu->config().max_transfer_length;
  if (c.bytchk == bytchk_all && max != 0 && c.blocks > max)
    return ctx.invalid_field_in_cdb(c.length_byte);
  //= sbc3#5.28
  //# LBA + VERIFICATION LENGTH past the capacity: LOGICAL BLOCK ADDRESS OUT OF RANGE
  if (!medium::in_range(*ctx.lu, c.lba, c.blocks)) return ctx.lba_out_of_range();
  return std::nullopt;
}

response with_length(response r, std::uint64_t length) {
  r.data_out_length = length;
  return r;
}

// Reads the range back and compares it (BYTCHK 01b/11b) or only reads it (00b).
response check_medium(command_context& ctx, const verify_cdb& c, std::uint64_t data_out_length) {
  block_store& store = ctx.lu->store();
  if (c.bytchk == bytchk_none) {
    //= sbc3#5.28
    //# BYTCHK=00b: a medium verification; an unrecovered error is a MEDIUM ERROR
    //# with the failing LBA in INFORMATION
    if (auto r = medium::read_through(store, c.lba, c.blocks); !r)
      return with_length(ctx.store_failure(r.error(), io_direction::read), data_out_length);
    return with_length(ctx.good(), data_out_length);
  }
  const medium::compare_source source{ctx.req.data_out, c.bytchk == bytchk_one};
  const medium::compare_outcome cmp = medium::compare(store, c.lba, c.blocks, source);
  if (cmp.error)
    return with_length(ctx.store_failure(*cmp.error, io_direction::read), data_out_length);
  //= sbc3#5.28
  //# the compare fails: MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION,
  //# INFORMATION = offset of the first byte not equal (11b: counted as if the
  //# one data-out block were repeated over the range)
  if (cmp.mismatch) return with_length(medium::miscompare(ctx, *cmp.mismatch), data_out_length);
  return with_length(ctx.good(), data_out_length);
}

response verify(command_context& ctx) {
  const verify_cdb c = parse(ctx);
  if (auto failed = check_cdb(ctx, c, {true, true, false, true})) return *failed;
  //= sbc3#5.28
  //# VERIFICATION LENGTH 0: no blocks are verified; not an error
  if (c.blocks == 0) return ctx.good();
  const std::uint64_t bs = ctx.lu->block_size();
  const std::uint64_t needed = c.bytchk == bytchk_all   ? c.blocks * bs
                               : c.bytchk == bytchk_one ? bs
                                                        : 0;
  if (auto short_data = medium::check_data_out(ctx, needed)) return *short_data;
  return check_medium(ctx, c, needed);
}

//= sbc3#5.37 table 145
//# WRITE AND VERIFY: BYTCHK 00b verify the medium, 01b compare with the data
//# written; 10b and 11b reserved
response write_and_verify(command_context& ctx) {
  const verify_cdb c = parse(ctx);
  if (auto failed = check_cdb(ctx, c, {true, true, false, false})) return *failed;
  //= sbc3#5.37
  //# TRANSFER LENGTH 0: nothing is transferred or written; not an error
  if (c.blocks == 0) return ctx.good();
  const std::uint64_t needed = c.blocks * ctx.lu->block_size();
  //= sbc3#5.37
  //# WRITE AND VERIFY: the blocks are transferred from the Data-Out Buffer,
  //# written, then verified
  // A data-out short by whole blocks: only those blocks are written and
  // verified, GOOD, data_out_length stays the CDB's length so the transport
  // reports the residual (medium::writable_extent, rfc7143 section 11.4.5.2).
  const medium::write_extent extent = medium::writable_extent(ctx, needed);
  if (extent.failed) return *extent.failed;
  if (extent.bytes == 0) return with_length(ctx.good(), needed);
  if (auto r = ctx.lu->store().write(
          c.lba, ctx.req.data_out.first(static_cast<std::size_t>(extent.bytes)));
      !r)
    return with_length(ctx.store_failure(r.error(), io_direction::write), needed);
  //= sbc3#5.37
  //# the data is written to the medium, then verified from it: sync first
  if (auto failed = medium::commit(ctx, true)) return with_length(*failed, needed);
  verify_cdb written = c;
  written.blocks = extent.bytes / ctx.lu->block_size();
  return check_medium(ctx, written, needed);
}

}  // namespace

void register_verify(command_table& t) {
  struct row {
    std::uint8_t opcode;
    std::string_view name;
    std::uint8_t cdb_length;
    bool write;
  };
  static constexpr std::array<row, 6> rows = {{
      {0x2F, "VERIFY(10)", 10, false},
      {0xAF, "VERIFY(12)", 12, false},
      {0x8F, "VERIFY(16)", 16, false},
      {0x2E, "WRITE AND VERIFY(10)", 10, true},
      {0xAE, "WRITE AND VERIFY(12)", 12, true},
      {0x8E, "WRITE AND VERIFY(16)", 16, true},
  }};
  for (const row& r : rows) {
    t.add({.opcode = r.opcode,
           .name = r.name,
           .cdb_length = r.cdb_length,
           .flags = (r.write ? cmd_flag::medium_access | cmd_flag::writes_medium | cmd_flag::data_out
                             : cmd_flag::medium_access | cmd_flag::data_out) |
                    cmd_flag::store_io,
           .access = r.write ? reservation_access::writes : reservation_access::reads,
           .run = r.write ? write_and_verify : verify});
  }
}

}  // namespace touchstone::scsi
