// Every committed session program still loads: the reproducers of peer
// findings (corpus/findings/<peer>/) and the seeds (corpus/netfuzz/) are
// what docs/fuzzing.md tells people to --replay, so a format change that
// orphans them fails here, not in a user's hands.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "touchstone/fuzz/program_binary.hpp"
#include "touchstone/fuzz/program_group.hpp"
#include "touchstone/fuzz/program_json.hpp"

using namespace touchstone::fuzz;
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("every program under corpus/findings and corpus/netfuzz loads", "[fuzz][program][corpus]") {
  std::size_t loaded = 0;
  for (const auto* folder : {"findings", "netfuzz"}) {
    const fs::path root = fs::path(TOUCHSTONE_CORPUS_DIR) / folder;
    REQUIRE(fs::is_directory(root));
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
      const auto g = load_group_json(read_all(entry.path()));
      INFO(entry.path().string() << ": " << (g ? std::string() : g.error().message));
      CHECK(g);
      loaded += g ? 1 : 0;
    }
  }
  CHECK(loaded > 100);
}

// corpus/target_program/<name> is corpus/netfuzz/<name>.json in the binary
// form (fuzz_target_program_seeds corpus/netfuzz corpus/target_program): a
// seed that drifted from its JSON fails here.
TEST_CASE("corpus/target_program holds corpus/netfuzz's programs as written today", "[fuzz][program][corpus]") {
  const fs::path root(TOUCHSTONE_CORPUS_DIR);
  std::size_t compared = 0;
  for (const auto& entry : fs::directory_iterator(root / "netfuzz")) {
    if (entry.path().extension() != ".json") continue;
    const auto seed = root / "target_program" / entry.path().stem();
    INFO(entry.path().string());
    REQUIRE(fs::exists(seed));
    const auto p = load_json(read_all(entry.path()));
    REQUIRE(p);
    const auto want = save_binary(*p);
    const auto have = read_all(seed);
    CHECK(std::string(want.begin(), want.end()) == have);
    ++compared;
  }
  CHECK(compared > 40);
}
