// SBC-3 ORWRITE(16), basic mode: each byte of the range becomes the OR of
// the medium's byte and the data-out's (read, OR, write under the LU's
// execution lock, so no other command sees a half-done range).
#include <algorithm>

#include "medium_ops.hpp"
#include "touchstone/scsi/command_table.hpp"

namespace touchstone::scsi {
namespace {

//= sbc3#5.5 table 47
//# ORWRITE(16): ORPROTECT byte 1 bits 7:5, DPO bit 4, FUA bit 3; LBA bytes
//# 2-9; TRANSFER LENGTH bytes 10-13; GROUP NUMBER byte 14
constexpr std::uint16_t length_byte = 10;
constexpr unsigned fua_bit = 3;

response with_length(response r, std::uint64_t length) {
  r.data_out_length = length;
  return r;
}

std::optional<response> check_cdb(const command_context& ctx, std::uint64_t lba,
                                  std::uint64_t blocks) {
  //= sbc3#5.5
  //# ORPROTECT other than 000b without protection information: INVALID FIELD IN CDB
  if ((ctx.cdb()[1] >> 5) != 0) return ctx.invalid_field_in_cdb(1, 7);
  //= sbc3#6.5.3
  //# TRANSFER LENGTH above MAXIMUM TRANSFER LENGTH: INVALID FIELD IN CDB
  const std::uint32_t max = ctx.lu->config().max_transfer_length;
  if (max != 0 && blocks > max) return ctx.invalid_field_in_cdb(length_byte);
  //= sbc3#5.5
  //# LBA + TRANSFER LENGTH past the capacity: LOGICAL BLOCK ADDRESS OUT OF RANGE
  if (!medium::in_range(*ctx.lu, lba, blocks)) return ctx.lba_out_of_range();
  return std::nullopt;
}

response orwrite(command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  const std::uint64_t lba = get_be64(&cdb[2]);
  const std::uint64_t blocks = get_be32(&cdb[length_byte]);
  if (auto failed = check_cdb(ctx, lba, blocks)) return *failed;
  //= sbc3#5.5
  //# TRANSFER LENGTH 0: no data is transferred; not an error
  if (blocks == 0) return ctx.good();
  const std::uint64_t needed = blocks * ctx.lu->block_size();
  if (auto short_data = medium::check_data_out(ctx, needed)) return *short_data;
  block_store& store = ctx.lu->store();
  byte_buffer data(static_cast<std::size_t>(needed));
  if (auto r = store.read(lba, data); !r)
    return with_length(ctx.store_failure(r.error(), io_direction::read), needed);
  //= sbc3#4.19 (ORWRITE basic mode)
  //# the result written is the bitwise OR of the data-out and the medium
  bytes_view in = ctx.req.data_out.first(static_cast<std::size_t>(needed));
  std::transform(data.begin(), data.end(), in.begin(), data.begin(),
                 [](std::uint8_t m, std::uint8_t d) { return static_cast<std::uint8_t>(m | d); });
  if (auto r = store.write(lba, data); !r)
    return with_length(ctx.store_failure(r.error(), io_direction::write), needed);
  if (auto failed = medium::commit(ctx, get_bit(cdb, 1, fua_bit)))
    return with_length(*failed, needed);
  return with_length(ctx.good(), needed);
}

}  // namespace

void register_orwrite(command_table& t) {
  t.add({.opcode = 0x8B,
         .name = "ORWRITE(16)",
         .cdb_length = 16,
         .flags = cmd_flag::medium_access | cmd_flag::writes_medium | cmd_flag::data_out |
                  cmd_flag::store_io,
         .access = reservation_access::writes,
         .run = orwrite});
}

}  // namespace touchstone::scsi
