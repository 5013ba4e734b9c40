// A file LUN without a size takes the file's: a missing or empty file is
// refused, never created or served as an LU of no blocks.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "touchstone/target/instance.hpp"

using namespace touchstone::target;

namespace {

// A scratch folder of this test, removed at the end.
struct scratch {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("touchstone-file-lun-" + std::to_string(::getpid()));
  scratch() { std::filesystem::create_directories(dir); }
  ~scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("file LUN: a missing file without a size is refused and not created", "[target][config]") {
  scratch s;
  const auto path = (s.dir / "missing.img").string();
  auto l = parse_lun_option("file:" + path, 0);
  REQUIRE(l);
  auto lu = make_logical_unit(*l);
  REQUIRE_FALSE(lu);
  CHECK(lu.error().code == app_error_code::store_failed);
  CHECK(lu.error().message == path + " does not exist: give a size to create it (file:PATH,size=64MiB; "
                                     "\"size\" in a config)");
  CHECK_FALSE(std::filesystem::exists(path));
  auto read_only = make_logical_unit(*parse_lun_option("file:" + path + ",ro", 0));
  REQUIRE_FALSE(read_only);
  CHECK(read_only.error().message == path + " does not exist (a read-only LUN)");
}

TEST_CASE("file LUN: an empty file without a size is refused", "[target][config]") {
  scratch s;
  const auto path = (s.dir / "empty.img").string();
  std::ofstream(path).close();
  auto lu = make_logical_unit(*parse_lun_option("file:" + path, 0));
  REQUIRE_FALSE(lu);
  CHECK(lu.error().message.starts_with(path + " is empty: give a size"));
}

TEST_CASE("file LUN: a missing file with a size is created and reopened without one",
          "[target][config]") {
  scratch s;
  const auto path = (s.dir / "new.img").string();
  auto created = make_logical_unit(*parse_lun_option("file:" + path + ",size=1MiB", 0));
  REQUIRE(created);
  CHECK((*created)->block_count() == 2048);
  auto reopened = make_logical_unit(*parse_lun_option("file:" + path, 0));
  REQUIRE(reopened);
  CHECK((*reopened)->block_count() == 2048);
}
