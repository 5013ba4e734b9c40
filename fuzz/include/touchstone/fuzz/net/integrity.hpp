// The data-integrity oracle: canary blocks and what a read of them must give.
//
// A canary block names itself: its first 32 bytes are the magic "TSCANARY",
// then the LBA, the write generation and the run's seed (each 8 bytes, big
// endian); the rest of the block is a byte stream drawn from those three, so
// a block written to the wrong LBA, an older generation, another run's
// block, or a block with one byte changed is each recognisable.
//
// The probe's own steps are session programs (so --replay runs them): a
// write program (per canary, WRITE(10) of one block, the Data-Out the R2T
// asks for, then READ(10) of it) and a read program (READ(10) per canary).
// check_integrity() judges one run of such a program: a READ(10) of a block
// this program wrote (with GOOD) must give GOOD and exactly the written
// bytes; a read of a block the caller expects (a canary written by an
// earlier session) likewise; a read of any other block is judged only when
// its bytes look like a canary (it must then name the LBA read and match
// its own stream). Every other READ, WRITE and status is left alone: a
// program that is not a canary program gives no integrity finding.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "touchstone/fuzz/net/executor.hpp"
#include "touchstone/fuzz/program.hpp"

namespace touchstone::fuzz::net {

struct canary_id {
  std::uint64_t lba = 0;
  std::uint64_t generation = 0;
  std::uint64_t seed = 0;
  friend bool operator==(const canary_id&, const canary_id&) = default;
};

inline constexpr std::size_t canary_header_bytes = 32;

// The block's bytes (block_length at least canary_header_bytes).
pdu::byte_buffer canary_block(const canary_id& id, std::uint32_t block_length);
// The id a block's header names, if it has the magic.
std::optional<canary_id> canary_in(pdu::bytes_view block);

// Requirement ids of integrity findings (SBC-3 from memory, see integrity.cpp).
namespace integrity_requirement {
inline constexpr std::string_view wrong_data = "sbc3#section-5.11/read-returns-written-data";
inline constexpr std::string_view short_read = "sbc3#section-5.11/read-returns-every-block";
inline constexpr std::string_view read_failed = "sbc3#section-5.11/read-of-written-block-succeeds";
}  // namespace integrity_requirement

struct integrity_problem {
  std::string requirement;  // integrity_requirement::*
  std::string summary;      // LBA, first differing offset, expected vs got (hex)
  std::uint64_t lba = 0;
};

struct canary_plan {
  std::vector<canary_id> canaries;
  std::uint32_t block_length = 512;
  std::uint16_t lun = 0;
  std::uint64_t isid = 0;  // the probe session's (distinct from the fuzzed ones)
};

// WRITE(10) + Data-Out per canary, then READ(10) per canary.
program canary_write_program(const canary_plan& plan);
// READ(10) per canary.
program canary_read_program(const canary_plan& plan);
// READ CAPACITY(10).
program capacity_program(std::uint16_t lun, std::uint64_t isid);

// Expected contents by LBA (canaries written by an earlier session).
using canary_expectations = std::map<std::uint64_t, pdu::byte_buffer>;

struct integrity_verdict {
  std::vector<integrity_problem> problems;
  // A RESERVATION CONFLICT (a reservation a fuzzed program left behind), a
  // BUSY, TASK SET FULL or TASK ABORTED, a unit attention, a failed write, a
  // run cut short: the canaries are in an unknown state, nothing was judged
  // of them, the next probe rewrites.
  std::vector<std::string> skipped;
  std::size_t blocks_checked = 0;
  std::size_t blocks_written = 0;  // writes answered GOOD
};

// Judges one run of p (run with keep_read_data). `expected` may be null.
integrity_verdict check_integrity(const program& p, const run_result& r,
                                  const canary_expectations* expected = nullptr);

}  // namespace touchstone::fuzz::net
