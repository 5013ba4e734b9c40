// SBC-3 GET LBA STATUS (SERVICE ACTION IN(16) 9Eh, service action 12h):
// LBA status descriptors built from the store's block status (SEEK_DATA /
// SEEK_HOLE on the file store, the mapped bits of the memory store).
#include <algorithm>

#include "medium_ops.hpp"
#include "touchstone/scsi/command_table.hpp"

namespace touchstone::scsi {
namespace {

//= sbc3#5.4.1 table 35
//# GET LBA STATUS: STARTING LOGICAL BLOCK ADDRESS bytes 2-9, ALLOCATION LENGTH bytes 10-13
constexpr std::size_t header_length = 8;
//= sbc3#5.4.2 table 36
//# parameter data: PARAMETER DATA LENGTH bytes 0-3 (bytes that follow), reserved 4-7,
//# then LBA status descriptors
constexpr std::size_t descriptor_length = 16;
// A bound on the work of one command; the initiator asks again from where it stopped.
constexpr std::size_t max_descriptors = 1024;

//= sbc3#5.4.3 table 38
//# PROVISIONING STATUS: 0h mapped (or unknown), 1h deallocated, 2h anchored
std::uint8_t provisioning_status(block_state s) {
  return s == block_state::deallocated ? 0x1 : 0x0;
}

//= sbc3#5.4.3 table 37
//# LBA status descriptor: LBA bytes 0-7, NUMBER OF LOGICAL BLOCKS bytes 8-11,
//# PROVISIONING STATUS byte 12 bits 3:0
void put_descriptor(byte_buffer& out, std::uint64_t lba, std::uint32_t blocks, block_state s) {
  const std::size_t at = out.size();
  out.resize(at + descriptor_length, 0);
  put_be64(&out[at], lba);
  put_be32(&out[at + 8], blocks);
  out[at + 12] = provisioning_status(s);
}

// How many descriptors the allocation length has room for (at least one).
std::size_t descriptors_wanted(std::uint32_t allocation) {
  const std::size_t room =
      allocation > header_length ? (allocation - header_length) / descriptor_length : 0;
  return std::clamp<std::size_t>(room, 1, max_descriptors);
}

response get_lba_status(command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  const std::uint64_t start = get_be64(&cdb[2]);
  const std::uint32_t allocation = get_be32(&cdb[10]);
  //= sbc3#5.4.1
  //# STARTING LOGICAL BLOCK ADDRESS past the last LBA: ILLEGAL REQUEST,
  //# LOGICAL BLOCK ADDRESS OUT OF RANGE
  if (start >= ctx.lu->block_count()) return ctx.lba_out_of_range();
  byte_buffer data(header_length, 0);
  const std::size_t wanted = descriptors_wanted(allocation);
  //= sbc3#5.4.2
  //# the first descriptor starts at the STARTING LOGICAL BLOCK ADDRESS; each next
  //# one starts where the previous ended, in ascending LBA order
  for (std::uint64_t lba = start, n = 0; lba < ctx.lu->block_count() && n < wanted; ++n) {
    auto extent = ctx.lu->store().block_status(lba);
    if (!extent) return ctx.store_failure(extent.error(), io_direction::read);
    const auto blocks =
        static_cast<std::uint32_t>(std::clamp<std::uint64_t>(extent->count, 1, 0xFFFFFFFFU));
    put_descriptor(data, lba, blocks, extent->state);
    lba += blocks;
  }
  put_be32(&data[0], static_cast<std::uint32_t>(data.size() - 4));
  //= spc4#4.2.5.6
  //# the returned data stops at the ALLOCATION LENGTH; not an error
  return ctx.data_in(std::move(data), allocation);
}

}  // namespace

void register_lba_status(command_table& t) {
  t.add({.opcode = 0x9E,
         .service_action = 0x12,
         .name = "GET LBA STATUS",
         .cdb_length = 16,
         .flags = cmd_flag::medium_access | cmd_flag::data_in | cmd_flag::store_io,
         .access = reservation_access::reads,
         .run = get_lba_status});
}

}  // namespace touchstone::scsi
