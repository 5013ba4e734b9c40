// SBC-3 READ and WRITE (6/10/12/16): one parser driven by a table of CDB
// layouts, one read path, one write path.
#include <algorithm>
#include <array>

#include "medium_ops.hpp"
#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"
#include "touchstone/scsi/read_buffers.hpp"

namespace touchstone::scsi {
namespace {

// Where LBA and TRANSFER LENGTH live in each CDB size.
struct rw_layout {
  std::uint8_t cdb_length;
  std::uint8_t lba_byte, lba_width;
  std::uint8_t length_byte, length_width;
};

//= sbc3#5.10 table 56
//# READ(6): LBA byte 1 bits 4:0 to byte 3, TRANSFER LENGTH byte 4
//= sbc3#5.11 table 57
//# READ(10): RDPROTECT byte 1 bits 7:5, DPO bit 4, FUA bit 3, LBA bytes 2-5, TRANSFER LENGTH 7-8
//= sbc3#5.12 table 61
//# READ(12): LBA bytes 2-5, TRANSFER LENGTH bytes 6-9
//= sbc3#5.13 table 62
//# READ(16): LBA bytes 2-9, TRANSFER LENGTH bytes 10-13 (WRITE(n) alike, sbc3#5.32-5.35)
constexpr rw_layout layout6{6, 1, 3, 4, 1};
constexpr rw_layout layout10{10, 2, 4, 7, 2};
constexpr rw_layout layout12{12, 2, 4, 6, 4};
constexpr rw_layout layout16{16, 2, 8, 10, 4};

struct rw_cdb {
  std::uint64_t lba = 0;
  std::uint64_t blocks = 0;
  std::uint8_t protect = 0;
  bool dpo = false;
  bool fua = false;
};

std::uint64_t field(bytes_view cdb, std::uint8_t at, std::uint8_t width) {
  switch (width) {
    case 1:
      return cdb[at];
    case 2:
      return get_be16(&cdb[at]);
    case 3:
      return get_be24(&cdb[at]) & 0x1FFFFF;  // READ(6)/WRITE(6): 21-bit LBA
    case 4:
      return get_be32(&cdb[at]);
    default:
      return get_be64(&cdb[at]);
  }
}

rw_cdb parse(bytes_view cdb, const rw_layout& l) {
  rw_cdb c;
  c.lba = field(cdb, l.lba_byte, l.lba_width);
  c.blocks = field(cdb, l.length_byte, l.length_width);
  if (l.cdb_length == 6) {
    //= sbc3#5.10
    //# READ(6)/WRITE(6): a TRANSFER LENGTH of zero means 256 logical blocks
    if (c.blocks == 0) c.blocks = 256;
    return c;
  }
  c.protect = static_cast<std::uint8_t>(cdb[1] >> 5);
  c.dpo = get_bit(cdb, 1, 4);
  c.fua = get_bit(cdb, 1, 3);
  return c;
}

const rw_layout& layout_of(const command_context& ctx) {
  switch (ctx.entry.cdb_length) {
    case 6:
      return layout6;
    case 10:
      return layout10;
    case 12:
      return layout12;
    default:
      return layout16;
  }
}

// The checks READ and WRITE share; nullopt when the command may proceed.
std::optional<response> check_common(const command_context& ctx, const rw_layout& l,
                                      const rw_cdb& c) {
  //= sbc3#5.11 table 58
  //# RDPROTECT/WRPROTECT other than 000b without protection information: INVALID FIELD IN CDB
  if (c.protect != 0) return ctx.invalid_field_in_cdb(1, 7);
  //= sbc3#6.5.3
  //# TRANSFER LENGTH above MAXIMUM TRANSFER LENGTH: INVALID FIELD IN CDB
  const std::uint32_t max = ctx.lu->config().max_transfer_length;
  if (max != 0 && c.blocks > max) return ctx.invalid_field_in_cdb(l.length_byte);
  //= sbc3#4.5
  //# LBA + TRANSFER LENGTH past the capacity: LOGICAL BLOCK ADDRESS OUT OF RANGE
  //# (a zero TRANSFER LENGTH is no error, sbc3#5.11, unless the LBA itself is past the end)
  const std::uint64_t capacity = ctx.lu->block_count();
  if (c.lba > capacity || capacity - c.lba < c.blocks) return ctx.lba_out_of_range();
  return std::nullopt;
}

io_plan plan_read(command_context& ctx) {
  const rw_layout& l = layout_of(ctx);
  const rw_cdb c = parse(ctx.cdb(), l);
  io_plan p;
  p.format = ctx.format();
  if (auto failed = check_common(ctx, l, c)) {
    p.finished = *failed;
    return p;
  }
  const std::uint32_t bs = ctx.lu->block_size();
  // Only what the transport can carry is read; the rest is an overflow residual.
  const std::uint64_t carried = std::min<std::uint64_t>(
      c.blocks, (std::uint64_t{ctx.req.expected_data_in_length} + bs - 1) / bs);
  p.finished = ctx.good();
  p.finished.data_in = take_read_buffer(static_cast<std::size_t>(carried * bs));
  p.finished.data_in_length = c.blocks * bs;
  if (carried == 0) return p;
  p.op = io_plan::kind::read;
  p.lba = c.lba;
  p.blocks = carried;
  return p;
}

response read_blocks(command_context& ctx) { return run_plan(ctx.lu->store(), plan_read(ctx)); }

io_plan plan_write(command_context& ctx) {
  const rw_layout& l = layout_of(ctx);
  const rw_cdb c = parse(ctx.cdb(), l);
  io_plan p;
  p.format = ctx.format();
  if (auto failed = check_common(ctx, l, c)) {
    p.finished = *failed;
    return p;
  }
  const std::uint32_t bs = ctx.lu->block_size();
  const std::uint64_t needed = c.blocks * bs;
  // A data-out short by whole blocks: those blocks are written, GOOD, the
  // transport reports the residual; inside a block: 0Eh/03h (medium_ops).
  const medium::write_extent extent = medium::writable_extent(ctx, needed);
  p.finished = extent.failed ? *extent.failed : ctx.good();
  p.finished.data_out_length = needed;
  if (extent.failed || extent.bytes == 0) return p;
  p.op = io_plan::kind::write;
  p.lba = c.lba;
  p.blocks = extent.bytes / bs;
  p.data = ctx.req.data_out.first(static_cast<std::size_t>(extent.bytes));
  //= sbc3#4.13 (sbc3#6.4.5 WCE)
  //# WCE=0: every write is on the medium before GOOD; WCE=1: FUA=1 writes are
  p.sync_after = c.fua || !ctx.lu->pages().wce();
  return p;
}

response write_blocks(command_context& ctx) { return run_plan(ctx.lu->store(), plan_write(ctx)); }

constexpr cmd_flag read_flags = cmd_flag::medium_access | cmd_flag::data_in | cmd_flag::store_io;
constexpr cmd_flag write_flags =
    cmd_flag::medium_access | cmd_flag::writes_medium | cmd_flag::data_out | cmd_flag::store_io;

}  // namespace

void register_read_write(command_table& t) {
  struct row {
    std::uint8_t opcode;
    std::string_view name;
    std::uint8_t cdb_length;
    bool write;
  };
  static constexpr std::array<row, 8> rows = {{
      {0x08, "READ(6)", 6, false},
      {0x28, "READ(10)", 10, false},
      {0xA8, "READ(12)", 12, false},
      {0x88, "READ(16)", 16, false},
      {0x0A, "WRITE(6)", 6, true},
      {0x2A, "WRITE(10)", 10, true},
      {0xAA, "WRITE(12)", 12, true},
      {0x8A, "WRITE(16)", 16, true},
  }};
  for (const row& r : rows) {
    t.add({.opcode = r.opcode,
           .name = r.name,
           .cdb_length = r.cdb_length,
           .flags = r.write ? write_flags : read_flags,
           .access = r.write ? reservation_access::writes : reservation_access::reads,
           .run = r.write ? write_blocks : read_blocks,
           .plan = r.write ? plan_write : plan_read});
  }
}

}  // namespace touchstone::scsi
