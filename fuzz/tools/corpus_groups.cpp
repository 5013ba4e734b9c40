// The corpus's program groups: kept, written beside the programs (the
// group JSON, program_group.hpp), picked by the rarity of what they reached.
#include <fstream>

#include "corpus.hpp"

namespace touchstone::fuzz::tool {

bool corpus::add_group(program_group g, std::vector<net::transition> reached, const std::filesystem::path& dir,
                       std::string& why) {
  if (groups_.size() >= max_groups) return true;
  if (!dir.empty()) {
    const auto text = save_json(g);
    std::ofstream out(dir / corpus_file_name(text), std::ios::binary);
    out << text;
    if (!out) {
      why = "cannot write a program group into " + dir.string();
      return false;
    }
  }
  groups_.push_back({std::move(g), std::move(reached)});
  return true;
}

// Weighed at every pick: groups are few (max_groups) and picked at the
// --multi-rate only.
const group_entry* corpus::pick_group(std::mt19937_64& rng, const net::state_graph& graph) const {
  if (groups_.empty()) return nullptr;
  std::vector<double> weights;
  weights.reserve(groups_.size());
  for (const auto& e : groups_) weights.push_back(e.reached.empty() ? 1.0 : graph.rarity(e.reached));
  std::discrete_distribution<std::size_t> choose(weights.begin(), weights.end());
  return &groups_[choose(rng)];
}

}  // namespace touchstone::fuzz::tool
