// The arrival order of overlapping I/O on one LU (range_tracker.hpp).
#include <catch2/catch.hpp>

#include "touchstone/scsi/range_tracker.hpp"

using touchstone::scsi::range_tracker;

TEST_CASE("range tracker: overlaps wait for older ranges, reads share", "[scsi][async][ranges]") {
  range_tracker<int> t;
  CHECK(t.add(1, 0, 8, true));      // write 0-7
  CHECK(t.add(2, 8, 8, true));      // write 8-15: no overlap
  CHECK_FALSE(t.add(3, 4, 1, false));  // read 4: behind write 1
  CHECK_FALSE(t.add(4, 4, 8, false));  // read 4-11: behind 1 and 2
  CHECK(t.add(5, 100, 1, false));
  CHECK(t.add(6, 100, 1, false));  // two reads overlap freely
  CHECK_FALSE(t.add(7, 100, 1, true));  // a write behind both reads
  CHECK(t.waiting() == 3);
  CHECK(t.would_wait(0, 1, false));
  CHECK_FALSE(t.would_wait(50, 1, true));
  CHECK(t.remove(1) == std::vector<int>{3});  // 4 still waits for 2
  CHECK(t.remove(2) == std::vector<int>{4});
  CHECK(t.remove(5).empty());
  CHECK(t.remove(6) == std::vector<int>{7});
  CHECK(t.remove(99).empty());  // unknown keys are ignored
  CHECK(t.waiting() == 0);
  CHECK(t.size() == 3);
}

TEST_CASE("range tracker: a waiting range blocks younger overlapping ones", "[scsi][async][ranges]") {
  range_tracker<int> t;
  CHECK(t.add(1, 0, 4, true));
  CHECK_FALSE(t.add(2, 2, 4, true));   // waits for 1
  CHECK_FALSE(t.add(3, 5, 1, false));  // does not overlap 1, but overlaps waiting 2
  CHECK(t.remove(1) == std::vector<int>{2});
  CHECK(t.remove(2) == std::vector<int>{3});
}
