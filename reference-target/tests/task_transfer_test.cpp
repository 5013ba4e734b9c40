// The data-transfer engine of one task, without a connection: R2T generation
// and Data-Out bursts (task_transfer.hpp), Data-In sequencing
// (data_in_sequence.hpp).
#include <catch2/catch.hpp>

#include <vector>

#include "touchstone/target/data_in_sequence.hpp"
#include "touchstone/target/task_transfer.hpp"

using namespace touchstone;
using namespace touchstone::target;

namespace {

// Every byte of burst `b` in one Data-Out with the F bit; whether it was whole.
bool fill(task_transfer& x, burst_cursor& b) {
  const auto length = static_cast<std::uint32_t>(b.end - b.start);
  const auto f = x.fit(b, b.start, length);
  CHECK(f.expected_offset == b.start);
  CHECK_FALSE(f.beyond_burst);
  x.take(b, f, true);
  return x.end_burst(b);
}

}  // namespace

TEST_CASE("task_transfer: R2Ts ask for a write in MaxBurstLength bursts, MaxOutstandingR2T at a time",
          "[target][task_transfer]") {
  task_transfer x;
  x.start_write(10000, 0, false, 65536);
  CHECK_FALSE(x.all_asked());
  const auto first = x.next_r2t(2, 4096);
  REQUIRE(first);
  CHECK(first->offset == 0);
  CHECK(first->length == 4096);
  const auto& r0 = x.open_r2t(*first, 7, *first);
  CHECK(r0.r2t_sn == 0);
  CHECK(r0.ttt == 7);
  const auto second = x.next_r2t(2, 4096);
  REQUIRE(second);
  CHECK(second->offset == 4096);
  CHECK(x.open_r2t(*second, 8, *second).r2t_sn == 1);
  CHECK_FALSE(x.next_r2t(2, 4096));  // two outstanding
  burst_cursor* b = x.burst(7);
  REQUIRE(b != nullptr);
  CHECK(fill(x, *b));
  CHECK(x.burst(7) == nullptr);  // answered: the tag is stale
  const auto third = x.next_r2t(2, 4096);
  REQUIRE(third);
  CHECK(third->offset == 8192);
  CHECK(third->length == 1808);  // the rest of the EDTL
  x.open_r2t(*third, 9, *third);
  CHECK(x.all_asked());
  CHECK(x.received() == 4096);
}

TEST_CASE("task_transfer: the unsolicited burst is a cursor like an R2T's, after the immediate data",
          "[target][task_transfer]") {
  task_transfer x;
  x.start_write(8192, 1024, true, 4096);
  CHECK(x.unsolicited_open());
  CHECK(x.unsolicited_end() == 4096);
  CHECK_FALSE(x.next_r2t(1, 65536));  // none while the unsolicited burst is open
  burst_cursor* b = x.burst(pdu::reserved_tag);
  REQUIRE(b != nullptr);
  CHECK_FALSE(b->solicited);
  const auto f = x.fit(*b, 1024, 1000);
  CHECK(f.expected_offset == 1024);
  CHECK(f.expected_data_sn == 0);
  x.take(*b, f, true);
  const auto g = x.fit(*b, 2024, 2072);
  CHECK(g.expected_offset == 2024);
  CHECK(g.expected_data_sn == 1);
  x.take(*b, g, true);
  CHECK(x.end_burst(*b));
  CHECK_FALSE(x.unsolicited_open());
  CHECK(x.burst(pdu::reserved_tag) == nullptr);
  CHECK(x.received() == 4096);
  const auto ask = x.next_r2t(1, 65536);
  REQUIRE(ask);
  CHECK(ask->offset == 4096);
  CHECK(ask->length == 4096);
}

TEST_CASE("task_transfer: a short burst is reported, an unsolicited one within FirstBurstLength is not",
          "[target][task_transfer]") {
  SECTION("EDTL beyond FirstBurstLength: the unsolicited data must fill it") {
    task_transfer x;
    x.start_write(8192, 0, true, 4096);
    burst_cursor* b = x.burst(pdu::reserved_tag);
    REQUIRE(b != nullptr);
    x.take(*b, x.fit(*b, 0, 1024), true);
    CHECK_FALSE(x.end_burst(*b));
  }
  SECTION("EDTL within FirstBurstLength: R2Ts ask for the rest from where it ended") {
    task_transfer x;
    x.start_write(3000, 0, true, 4096);
    burst_cursor* b = x.burst(pdu::reserved_tag);
    REQUIRE(b != nullptr);
    x.take(*b, x.fit(*b, 0, 1000), true);
    CHECK(x.end_burst(*b));
    const auto ask = x.next_r2t(1, 65536);
    REQUIRE(ask);
    CHECK(ask->offset == 1000);
    CHECK(ask->length == 2000);
  }
  SECTION("an R2T's burst answered short") {
    task_transfer x;
    x.start_write(4096, 0, false, 65536);
    const auto ask = x.next_r2t(1, 65536);
    REQUIRE(ask);
    x.open_r2t(*ask, 1, *ask);
    burst_cursor* b = x.burst(1);
    REQUIRE(b != nullptr);
    x.take(*b, x.fit(*b, 0, 512), true);
    CHECK_FALSE(x.end_burst(*b));
  }
}

TEST_CASE("task_transfer: a Data-Out beyond its burst is found and only its bytes within are counted",
          "[target][task_transfer]") {
  task_transfer x;
  x.start_write(4096, 0, false, 65536);
  const auto ask = x.next_r2t(1, 2048);
  REQUIRE(ask);
  x.open_r2t(*ask, 3, *ask);
  burst_cursor* b = x.burst(3);
  REQUIRE(b != nullptr);
  const auto f = x.fit(*b, 1024, 2048);
  CHECK(f.beyond_burst);
  CHECK(f.accepted == 1024);
  CHECK(x.fit(*b, 4096, 16).accepted == 0);
}

TEST_CASE("task_transfer: an unknown TTT has no burst, nor has 0xffffffff without unsolicited data",
          "[target][task_transfer]") {
  task_transfer x;
  x.start_write(4096, 4096, false, 65536);  // all of it immediate
  CHECK(x.burst(pdu::reserved_tag) == nullptr);
  CHECK(x.burst(5) == nullptr);
  CHECK(x.all_asked());
  CHECK_FALSE(x.bursts_open());
}

TEST_CASE("task_transfer: after ask_no_more no R2T is asked for, the open ones still end",
          "[target][task_transfer]") {
  task_transfer x;
  x.start_write(65536, 0, false, 65536);
  const auto ask = x.next_r2t(1, 8192);
  REQUIRE(ask);
  x.open_r2t(*ask, 1, *ask);
  x.ask_no_more();
  CHECK(x.r2ts_open());
  burst_cursor* b = x.burst(1);
  REQUIRE(b != nullptr);
  CHECK(fill(x, *b));
  CHECK_FALSE(x.next_r2t(4, 8192));
  CHECK_FALSE(x.bursts_open());
}

TEST_CASE("data_in_sequence: DataSN, offsets and F bits by segment and burst", "[target][task_transfer]") {
  data_in_sequence s(10000, 4096, 6000);
  CHECK(s.count() == 3);
  std::vector<data_in_chunk> chunks;
  for (int i = 0; i < 10 && !s.done(); ++i) chunks.push_back(s.next());
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[0].offset == 0);
  CHECK(chunks[0].length == 4096);
  CHECK_FALSE(chunks[0].end_of_sequence);
  CHECK(chunks[1].offset == 4096);
  CHECK(chunks[1].length == 1904);  // the burst of 6000 ends here
  CHECK(chunks[1].end_of_sequence);
  CHECK(chunks[2].offset == 6000);
  CHECK(chunks[2].data_sn == 2);
  CHECK(chunks[2].end_of_sequence);
  CHECK(chunks[2].last);
}

TEST_CASE("data_in_sequence: rewind_to a DataSN gives that PDU's chunk again, and those after it",
          "[target][task_transfer]") {
  struct shape {
    std::size_t size;
    std::uint32_t segment;
    std::uint32_t burst;
  };
  const shape shapes[] = {{10000, 4096, 6000}, {65536, 512, 512}, {100000, 8192, 262144}, {7, 512, 1024},
                          {20000, 3000, 7000}};
  for (const auto& sh : shapes) {
    data_in_sequence all(sh.size, sh.segment, sh.burst);
    std::vector<data_in_chunk> chunks;
    for (std::uint32_t i = 0; i < 1000 && !all.done(); ++i) chunks.push_back(all.next());
    REQUIRE(chunks.size() == all.count());
    for (std::uint32_t k = 0; k < chunks.size(); ++k) {
      data_in_sequence again(sh.size, sh.segment, sh.burst);
      again.rewind_to(k);
      for (std::uint32_t i = k; i < chunks.size(); ++i) {
        REQUIRE_FALSE(again.done());
        const auto c = again.next();
        CHECK(c.offset == chunks[i].offset);
        CHECK(c.length == chunks[i].length);
        CHECK(c.data_sn == chunks[i].data_sn);
        CHECK(c.end_of_sequence == chunks[i].end_of_sequence);
      }
      CHECK(again.done());
    }
  }
}
