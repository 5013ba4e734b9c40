// Writes the seeds of fuzz/target_program.cpp: every session program of a
// directory of JSON programs (corpus/netfuzz/, recorded from the conformance
// cases), or one JSON program (a touchstone-fuzz finding), in the binary
// form libFuzzer's inputs take, named after the JSON file without .json:
//   fuzz_target_program_seeds corpus/netfuzz corpus/target_program
// Exit codes: 0 written; 1 a program did not load; 2 usage.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "touchstone/fuzz/program_binary.hpp"
#include "touchstone/fuzz/program_json.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s JSON_DIR|JSON_FILE OUT_DIR\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> inputs;
  std::error_code ec;
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
  fs::create_directories(argv[2], ec);
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    const auto p = touchstone::fuzz::load_json(text);
    if (!p) {
      std::fprintf(stderr, "error: %s: %s\n", path.c_str(), p.error().message.c_str());
      return 1;
    }
    const auto bytes = touchstone::fuzz::save_binary(*p);
    std::ofstream out(fs::path(argv[2]) / path.stem(), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  std::printf("wrote %zu seeds into %s\n", inputs.size(), argv[2]);
  return 0;
}
