// A temporary file for file-store tests, removed at scope end.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

namespace touchstone::scsi::test {

struct temp_file {
  std::string path;
  temp_file() {
    std::string pattern = "/tmp/touchstone-scsi-XXXXXX";
    int fd = ::mkstemp(pattern.data());
    REQUIRE(fd >= 0);
    ::close(fd);
    path = pattern;
  }
  ~temp_file() { ::unlink(path.c_str()); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
};

}  // namespace touchstone::scsi::test
