// Medium helpers the SBC-3 families beyond READ/WRITE share (UNMAP, WRITE
// SAME, COMPARE AND WRITE, ORWRITE, VERIFY, WRITE AND VERIFY, PRE-FETCH):
// range checks, data-out checks, chunked compare and repeated writes, the
// MISCOMPARE sense and write durability. Private to scsi/src.
#pragma once

#include <cstdint>
#include <optional>

#include "touchstone/scsi/command.hpp"
#include "touchstone/scsi/logical_unit.hpp"

namespace touchstone::scsi::medium {

// True if [lba, lba + blocks) lies within the capacity (blocks may be 0).
bool in_range(const logical_unit& lu, std::uint64_t lba, std::uint64_t blocks);

// Data-out shorter than `needed` bytes: ILLEGAL REQUEST, INVALID FIELD IN
// COMMAND INFORMATION UNIT (as READ/WRITE answer it); nullopt when enough.
std::optional<response> check_data_out(const command_context& ctx, std::uint64_t needed);

// A write whose data-out may stop short of the CDB's transfer length
// (`needed` bytes): the bytes to write (all of `needed`, or the whole blocks
// the data-out holds), or the CHECK CONDITION when it ends inside a block.
struct write_extent {
  std::uint64_t bytes = 0;
  std::optional<response> failed;
};
write_extent writable_extent(const command_context& ctx, std::uint64_t needed);

// MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION, INFORMATION = `offset`.
response miscompare(const command_context& ctx, std::uint64_t offset);

// WCE=0 or FUA=1: the written data reaches stable storage before GOOD.
std::optional<response> commit(command_context& ctx, bool fua);

bool all_zero(bytes_view data);

// What the medium is compared with: `expected` holds every block of the
// range, or (repeat_one_block) one block compared against each block.
struct compare_source {
  bytes_view expected;
  bool repeat_one_block = false;
};

// A mismatch at byte `offset` (from the start of the range), a store error,
// or neither (nullopt): the range equals the source.
struct compare_outcome {
  std::optional<std::uint64_t> mismatch;
  std::optional<store_error> error;
};
compare_outcome compare(block_store& store, std::uint64_t lba, std::uint64_t blocks,
                        const compare_source& source);

// Reads [lba, lba + blocks) in chunks and discards the data (medium check).
store_result read_through(block_store& store, std::uint64_t lba, std::uint64_t blocks);

// Writes `block` (one logical block) to every block of [lba, lba + blocks).
store_result write_repeated(block_store& store, std::uint64_t lba, std::uint64_t blocks,
                            bytes_view block);

}  // namespace touchstone::scsi::medium
