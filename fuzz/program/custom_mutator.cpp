// libFuzzer's custom-mutator hooks on session programs and groups
// (custom_mutator.hpp).
#include "touchstone/fuzz/custom_mutator.hpp"

#include <algorithm>

#include "pick.hpp"
#include "touchstone/fuzz/group_generator.hpp"
#include "touchstone/fuzz/mutator.hpp"
#include "touchstone/fuzz/program_binary.hpp"
#include "touchstone/fuzz/program_group_binary.hpp"

namespace touchstone::fuzz {
namespace {

// Generated programs stay short: libFuzzer's inputs grow by mutation, and a
// short program runs fast.
generator_options fuzz_options() {
  generator_options o;
  o.max_steps = 12;
  return o;
}

program_group parsed_or_generated(const std::uint8_t* data, std::size_t size, std::uint64_t seed) {
  if (auto g = group_from_input(data, size)) return std::move(*g);
  return program_group{{generate(seed, fuzz_options())}, {}, {}};
}

unsigned group_rate = 0;  // set_group_rate_percent

// A choice of its own from the seed (splitmix64's finaliser), so the
// mutations a program got before groups existed stay those of the same seed.
bool becomes_group(unsigned seed) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return (z ^ (z >> 31)) % 100 < group_rate;
}

std::size_t write_bytes(const std::vector<std::uint8_t>& bytes, std::uint8_t* data, std::size_t max_size) {
  if (bytes.size() > max_size) return 0;
  std::copy(bytes.begin(), bytes.end(), data);
  return bytes.size();
}

// The member with the most steps, to cut from; none when no member has any.
program* longest(program_group& g) {
  program* best = nullptr;
  for (auto& p : g.sessions)
    if (!p.steps.empty() && (!best || p.steps.size() > best->steps.size())) best = &p;
  return best;
}

}  // namespace

void set_group_rate_percent(unsigned percent) { group_rate = std::min(percent, 100u); }
unsigned group_rate_percent() { return group_rate; }

std::optional<program> program_from_input(const std::uint8_t* data, std::size_t size) {
  if (auto p = load_binary(std::span<const std::uint8_t>(data, size))) return std::move(*p);
  return std::nullopt;
}

std::optional<program_group> group_from_input(const std::uint8_t* data, std::size_t size) {
  if (auto g = load_group_binary(std::span<const std::uint8_t>(data, size))) return std::move(*g);
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
  }
  return write_bytes(bytes, data, max_size);
}

std::size_t write_group(const program_group& g, std::uint8_t* data, std::size_t max_size) {
  if (g.sessions.size() == 1) return write_program(g.sessions.front(), data, max_size);
  auto bytes = save_binary(g);
  if (bytes.size() <= max_size) return write_bytes(bytes, data, max_size);
  program_group cut = g;
  while (bytes.size() > max_size && cut.sessions.size() > 1) {
    if (auto* p = longest(cut)) {
      p->steps.pop_back();
    } else {
      cut.sessions.pop_back();
      clamp_to_bounds(cut);  // the schedule and tsih_from follow
    }
    if (cut.sessions.size() == 1) return write_program(cut.sessions.front(), data, max_size);
    bytes = save_binary(cut);
  }
  return write_bytes(bytes, data, max_size);
}

std::size_t custom_mutate(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed) {
  program_group g = parsed_or_generated(data, size, seed);
  // One mutation most of the time, up to four (libFuzzer stacks its own too).
  const unsigned rounds = 1 + (seed >> 8) % 4;
  if (g.sessions.size() > 1) {
    group_mutator m(seed, fuzz_options());
    for (unsigned i = 0; i < rounds; ++i) m.mutate(g);
  } else if (becomes_group(seed)) {
    g = group_generator(seed, fuzz_options()).next();
  } else {
    mutator m(seed, fuzz_options());
    for (unsigned i = 0; i < rounds; ++i) m.mutate(g.sessions.front());
  }
  const auto written = write_group(g, data, max_size);
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
  program_group ga = parsed_or_generated(a, a_size, seed);
  program_group gb = parsed_or_generated(b, b_size, seed ^ 0x9e3779b9u);
  mutator m(seed, fuzz_options());
  if (ga.sessions.size() == 1 && gb.sessions.size() == 1)
    return write_program(m.crossover(ga.sessions.front(), gb.sessions.front()), out, max_size);
  if (ga.sessions.size() == 1) std::swap(ga, gb);
  rng r(seed);
  auto& mine = ga.sessions[uniform(r, 0, ga.sessions.size() - 1)];
  mine = m.crossover(mine, gb.sessions[uniform(r, 0, gb.sessions.size() - 1)]);
  clamp_to_bounds(ga);
  return write_group(ga, out, max_size);
}

}  // namespace touchstone::fuzz
