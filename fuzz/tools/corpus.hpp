// The campaign's corpus: programs that reached a transition first, each with
// the transitions it reached; picked with weights by the rarity of those
// transitions (state_graph::rarity), so programs reaching rare states are
// run and mutated most. Loaded from and written to a directory of *.json
// session programs. Bounded: past max_entries a program is not kept.
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "touchstone/fuzz/net/transitions.hpp"
#include "touchstone/fuzz/program.hpp"
#include "touchstone/fuzz/program_group.hpp"

namespace touchstone::fuzz::tool {

struct corpus_entry {
  program prog;
  std::vector<net::transition> reached;  // empty for a program loaded, not yet run
};

// A program group (several sessions at once) kept (corpus_groups.cpp).
struct group_entry {
  program_group group;
  std::vector<net::transition> reached;
};

class corpus {
 public:
  static constexpr std::size_t max_entries = 4096;
  static constexpr std::size_t max_file_bytes = 1u << 20;  // larger files are skipped at load

  // Loads DIR/*.json (sorted by name); problems are appended one per file.
  std::size_t load(const std::filesystem::path& dir, std::vector<std::string>& problems);
  // Keeps p; writes it to dir (when not empty) as <16 hex digits>.json.
  bool add(program p, std::vector<net::transition> reached, const std::filesystem::path& dir, std::string& why);

  // A program by weight: rarity of its rarest transition (1 when not run yet).
  // The weights are recomputed when the corpus grew or every reweigh_every
  // picks (each recompute reads every entry's transitions: a pick must not
  // cost that much when thousands of programs are kept).
  static constexpr std::size_t reweigh_every = 64;
  const corpus_entry& pick(std::mt19937_64& rng, const net::state_graph& graph) const;
  // The entry a program came from learns what it reached when run.
  void learned(std::size_t index, std::vector<net::transition> reached);
  std::size_t last_picked() const { return last_; }

  // Program groups, kept apart from the programs (the campaign's group
  // sessions pick among them): at most max_groups, the same file naming.
  static constexpr std::size_t max_groups = 512;
  bool add_group(program_group g, std::vector<net::transition> reached, const std::filesystem::path& dir,
                 std::string& why);
  // By the rarity of what each reached (1 when not run yet); nullptr when none.
  const group_entry* pick_group(std::mt19937_64& rng, const net::state_graph& graph) const;
  std::size_t groups() const { return groups_.size(); }

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  const std::vector<corpus_entry>& entries() const { return entries_; }

 private:
  std::vector<corpus_entry> entries_;
  std::vector<group_entry> groups_;
  mutable std::size_t last_ = 0;
  mutable std::discrete_distribution<std::size_t> choose_;
  mutable std::size_t weighed_size_ = 0, picks_since_weighed_ = 0;
};

// A program file into a program; false with the reason (one line).
bool load_program(const std::filesystem::path& file, program& out, std::string& why);
// A group file, or a program file as a group of one (program_group.hpp).
bool load_group(const std::filesystem::path& file, program_group& out, std::string& why);
// The name a kept program or group is written under: FNV-1a of its JSON.
std::string corpus_file_name(const std::string& text);

}  // namespace touchstone::fuzz::tool
