// Builds session programs from a seeded PRNG: same seed, same options, same
// program. Logins (Normal, Discovery, scripted) with key offers drawn from
// pdu/keys.hpp, then Full Feature Phase steps from the pdu builders and a
// small CDB grammar, at boundary values now and then. Valid opcodes dominate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "touchstone/fuzz/phase.hpp"
#include "touchstone/fuzz/program.hpp"

namespace touchstone::fuzz {

// The mix: weights pick a step kind, percentages turn a twist on or off.
struct program_mix {
  // Login plan kinds.
  unsigned login_normal = 70;
  unsigned login_discovery = 10;
  unsigned login_scripted = 15;
  unsigned login_none = 5;
  unsigned offers_max = 6;      // key offers per login plan
  // Login plans with bad offers (out of range, boundary, wrong type, long,
  // repeated, keys an initiator may not offer); the rest offer legal values.
  unsigned bad_offer_pct = 15;
  // Full Feature Phase steps.
  unsigned scsi_command = 50;
  unsigned write_and_data_out = 12;  // a WRITE, then Data-Out answering its R2T
  unsigned nop_out = 8;
  unsigned task_mgmt = 6;
  unsigned text = 5;
  unsigned snack = 3;
  unsigned logout = 2;
  unsigned unknown_opcode = 2;
  // Twists, in percent.
  unsigned unknown_cdb_pct = 5;
  unsigned boundary_field_pct = 30;   // a CDB field at 0, 1, max, max-1, 2^n+-1, all ones
  unsigned disagree_pct = 10;         // R/W bits or EDTL disagree with the CDB
  unsigned immediate_data_pct = 40;   // a write carries its first bytes
  unsigned data_out_mutated_pct = 15; // a Data-Out's offset, length, DataSN or F bit off
  unsigned reserved_bits_pct = 3;
  unsigned ahs_pct = 3;
  unsigned as_written_pct = 3;
  unsigned wrong_digest_pct = 2;
  unsigned split_pct = 10;
  unsigned delay_pct = 2;
  unsigned no_wait_pct = 20;
};

struct generator_options {
  program_mix mix;
  std::size_t min_steps = 1;
  std::size_t max_steps = 24;  // clamped to fuzz::max_steps
  only_phase only = only_phase::any;  // --only-phase (phase.hpp)
};

class generator {
 public:
  explicit generator(std::uint64_t seed, generator_options options = {});

  program next();
  login_plan login();
  // Key offers for a login: drawn from the key table, in and out of range.
  pdu::text_pairs offers(bool discovery);
  // The Login Requests of a scripted login (stage and T/C bits, keys).
  std::vector<step> login_steps(const login_plan& plan);
  // One Full Feature Phase group (a command, or a write and its Data-Outs);
  // first_index is the index the group's first step will have, so tag
  // fields can name earlier steps (program.hpp, numbering::follow).
  std::vector<step> ffp_steps(std::size_t first_index);
  send_plan send();

  std::mt19937_64& engine() { return rng_; }
  const generator_options& options() const { return options_; }

 private:
  step scsi_command_step(std::size_t index);
  std::vector<step> write_group(std::size_t index);
  step task_mgmt_step(std::size_t index);
  step nop_out_step();
  step text_step();
  step snack_step(std::size_t index);
  step logout_step();
  step unknown_step();
  step login_step();  // one Login Request (--only-phase login's steps)
  void twist(step& s);

  std::mt19937_64 rng_;
  generator_options options_;
};

// Same seed, same program.
program generate(std::uint64_t seed, const generator_options& options = {});

// The BHS a fresh builder of this opcode writes (defaults, no numbers): the
// "legal value" the minimiser resets fields toward.
pdu::bhs_bytes fresh_bhs(std::uint8_t opcode);

}  // namespace touchstone::fuzz
