// A small CDB grammar for the generator: the SPC-4/SBC-3 commands the target
// knows, plus unknown opcodes, with fields at sane or boundary values.
#pragma once

#include <cstdint>

#include "pick.hpp"
#include "touchstone/fuzz/generator.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz {

// The generator assumes 512-byte blocks when it turns a transfer length into
// an Expected Data Transfer Length (a disagreement on other targets is fine).
inline constexpr std::uint32_t assumed_block_size = 512;

struct cdb_choice {
  pdu::byte_buffer cdb;
  bool read = false;   // the command moves data to the initiator
  bool write = false;  // the command moves data to the target
  std::uint32_t transfer_bytes = 0;  // what the CDB asks to move
};

cdb_choice pick_cdb(rng& r, const program_mix& mix);
// A write command only (WRITE 6/10/16, PERSISTENT RESERVE OUT).
cdb_choice pick_write_cdb(rng& r, const program_mix& mix);

}  // namespace touchstone::fuzz
