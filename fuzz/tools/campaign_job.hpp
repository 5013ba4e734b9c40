// One job of a campaign (--jobs): its own generator, mutator and choices;
// and a program group's run kept apart per connection. campaign.cpp runs
// the jobs.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "campaign.hpp"
#include "touchstone/fuzz/generator.hpp"
#include "touchstone/fuzz/group_generator.hpp"
#include "touchstone/fuzz/mutator.hpp"
#include "touchstone/fuzz/net/group_executor.hpp"
#include "touchstone/fuzz/random_bhs.hpp"

namespace touchstone::fuzz::tool {

// One job's own generator, mutator and choices. Job 0's seeds are the
// single-job run's (seed, seed+1, seed+2); job j adds j times a large odd
// constant, so each job draws its own programs.
struct job {
  job(const campaign_options& o, int index)
      : base(o.seed + static_cast<std::uint64_t>(index) * 0x9e3779b97f4a7c15ull),
        gen(base, options_of(o)), mut(base + 1, options_of(o)), rng(base + 2), bhs(base),
        groups(base + 3, options_of(o)), group_mut(base + 4, options_of(o)), multi_rng(base + 5) {}
  static generator_options options_of(const campaign_options& o) {
    generator_options g;
    g.only = o.only;
    return g;
  }
  std::uint64_t base;
  generator gen;
  mutator mut;
  std::mt19937_64 rng;
  random_bhs_generator bhs;
  std::optional<std::size_t> picked;
  // Program groups (--multi-rate), drawn apart so a run without them
  // draws the same programs as before.
  group_generator groups;
  group_mutator group_mut;
  std::mt19937_64 multi_rng;
  bool cleanup_due = false;  // the last group sent PR OUT: reservation_cleanup() next
};

// A program group's run as one (group_executor.hpp), with every session's
// connection kept apart for a finding's capture (the summary's traffic is
// one session's only).
net::run_result run_group_keeping(const program_group& g, const net::run_target& target, net::state_graph& graph,
                                  const net::run_options& run, std::vector<net::captured_connection>& traffic);

}  // namespace touchstone::fuzz::tool
