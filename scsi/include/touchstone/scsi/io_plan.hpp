// What READ, WRITE and SYNCHRONIZE CACHE ask of a blocking store (a file),
// decided by the command's planner under the LU's execution lock (every
// check done); the device server then does the I/O off that lock and off
// the caller's thread (device_server::submit) and answers with `finished`,
// or with the error the store reported.
#pragma once

#include <cstdint>

#include "touchstone/scsi/command.hpp"

namespace touchstone::scsi {

struct io_plan {
  enum class kind : std::uint8_t {
    none,   // no I/O: `finished` is the answer (a check failed, or nothing to move)
    read,   // [lba, lba + blocks) into finished.data_in
    write,  // `data` to [lba, lba + blocks)
    sync,   // everything completed so far to stable storage
  };
  kind op = kind::none;
  response finished;  // the answer when the I/O succeeds (or at once, for none)
  std::uint64_t lba = 0;
  std::uint64_t blocks = 0;  // the range touched: overlapping ranges keep their arrival order
  bytes_view data;           // write: the request's data-out
  //= sbc3#4.13 (sbc3#6.4.5 WCE)
  //# WCE=0: every write is on the medium before GOOD; WCE=1: FUA=1 writes are
  bool sync_after = false;  // write: a sync follows before the answer
  sense_format format = sense_format::fixed;  // of the error answers
};

// The answer for a store error (MEDIUM ERROR with the failing LBA, ...),
// as command_context::store_failure gives it.
response store_failure_response(const store_error& e, io_direction direction, sense_format format);
// A sync that failed after a write: MEDIUM ERROR, WRITE ERROR.
response sync_failure_response(sense_format format);

// The answer once the plan's I/O has ended with `result` (for a write with
// sync_after, the write's result, then the sync's with `synced`).
response plan_outcome(io_plan& plan, const store_result& result);
response plan_sync_outcome(io_plan& plan, const store_result& synced);

// Carries the plan out with the store's synchronous calls (memory and null
// stores, and commands run whole on a store thread).
response run_plan(block_store& store, io_plan plan);

}  // namespace touchstone::scsi
