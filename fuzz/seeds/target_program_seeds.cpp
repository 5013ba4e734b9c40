// Writes the seeds of fuzz/target_program.cpp: every session program or
// program group of a directory of JSON files (corpus/netfuzz/, recorded from
// the conformance cases), or one JSON file (a touchstone-fuzz finding), in
// the binary form libFuzzer's inputs take (a program TSP1, a group TSG1),
// named after the JSON file without .json:
//   fuzz_target_program_seeds corpus/netfuzz corpus/target_program
// or groups from group_generator, two of each kind (the first seeds whose
// group fits in 8 KiB), named group.<kind>.<seed>:
//   fuzz_target_program_seeds --groups corpus/target_program
// Exit codes: 0 written; 1 a program did not load; 2 usage.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "touchstone/fuzz/group_generator.hpp"
#include "touchstone/fuzz/program_group.hpp"
#include "touchstone/fuzz/program_group_binary.hpp"

namespace fs = std::filesystem;
using namespace touchstone::fuzz;

namespace {

void write(const fs::path& to, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(to, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

constexpr std::size_t max_seed_bytes = 8192;

// Short members, as the custom mutator generates them (custom_mutator.cpp).
int write_groups(const fs::path& dir) {
  generator_options o;
  o.max_steps = 12;
  std::size_t n = 0;
  for (const auto kind : {group_kind::reservations, group_kind::session_reinstatement,
                          group_kind::connection_reinstatement, group_kind::racing}) {
    // Two of each kind, the first seeds whose group fits in 8 KiB: a racing
    // group of long writes can pass libFuzzer's max_len (64 KiB) and be cut.
    std::size_t kept = 0;
    for (std::uint64_t seed = 1; seed <= 64 && kept < 2; ++seed) {
      const auto bytes = save_binary(group_generator(seed, o).next(kind));
      if (bytes.size() > max_seed_bytes) continue;
      write(dir / ("group." + std::string(name(kind)) + "." + std::to_string(seed)), bytes);
      ++kept, ++n;
    }
  }
  std::printf("wrote %zu group seeds into %s\n", n, dir.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s JSON_DIR|JSON_FILE OUT_DIR\n       %s --groups OUT_DIR\n", argv[0], argv[0]);
    return 2;
  }
  std::error_code ec;
  fs::create_directories(argv[2], ec);
  if (std::strcmp(argv[1], "--groups") == 0) return write_groups(argv[2]);
  std::vector<fs::path> inputs;
  if (fs::is_regular_file(argv[1], ec)) {
    inputs.push_back(argv[1]);
  } else {
    for (const auto& e : fs::directory_iterator(argv[1], ec))
      if (e.path().extension() == ".json") inputs.push_back(e.path());
  }
  if (ec || inputs.empty()) {
    std::fprintf(stderr, "error: no JSON programs in %s\n", argv[1]);
    return 2;
  }
  std::sort(inputs.begin(), inputs.end());
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    // A program file loads as a group of one, saved as its own TSP1 bytes.
    const auto g = load_group_json(text);
    if (!g) {
      std::fprintf(stderr, "error: %s: %s\n", path.c_str(), g.error().message.c_str());
      return 1;
    }
    write(fs::path(argv[2]) / path.stem(), save_binary(*g));
  }
  std::printf("wrote %zu seeds into %s\n", inputs.size(), argv[2]);
  return 0;
}
