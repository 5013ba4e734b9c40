// Every committed session program still loads: the reproducers of peer
// findings (corpus/findings/<peer>/) and the seeds (corpus/netfuzz/) are
// what docs/fuzzing.md tells people to --replay, so a format change that
// orphans them fails here, not in a user's hands.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "touchstone/fuzz/program_group.hpp"

using namespace touchstone::fuzz;
namespace fs = std::filesystem;

TEST_CASE("every program under corpus/findings and corpus/netfuzz loads", "[fuzz][program][corpus]") {
  std::size_t loaded = 0;
  for (const auto* folder : {"findings", "netfuzz"}) {
    const fs::path root = fs::path(TOUCHSTONE_CORPUS_DIR) / folder;
    REQUIRE(fs::is_directory(root));
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      const auto g = load_group_json(text.str());
      INFO(entry.path().string() << ": " << (g ? std::string() : g.error().message));
      CHECK(g);
      loaded += g ? 1 : 0;
    }
  }
  CHECK(loaded > 100);
}
