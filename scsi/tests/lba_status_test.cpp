// GET LBA STATUS: descriptors from the store's block status; with the file
// store they agree with the file's holes after UNMAP.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "sbc_support.hpp"
#include "temp_file.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

struct descriptor {
  std::uint64_t lba;
  std::uint32_t blocks;
  std::uint8_t status;
  friend bool operator==(const descriptor&, const descriptor&) = default;
};

std::vector<descriptor> parse(const byte_buffer& data) {
  REQUIRE(data.size() >= 8);
  REQUIRE(get_be32(&data[0]) == data.size() - 4);
  std::vector<descriptor> out;
  for (std::size_t at = 8; at + 16 <= data.size(); at += 16) {
    CHECK((data[at + 12] & 0xF0) == 0);
    CHECK(data[at + 13] == 0);
    out.push_back({get_be64(&data[at]), get_be32(&data[at + 8]), data[at + 12]});
  }
  return out;
}

constexpr std::uint8_t mapped = 0, deallocated = 1;

std::vector<descriptor> status_of(fixture& f, std::uint64_t lba, std::uint32_t descriptors) {
  auto r = f.run(get_lba_status_cdb(lba, 8 + 16 * descriptors));
  REQUIRE(r.status == status::good);
  return parse(r.data_in);
}

// The file's own view of block b: data (mapped) or hole (deallocated).
std::uint8_t file_state(int fd, std::uint64_t b, std::uint32_t bs) {
  const off_t at = static_cast<off_t>(b * bs);
  const off_t data = ::lseek(fd, at, SEEK_DATA);
  return data == at ? mapped : deallocated;
}

}  // namespace

TEST_CASE("GET LBA STATUS describes mapped and deallocated runs", "[scsi][lba_status]") {
  fixture f(make_memory_store(512, 1024));
  write_blocks(f, 0, byte_buffer(300 * 512, 'a'));
  REQUIRE(f.run(unmap_cdb(40), unmap_list({{10, 5}, {200, 100}})).status == status::good);
  auto d = status_of(f, 0, 16);
  // 200-299 unmapped and 300-1023 never written: one deallocated run.
  const std::vector<descriptor> want = {
      {0, 10, mapped}, {10, 5, deallocated}, {15, 185, mapped}, {200, 824, deallocated}};
  CHECK(d == want);
  // The first descriptor starts at the STARTING LBA, wherever that is in a run.
  CHECK(status_of(f, 12, 1) == std::vector<descriptor>{{12, 3, deallocated}});
  CHECK(status_of(f, 1023, 4) == std::vector<descriptor>{{1023, 1, deallocated}});
}

TEST_CASE("GET LBA STATUS: allocation length", "[scsi][lba_status]") {
  fixture f(make_memory_store(512, 64));
  write_blocks(f, 0, byte_buffer(512, 'a'));
  auto none = f.run(get_lba_status_cdb(0, 0));
  CHECK(none.status == status::good);
  CHECK(none.data_in.empty());
  // Room for one descriptor: exactly one, PARAMETER DATA LENGTH 20.
  auto one = f.run(get_lba_status_cdb(0, 24));
  CHECK(parse(one.data_in) == std::vector<descriptor>{{0, 1, mapped}});
  // Less than the header and a descriptor: cut at the allocation length.
  auto cut = f.run(get_lba_status_cdb(0, 16));
  REQUIRE(cut.data_in.size() == 16);
  CHECK(get_be32(&cut.data_in[0]) == 20);
  CHECK(get_be64(&cut.data_in[8]) == 0);
  // More room than runs: as many descriptors as the medium has runs.
  CHECK(status_of(f, 0, 100).size() == 2);
}

TEST_CASE("GET LBA STATUS past the last LBA: LBA OUT OF RANGE", "[scsi][lba_status]") {
  fixture f(make_memory_store(512, 64));
  for (std::uint64_t lba :
       {std::uint64_t{64}, std::uint64_t{65}, std::uint64_t{0x8000000000000000ULL},
        std::uint64_t{0xFFFFFFFFFFFFFFFFULL}})
    require_lba_out_of_range(f.run(get_lba_status_cdb(lba, 24)));
}

TEST_CASE("GET LBA STATUS splits runs longer than a descriptor can count", "[scsi][lba_status]") {
  const std::uint64_t blocks = (1ULL << 32) + 10;
  fixture f(std::make_shared<thick_store>(make_memory_store(512, blocks)));
  CHECK(status_of(f, 0, 4) ==
        std::vector<descriptor>{{0, 0xFFFFFFFFU, mapped}, {0xFFFFFFFFULL, 11, mapped}});
}

TEST_CASE("UNMAP and GET LBA STATUS agree with the file's holes", "[scsi][lba_status][unmap]") {
  constexpr std::uint32_t bs = 4096;
  constexpr std::uint64_t count = 256;
  temp_file tmp;
  auto opened = open_file_store({.path = tmp.path, .block_size = bs, .block_count = count});
  REQUIRE(opened.has_value());
  std::shared_ptr<block_store> store = std::move(opened.value());
  if (!store->thin_provisioned()) {
    WARN("the file system of /tmp cannot punch holes; nothing to compare");
    return;
  }
  fixture f(store);
  write_blocks(f, 0, pattern(64 * bs, 1));
  write_blocks(f, 100, pattern(10 * bs, 2));
  REQUIRE(f.run(unmap_cdb(56), unmap_list({{8, 8}, {32, 4}, {102, 3}})).status == status::good);
  // A deallocated block reads as zeros (LBPRZ=1).
  CHECK(read_blocks(f, 8, 8) == byte_buffer(8 * bs, 0));
  CHECK(read_blocks(f, 103, 1) == byte_buffer(bs, 0));

  const int fd = ::open(tmp.path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  std::uint64_t covered = 0;
  for (const auto& d : status_of(f, 0, 64)) {
    CHECK(d.lba == covered);
    for (std::uint64_t b = d.lba; b < d.lba + d.blocks; ++b) {
      INFO("block " << b);
      CHECK(d.status == file_state(fd, b, bs));
    }
    covered = d.lba + d.blocks;
  }
  CHECK(covered == count);
  // Where the file system reports holes at all, the unmapped ranges are holes.
  if (::lseek(fd, 0, SEEK_HOLE) < static_cast<off_t>(count * bs)) {
    CHECK(file_state(fd, 8, bs) == deallocated);
    CHECK(file_state(fd, 35, bs) == deallocated);
    CHECK(file_state(fd, 0, bs) == mapped);
    CHECK(file_state(fd, 16, bs) == mapped);
  }
  ::close(fd);
}
