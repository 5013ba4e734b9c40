// The corpus: load, keep and write session programs; pick by rarity.
#include "corpus.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "touchstone/fuzz/program_group.hpp"
#include "touchstone/fuzz/program_json.hpp"

namespace touchstone::fuzz::tool {
// FNV-1a of the program's JSON: a stable file name.
std::string corpus_file_name(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = digits[h & 0xf];
  return out + ".json";
}

namespace {

bool read_text(const std::filesystem::path& file, std::string& text, std::string& why) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) {
    why = file.string() + ": " + ec.message();
    return false;
  }
  if (size > max_program_json_bytes) {
    why = file.string() + ": " + std::to_string(size) + " bytes, larger than any program";
    return false;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  if (!in) {
    why = file.string() + ": cannot be read";
    return false;
  }
  text = std::move(out).str();
  return true;
}

}  // namespace

bool load_program(const std::filesystem::path& file, program& out, std::string& why) {
  std::string text;
  if (!read_text(file, text, why)) return false;
  auto loaded = load_json(text);
  if (!loaded) {
    why = file.string() + ": " + loaded.error().message;
    return false;
  }
  out = std::move(*loaded);
  return true;
}

bool load_group(const std::filesystem::path& file, program_group& out, std::string& why) {
  std::string text;
  if (!read_text(file, text, why)) return false;
  auto loaded = load_group_json(text);
  if (!loaded) {
    why = file.string() + ": " + loaded.error().message;
    return false;
  }
  out = std::move(*loaded);
  return true;
}

std::size_t corpus::load(const std::filesystem::path& dir, std::vector<std::string>& problems) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  if (ec) problems.push_back(dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::size_t loaded = 0;
  for (const auto& f : files) {
    if (entries_.size() >= max_entries) break;
    if (std::filesystem::file_size(f, ec) > max_file_bytes) continue;
    program_group g;
    std::string why;
    if (!load_group(f, g, why)) {
      problems.push_back(why);
      continue;
    }
    if (g.sessions.size() == 1) {
      entries_.push_back({std::move(g.sessions.front()), {}});
    } else if (groups_.size() < max_groups) {
      groups_.push_back({std::move(g), {}});
    }
    ++loaded;
  }
  return loaded;
}

bool corpus::add(program p, std::vector<net::transition> reached, const std::filesystem::path& dir, std::string& why) {
  if (entries_.size() >= max_entries) return true;
  if (!dir.empty()) {
    const auto text = save_json(p);
    std::ofstream out(dir / corpus_file_name(text), std::ios::binary);
    out << text;
    if (!out) {
      why = "cannot write a program into " + dir.string();
      return false;
    }
  }
  entries_.push_back({std::move(p), std::move(reached)});
  return true;
}

const corpus_entry& corpus::pick(std::mt19937_64& rng, const net::state_graph& graph) const {
  if (weighed_size_ != entries_.size() || ++picks_since_weighed_ >= reweigh_every) {
    std::vector<double> weights;
    weights.reserve(entries_.size());
    for (const auto& e : entries_) weights.push_back(e.reached.empty() ? 1.0 : graph.rarity(e.reached));
    choose_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    weighed_size_ = entries_.size();
    picks_since_weighed_ = 0;
  }
  last_ = choose_(rng);
  return entries_[last_];
}

void corpus::learned(std::size_t index, std::vector<net::transition> reached) {
  if (index < entries_.size() && entries_[index].reached.empty()) entries_[index].reached = std::move(reached);
}

}  // namespace touchstone::fuzz::tool
