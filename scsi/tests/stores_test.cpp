// Backing stores: memory, file, null, fault and recording wrappers.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "touchstone/scsi/block_store.hpp"

using namespace touchstone::scsi;

namespace {

byte_buffer fill(std::size_t n, std::uint8_t v) { return byte_buffer(n, v); }

struct temp_path {
  std::string path;
  temp_path() {
    char name[] = "/tmp/touchstone-store-XXXXXX";
    int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
  }
  ~temp_path() { std::remove(path.c_str()); }
};

void exercise(block_store& s) {
  const auto bs = s.block_size();
  byte_buffer out(2 * bs, 0xFF);
  REQUIRE(s.read(3, out));
  CHECK(out == fill(2 * bs, 0));
  REQUIRE(s.write(3, fill(2 * bs, 0x5A)));
  REQUIRE(s.read(3, out));
  CHECK(out == fill(2 * bs, 0x5A));
  REQUIRE(s.sync());
  auto r = s.read(s.block_count() - 1, out);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == store_errc::out_of_range);
  auto odd = s.write(0, fill(bs - 1, 1));
  REQUIRE_FALSE(odd);
  CHECK(odd.error().code == store_errc::bad_length);
}

void exercise_thin(block_store& s) {
  const auto bs = s.block_size();
  REQUIRE(s.thin_provisioned());
  auto st = s.block_status(0);
  REQUIRE(st);
  CHECK(st->state == block_state::deallocated);
  CHECK(st->count == s.block_count());
  // Map blocks [16, 48): big enough to be whole file system blocks at 4096.
  const std::uint64_t per = 4096 / bs;
  REQUIRE(s.write(16 * per, fill(32 * per * bs, 0x77)));
  st = s.block_status(0);
  REQUIRE(st);
  CHECK(st->state == block_state::deallocated);
  CHECK(st->count == 16 * per);
  st = s.block_status(16 * per);
  REQUIRE(st);
  CHECK(st->state == block_state::mapped);
  CHECK(st->count == 32 * per);
  REQUIRE(s.unmap(24 * per, 8 * per));
  st = s.block_status(24 * per);
  REQUIRE(st);
  CHECK(st->state == block_state::deallocated);
  CHECK(st->count == 8 * per);
  byte_buffer out(per * bs, 0xFF);
  REQUIRE(s.read(24 * per, out));
  CHECK(out == fill(per * bs, 0));  // LBPRZ
  REQUIRE(s.read(32 * per, out));
  CHECK(out == fill(per * bs, 0x77));
  CHECK_FALSE(s.block_status(s.block_count()));
}

}  // namespace

TEST_CASE("memory store: read, write, bounds, unmap, block status", "[scsi][store]") {
  for (std::uint32_t bs : {512U, 4096U}) {
    auto s = make_memory_store(bs, 4096);
    CHECK(s->block_size() == bs);
    CHECK(s->block_count() == 4096);
    exercise(*s);
    auto t = make_memory_store(bs, 1024);
    exercise_thin(*t);
  }
}

TEST_CASE("memory store: an unmapped chunk frees and a write across chunks works", "[scsi][store]") {
  auto s = make_memory_store(512, 1024);
  byte_buffer data(300 * 512, 0x42);
  REQUIRE(s->write(100, data));  // spans chunks of 128 blocks
  byte_buffer out(300 * 512);
  REQUIRE(s->read(100, out));
  CHECK(out == data);
  REQUIRE(s->unmap(0, 1024));
  auto st = s->block_status(0);
  REQUIRE(st);
  CHECK(st->count == 1024);
  CHECK(st->state == block_state::deallocated);
}

TEST_CASE("file store: pread/pwrite, fdatasync, punch hole, SEEK_DATA", "[scsi][store]") {
  for (std::uint32_t bs : {512U, 4096U}) {
    temp_path p;
    auto s = open_file_store({.path = p.path, .block_size = bs, .block_count = 1024});
    REQUIRE(s);
    CHECK((*s)->block_count() == 1024);
    exercise(**s);
  }
  temp_path p;
  auto s = open_file_store({.path = p.path, .block_size = 512, .block_count = 4096});
  REQUIRE(s);
  if ((*s)->thin_provisioned()) exercise_thin(**s);
}

TEST_CASE("file store: size from the file, bad block size, missing file", "[scsi][store]") {
  temp_path p;
  {
    auto s = open_file_store({.path = p.path, .block_size = 512, .block_count = 10});
    REQUIRE(s);
    REQUIRE((*s)->write(9, fill(512, 9)));
  }
  auto again = open_file_store({.path = p.path, .block_size = 512});
  REQUIRE(again);
  CHECK((*again)->block_count() == 10);
  byte_buffer out(512);
  REQUIRE((*again)->read(9, out));
  CHECK(out == fill(512, 9));
  CHECK_FALSE(open_file_store({.path = p.path, .block_size = 1000}));
  auto missing = open_file_store({.path = "/nonexistent/dir/x", .block_size = 512, .block_count = 1});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().os_error != 0);
}

TEST_CASE("null store reads zeros and discards writes", "[scsi][store]") {
  auto s = make_null_store(512, 100);
  REQUIRE(s->write(0, fill(512, 1)));
  byte_buffer out(512, 0xFF);
  REQUIRE(s->read(0, out));
  CHECK(out == fill(512, 0));
  CHECK_FALSE(s->thin_provisioned());
  CHECK(s->block_status(5)->state == block_state::mapped);
}

TEST_CASE("fault store: nth I/O and LBA range fail with the failing LBA", "[scsi][store]") {
  auto f = std::make_shared<fault_store>(make_memory_store(512, 100));
  byte_buffer out(4 * 512);
  f->fail_nth_io(2);
  REQUIRE(f->read(0, out));
  auto r = f->read(10, out);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == store_errc::medium_error);
  CHECK(r.error().lba == 10);
  REQUIRE(f->read(10, out));  // once only
  f->fail_range(50, 5, io_direction::read);
  REQUIRE(f->write(48, out));  // writes unaffected
  r = f->read(48, out);
  REQUIRE_FALSE(r);
  CHECK(r.error().lba == 50);
  f->fail_sync(true);
  CHECK_FALSE(f->sync());
  f->clear();
  CHECK(f->read(48, out));
  CHECK(f->sync());
  f->set_latency(std::chrono::microseconds(1000));
  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(f->read(0, out));
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::microseconds(1000));
}

TEST_CASE("recording store counts unsynced writes", "[scsi][store]") {
  recording_store s(make_memory_store(512, 100));
  REQUIRE(s.write(0, fill(1024, 1)));
  REQUIRE(s.write(4, fill(512, 1)));
  CHECK(s.unsynced_writes() == 2);
  REQUIRE(s.sync());
  CHECK(s.unsynced_writes() == 0);
  CHECK(s.syncs() == 1);
  auto ev = s.events();
  REQUIRE(ev.size() == 3);
  CHECK(ev[0].op == recording_store::op::write);
  CHECK(ev[0].count == 2);
  CHECK(ev[2].op == recording_store::op::sync);
}
