// device_server::submit on blocking stores: the store I/O leaves the
// caller's thread and the LU's lock, and what execute() guaranteed still
// holds: overlapping ranges in arrival order, FUA and WCE=0 writes synced
// before GOOD, SYNCHRONIZE CACHE after every acknowledged write, COMPARE AND
// WRITE atomic, ORDERED after everything older, errors as sense data.
#include "async_support.hpp"
#include "temp_file.hpp"

using namespace touchstone::scsi;
using namespace touchstone::scsi::test;

namespace {

constexpr std::uint8_t read10 = 0x28, write10 = 0x2A, sync10 = 0x35;
constexpr std::uint8_t fua = 0x08;

struct gated {
  std::shared_ptr<gate_store> store = std::make_shared<gate_store>(256);
  fixture f{store};
};

byte_buffer caw_cdb(std::uint64_t lba) {
  byte_buffer c(16, 0);
  c[0] = 0x89;
  put_be64(&c[2], lba);
  c[13] = 1;
  return c;
}

}  // namespace

TEST_CASE("submit: memory stores answer at once on the caller's thread", "[scsi][async]") {
  fixture f;
  auto w = submit(f, cdb10(write10, 1, 1, fua), pattern(512, 1));
  REQUIRE(w->now);
  CHECK(w->now->status == status::good);
  CHECK(w->completions == 0);
}

TEST_CASE("submit: a write held in the store keeps neither the caller nor other ranges waiting",
          "[scsi][async]") {
  gated g;
  g.store->close_gate();
  auto stuck = submit(g.f, cdb10(write10, 10, 2), pattern(1024, 1));
  CHECK_FALSE(stuck->now);
  REQUIRE(g.store->wait_for("w10"));
  // Another write elsewhere reaches the store meanwhile: both in flight.
  auto other = submit(g.f, cdb10(write10, 50, 1), pattern(512, 2));
  REQUIRE(g.store->wait_for("w50"));
  // A read of other blocks, and commands without I/O, are answered now.
  auto read_elsewhere = submit(g.f, cdb10(read10, 100, 1));
  CHECK(read_elsewhere->wait().status == status::good);
  auto tur = submit(g.f, byte_buffer(6, 0));
  REQUIRE(tur->now);
  CHECK(tur->now->status == status::good);
  CHECK_FALSE(stuck->answered());
  g.store->open_gate();
  CHECK(stuck->wait().status == status::good);
  CHECK(other->wait().status == status::good);
  CHECK(stuck->completions == 1);
}

TEST_CASE("submit: overlapping commands keep their arrival order", "[scsi][async]") {
  gated g;
  g.store->close_gate();
  auto first = submit(g.f, cdb10(write10, 20, 4), byte_buffer(4 * 512, 0xA1));
  REQUIRE(g.store->wait_for("w20"));
  auto read_back = submit(g.f, cdb10(read10, 22, 1));     // overlaps the first write
  auto second = submit(g.f, cdb10(write10, 22, 2), byte_buffer(2 * 512, 0xB2));  // overlaps both
  // Neither reaches the store while the first write is held.
  std::this_thread::sleep_for(50ms);
  CHECK(g.store->count("r22") == 0);
  CHECK(g.store->count("w22") == 0);
  CHECK_FALSE(read_back->answered());
  g.store->open_gate();
  auto r = read_back->wait();
  REQUIRE(r.status == status::good);
  CHECK(r.data_in == byte_buffer(512, 0xA1));  // the first write, not the second
  CHECK(second->wait().status == status::good);
  REQUIRE(first->wait().status == status::good);
  auto events = g.store->events();
  auto at = [&](const std::string& e) { return std::find(events.begin(), events.end(), e) - events.begin(); };
  CHECK(at("W20") < at("r22"));
  CHECK(at("r22") < at("w22"));
  auto now = g.f.run(cdb10(read10, 22, 2));
  CHECK(now.data_in == byte_buffer(2 * 512, 0xB2));
}

//= sbc3#4.13 type=test
//# WCE=0: every write is on the medium before GOOD; WCE=1: FUA=1 writes are
TEST_CASE("submit: FUA and WCE=0 writes are synced before GOOD", "[scsi][async]") {
  gated g;
  CHECK(submit(g.f, cdb10(write10, 1, 1, fua), pattern(512, 3))->wait().status == status::good);
  auto events = g.store->events();
  REQUIRE(events.size() == 3);
  CHECK(events == std::vector<std::string>{"w1", "W1", "s"});
  CHECK(submit(g.f, cdb10(write10, 2, 1), pattern(512, 3))->wait().status == status::good);
  CHECK(g.store->count("s") == 1);  // WCE=1, FUA=0: no sync
  g.f.lu->pages().set_wce(false);
  CHECK(submit(g.f, cdb10(write10, 3, 1), pattern(512, 3))->wait().status == status::good);
  CHECK(g.store->events().back() == "s");
}

//= sbc3#5.25 type=test
//# every write completed before the command is on the medium before GOOD
TEST_CASE("submit: SYNCHRONIZE CACHE follows every acknowledged write", "[scsi][async]") {
  gated g;
  for (std::uint32_t i = 0; i < 8; ++i)
    REQUIRE(submit(g.f, cdb10(write10, i, 1), pattern(512, 4))->wait().status == status::good);
  REQUIRE(submit(g.f, cdb10(sync10, 0, 0))->wait().status == status::good);
  auto events = g.store->events();
  CHECK(events.back() == "s");
  CHECK(std::count(events.begin(), events.end(), "s") == 1);
  // A write still in flight was not acknowledged: the sync does not wait for it.
  g.store->close_gate();
  auto held = submit(g.f, cdb10(write10, 40, 1), pattern(512, 5));
  REQUIRE(g.store->wait_for("w40"));
  CHECK(submit(g.f, cdb10(sync10, 0, 0))->wait().status == status::good);
  CHECK_FALSE(held->answered());
  g.store->open_gate();
  CHECK(held->wait().status == status::good);
}

//= sbc3#5.2 type=test
//# COMPARE AND WRITE: the compare and the write are one atomic operation
TEST_CASE("submit: COMPARE AND WRITE runs alone between overlapping writes", "[scsi][async]") {
  gated g;
  g.store->close_gate();
  auto before = submit(g.f, cdb10(write10, 30, 1), byte_buffer(512, 'A'));
  REQUIRE(g.store->wait_for("w30"));
  byte_buffer caw_data(512, 'A');
  caw_data.resize(1024, 'B');
  auto caw = submit(g.f, caw_cdb(30), caw_data);
  auto after = submit(g.f, cdb10(write10, 30, 1), byte_buffer(512, 'C'));
  std::this_thread::sleep_for(50ms);
  CHECK(g.store->count("r30") == 0);  // the compare waits for the write before it
  g.store->open_gate();
  CHECK(caw->wait().status == status::good);  // it compared against 'A'
  CHECK(before->wait().status == status::good);
  CHECK(after->wait().status == status::good);
  auto events = g.store->events();
  CHECK(events == std::vector<std::string>{"w30", "W30", "r30", "w30", "W30", "w30", "W30"});
  CHECK(g.f.run(cdb10(read10, 30, 1)).data_in == byte_buffer(512, 'C'));
}

//= sam5#8.6 type=test
//# ORDERED: after every older task, and before every younger one
TEST_CASE("submit: an ORDERED command waits for the I/O before it", "[scsi][async]") {
  gated g;
  g.store->close_gate();
  auto simple = submit(g.f, cdb10(write10, 5, 1), pattern(512, 6));
  REQUIRE(g.store->wait_for("w5"));
  auto ordered = submit(g.f, cdb10(write10, 90, 1), pattern(512, 7), task_attribute::ordered);
  auto younger = submit(g.f, byte_buffer(6, 0));  // TEST UNIT READY behind it
  std::this_thread::sleep_for(50ms);
  CHECK(g.store->count("w90") == 0);
  CHECK_FALSE(younger->answered());
  g.store->open_gate();
  CHECK(ordered->wait().status == status::good);
  CHECK(younger->wait().status == status::good);
  CHECK(simple->wait().status == status::good);
}

TEST_CASE("submit: a store error is answered as sense data through the completion", "[scsi][async]") {
  gated g;
  g.store->fail_writes(true);
  auto w = submit(g.f, cdb10(write10, 12, 2, fua), pattern(1024, 8));
  CHECK_FALSE(w->now);
  auto r = w->wait();
  auto s = sense_of(r);
  CHECK(s.key == sense_key::medium_error);
  CHECK(int{s.code.asc} == int{asc::write_error.asc});
  CHECK(s.information == 12);
  CHECK(r.data_out_length == 1024);
  CHECK(g.store->count("s") == 0);  // no sync after a failed write
}

TEST_CASE("submit on a file store, both backends: read after write in flight", "[scsi][async]") {
  for (auto [backend, inline_limit] : {std::pair{async_backend::io_uring, 0us},
                                       std::pair{async_backend::io_uring, 2000us},
                                       std::pair{async_backend::thread_pool, 0us},
                                       std::pair{async_backend::thread_pool, 2000us}}) {
    CAPTURE(name(backend), inline_limit.count());
    temp_file file;
    auto opened = open_file_store({.path = file.path, .block_size = 4096, .block_count = 64,
                                   .backend = backend, .threads = 4,
                                   .inline_write_limit = inline_limit});
    REQUIRE(opened);
    fixture f(std::shared_ptr<block_store>(std::move(*opened)));
    std::vector<std::unique_ptr<submitted>> calls;
    for (std::uint8_t i = 0; i < 16; ++i) {
      calls.push_back(submit(f, cdb10(write10, i % 4, 1, i % 3 == 0 ? fua : 0), byte_buffer(4096, i)));
      calls.push_back(submit(f, cdb10(read10, i % 4, 1)));
    }
    calls.push_back(submit(f, cdb10(sync10, 0, 0)));
    for (std::uint8_t i = 0; i < 16; ++i) {
      REQUIRE(calls[2 * i]->wait().status == status::good);
      auto r = calls[2 * i + 1]->wait();
      REQUIRE(r.status == status::good);
      CHECK(r.data_in == byte_buffer(4096, i));  // the write just before it, never a later one
    }
    CHECK(calls.back()->wait().status == status::good);
    for (auto& c : calls) CHECK(c->completions + (c->now ? 1 : 0) == 1);
  }
}

TEST_CASE("submit on a file store: a fast write is answered at once, a FUA write after its sync",
          "[scsi][async]") {
  temp_file file;
  auto opened = open_file_store({.path = file.path, .block_size = 4096, .block_count = 64,
                                 .inline_write_limit = std::chrono::microseconds(10s)});
  REQUIRE(opened);
  fixture f(std::shared_ptr<block_store>(std::move(*opened)));
  auto plain = submit(f, cdb10(write10, 3, 1), byte_buffer(4096, 0x5A));
  REQUIRE(plain->now);  // written on this thread: no trip to a store thread
  CHECK(plain->now->status == status::good);
  auto forced = submit(f, cdb10(write10, 3, 1, fua), byte_buffer(4096, 0x5B));
  CHECK_FALSE(forced->now);  // written here, synced on a store thread
  CHECK(forced->wait().status == status::good);
  CHECK(forced->completions == 1);
  auto back = submit(f, cdb10(read10, 3, 1));
  CHECK(back->wait().data_in == byte_buffer(4096, 0x5B));
}
