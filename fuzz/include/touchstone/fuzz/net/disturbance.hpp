// Which fuzzed programs may change the canary blocks, and when the canaries
// were last left alone (the rule docs/fuzzing.md "Data integrity: canary
// blocks" states).
//
// A program disturbs the canaries when one of its SCSI Command steps has a
// CDB that may change data there: a known writing opcode whose LBA range
// meets a canary LBA (or whose range cannot be told from the CDB: UNMAP,
// WRITE SAME with zero blocks, ...), or any opcode not on an explicit list
// of commands that change no data (reads, inquiries, sense, capacity, PR
// IN/OUT, verify, cache sync, ...). Unknown opcodes disturb.
//
// The log counts the disturbing programs that started (an epoch) and those
// in flight; the campaign calls started() before it runs a program and
// finished() after, for every job. A probe takes a mark before it writes,
// and trusts what it reads later only if quiet_since(mark): no disturbing
// program was running at the mark and none started after it. The campaign
// also opens an unknown() span around anything else that reaches the target
// (minimising a finding, restarting the target).
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "touchstone/fuzz/program.hpp"

namespace touchstone::fuzz::net {

// Whether one CDB may change any of the blocks in `lbas` (empty: every CDB
// that may change any block).
bool cdb_may_change(pdu::bytes_view cdb, const std::vector<std::uint64_t>& lbas);
// Whether any SCSI Command step of p may.
bool program_may_change(const program& p, const std::vector<std::uint64_t>& lbas);

class disturbance_log {
 public:
  struct mark {
    std::uint64_t epoch = 0;
    std::uint64_t in_flight = 0;
  };

  // Before a fuzzed program runs: whether it disturbs (then it is in flight
  // until finished(true)).
  bool started(const program& p);
  void finished(bool disturbing);
  // Something the log cannot see into (a minimisation, a restart): in
  // flight until finished(true).
  void unknown();

  mark now() const;
  bool quiet_since(const mark& m) const;
  void set_canaries(std::vector<std::uint64_t> lbas);
  std::vector<std::uint64_t> canaries() const;

 private:
  mutable std::mutex lock_;
  std::uint64_t epoch_ = 0;
  std::uint64_t in_flight_ = 0;
  std::vector<std::uint64_t> lbas_;
};

}  // namespace touchstone::fuzz::net
