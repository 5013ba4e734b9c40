// Structure-aware mutation of session programs: steps inserted, deleted,
// duplicated, swapped; two programs spliced; one BHS field of one PDU set
// from the field table (boundary values, bit flips, random); a data segment
// resized or changed; the send plan or numbering changed; the login plan
// changed. Every result keeps the bounds of program.hpp. Seeded, deterministic.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

#include "touchstone/fuzz/generator.hpp"
#include "touchstone/fuzz/program.hpp"

namespace touchstone::fuzz {

enum class mutation : std::uint8_t {
  insert_step,
  delete_step,
  duplicate_step,
  swap_steps,
  bhs_field,
  data_segment,
  send_plan,
  numbering,
  login_plan,
};

std::string_view name(mutation m);

class mutator {
 public:
  explicit mutator(std::uint64_t seed, generator_options options = {});

  // One mutation in place; returns which kind it applied.
  mutation mutate(program& p);
  // A new program: a's login and a prefix of a's steps, then a suffix of b's.
  program crossover(const program& a, const program& b);

 private:
  bool insert_step(program& p);
  bool delete_step(program& p);
  bool duplicate_step(program& p);
  bool swap_steps(program& p);
  bool mutate_field(program& p);
  bool mutate_data(program& p);
  bool mutate_send(program& p);
  bool flip_numbering(program& p);
  bool mutate_login(program& p);

  generator gen_;  // fresh steps, offers and send plans; owns the engine
};

}  // namespace touchstone::fuzz
