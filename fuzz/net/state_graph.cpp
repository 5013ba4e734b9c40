// The state graph: bounded transition counts, rarity weights, DOT and JSON.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "touchstone/fuzz/net/transitions.hpp"

namespace touchstone::fuzz::net {

recorded state_graph::record(const transition& t) {
  ++total_;
  const auto key = t.key();
  if (const auto found = counts_.find(key); found != counts_.end()) {
    ++found->second;
    return recorded::seen_before;
  }
  // The map is keyed by what the target answers: a hostile target could
  // otherwise grow it without end.
  if (counts_.size() >= cap_) {
    ++overflow_;
    return recorded::overflow;
  }
  counts_.emplace(key, 1);
  return recorded::new_transition;
}

std::uint64_t state_graph::count(const transition& t) const {
  const auto found = counts_.find(t.key());
  return found == counts_.end() ? 0 : found->second;
}

double state_graph::rarity(const transition& t) const {
  const auto n = count(t);
  return n == 0 ? 1.0 : 1.0 / static_cast<double>(n);
}

double state_graph::rarity(const std::vector<transition>& reached) const {
  double best = 0;
  for (const auto& t : reached) best = std::max(best, rarity(t));
  return best;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> state_graph::sorted() const {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> all(counts_.begin(), counts_.end());
  std::sort(all.begin(), all.end());
  return all;
}

namespace {

// Labels are built from names and numbers; quotes and backslashes cannot
// occur, but a DOT string is escaped anyway.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void state_graph::write_dot(std::ostream& out) const {
  out << "digraph transitions {\n  rankdir=LR;\n";
  for (const auto& [key, n] : sorted()) {
    const auto t = transition::from_key(key);
    out << "  " << quoted(std::string(name(t.from))) << " -> " << quoted(describe(t.to))
        << " [label=" << quoted(describe(t.request) + " x" + std::to_string(n)) << "];\n";
  }
  out << "}\n";
}

void state_graph::write_json(std::ostream& out) const {
  auto list = nlohmann::json::array();
  for (const auto& [key, n] : sorted()) {
    const auto t = transition::from_key(key);
    list.push_back({{"phase", name(t.from)},
                    {"request", {{"opcode", t.request.opcode}, {"detail", t.request.detail}}},
                    {"answer",
                     {{"kind", name(t.to.kind)}, {"opcode", t.to.opcode}, {"code", t.to.code},
                      {"detail", t.to.detail}, {"asc", t.to.asc}, {"ascq", t.to.ascq}}},
                    {"count", n},
                    {"label", t.label()}});
  }
  const nlohmann::json doc{{"distinct", distinct()}, {"total", total_}, {"overflow", overflow_},
                           {"cap", cap_}, {"transitions", std::move(list)}};
  out << doc.dump(2) << "\n";
}

}  // namespace touchstone::fuzz::net
