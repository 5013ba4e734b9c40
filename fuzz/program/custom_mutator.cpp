// libFuzzer's custom-mutator hooks on session programs (custom_mutator.hpp).
#include "touchstone/fuzz/custom_mutator.hpp"

#include <algorithm>

#include "touchstone/fuzz/mutator.hpp"
#include "touchstone/fuzz/program_binary.hpp"

namespace touchstone::fuzz {
namespace {

// Generated programs stay short: libFuzzer's inputs grow by mutation, and a
// short program runs fast.
generator_options fuzz_options() {
  generator_options o;
  o.max_steps = 12;
  return o;
}

program parsed_or_generated(const std::uint8_t* data, std::size_t size, std::uint64_t seed) {
  if (auto p = program_from_input(data, size)) return std::move(*p);
  return generate(seed, fuzz_options());
}

}  // namespace

std::optional<program> program_from_input(const std::uint8_t* data, std::size_t size) {
  if (auto p = load_binary(std::span<const std::uint8_t>(data, size))) return std::move(*p);
  return std::nullopt;
}

std::size_t write_program(const program& p, std::uint8_t* data, std::size_t max_size) {
  auto bytes = save_binary(p);
  if (bytes.size() > max_size) {
    program cut = p;
    while (bytes.size() > max_size && !cut.steps.empty()) {
      cut.steps.pop_back();
      bytes = save_binary(cut);
    }
    if (bytes.size() > max_size) {
      cut.login.offers.clear();
      bytes = save_binary(cut);
    }
    if (bytes.size() > max_size) return 0;
  }
  std::copy(bytes.begin(), bytes.end(), data);
  return bytes.size();
}

std::size_t custom_mutate(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed) {
  program p = parsed_or_generated(data, size, seed);
  mutator m(seed, fuzz_options());
  // One mutation most of the time, up to four (libFuzzer stacks its own too).
  const unsigned rounds = 1 + (seed >> 8) % 4;
  for (unsigned i = 0; i < rounds; ++i) m.mutate(p);
  const auto written = write_program(p, data, max_size);
  if (written != 0) return written;
  // No program fits: the input stays as it was; libFuzzer wants a non-empty
  // unit, so an empty one becomes a single byte (which holds no program).
  if (size == 0 && max_size > 0) {
    data[0] = 0;
    return 1;
  }
  return std::min(size, max_size);
}

std::size_t custom_crossover(const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b,
                             std::size_t b_size, std::uint8_t* out, std::size_t max_size,
                             unsigned seed) {
  const program pa = parsed_or_generated(a, a_size, seed);
  const program pb = parsed_or_generated(b, b_size, seed ^ 0x9e3779b9u);
  mutator m(seed, fuzz_options());
  return write_program(m.crossover(pa, pb), out, max_size);
}

}  // namespace touchstone::fuzz
