// The unit attention queue keeps state for a bounded number of I_T nexuses
// and forgets them in the order unit_attention.hpp gives: first those whose
// conditions a new nexus gets as well, then those with a condition a new
// nexus would not see, last those told everything; least recently used first.
#include <string>

#include "support.hpp"

using namespace touchstone::scsi;

namespace {

it_nexus port(int n) {
  return {"iqn.2024-01.test:i,i,0x" + std::to_string(100000 + n), "iqn.2024-01.test:t,t,0x1"};
}

// A nexus that ended a session: seen, told everything, then lost.
void departed(unit_attention_queue& q, const it_nexus& it) {
  q.touch(it);
  while (q.pop(it)) {
  }
  q.establish(it, unit_attention::it_nexus_loss);
}

}  // namespace

TEST_CASE("ua bound: below it nothing is forgotten", "[scsi][ua][bounded]") {
  unit_attention_queue q(true, 4);
  for (int i = 0; i < 4; ++i) departed(q, port(i));
  CHECK(q.tracked_nexuses() == 4);
  CHECK(q.forgotten() == 0);
  for (int i = 0; i < 4; ++i) CHECK(q.peek(port(i)) == unit_attention::it_nexus_loss);
}

TEST_CASE("ua bound: the least recently departed nexus goes first and returns as new",
          "[scsi][ua][bounded]") {
  unit_attention_queue q(true, 4);
  for (int i = 0; i < 6; ++i) departed(q, port(i));
  CHECK(q.tracked_nexuses() == 4);
  CHECK(q.forgotten() == 2);
  //= sam5#5.14 type=test
  //# a nexus the LU does not know sees POWER ON, RESET, OR BUS DEVICE RESET OCCURRED
  // (from memory: 29h/00h, the general form of the 29h/07h it was owed)
  q.touch(port(0));
  CHECK(q.pending(port(0)) == std::vector<unit_attention>{unit_attention::power_on_reset});
  // Port 2 was the oldest left when port 0 came back.
  CHECK_FALSE(q.peek(port(2)).has_value());
  CHECK(q.peek(port(5)) == unit_attention::it_nexus_loss);
}

TEST_CASE("ua bound: a nexus owed what a new one would not see goes after every other departed one",
          "[scsi][ua][bounded]") {
  unit_attention_queue q(true, 3);
  q.establish(port(0), unit_attention::mode_parameters_changed);  // oldest, but owed 2Ah/01h
  departed(q, port(1));
  departed(q, port(2));
  departed(q, port(3));  // forgets port 1
  departed(q, port(4));  // forgets port 2
  CHECK(q.peek(port(0)) == unit_attention::mode_parameters_changed);
  CHECK_FALSE(q.peek(port(1)).has_value());
  CHECK_FALSE(q.peek(port(2)).has_value());
  // Only when nothing else is left: with every nexus owed 2Ah/01h, the
  // least recently used of them goes.
  q.establish(port(3), unit_attention::mode_parameters_changed);
  q.establish(port(4), unit_attention::mode_parameters_changed);
  q.touch(port(5));
  CHECK(q.tracked_nexuses() == 3);
  CHECK_FALSE(q.peek(port(0)).has_value());
  CHECK(q.peek(port(4)) == unit_attention::it_nexus_loss);
}

TEST_CASE("ua bound: a live nexus told everything stays while departed ones go",
          "[scsi][ua][bounded]") {
  unit_attention_queue q(true, 2);
  q.touch(port(0));
  (void)q.pop(port(0));  // live, nothing pending: forgetting it would invent a 29h/00h
  for (int i = 1; i < 10; ++i) departed(q, port(i));
  CHECK(q.tracked_nexuses() == 2);
  q.touch(port(0));
  CHECK_FALSE(q.peek(port(0)).has_value());
  CHECK(q.peek(port(9)) == unit_attention::it_nexus_loss);
  // Past the bound with only live nexuses left, the least recently used goes.
  q.touch(port(10));
  (void)q.pop(port(10));
  q.touch(port(0));
  q.touch(port(11));
  CHECK(q.tracked_nexuses() == 2);
  CHECK(q.peek(port(0)) == std::nullopt);
  q.touch(port(10));
  CHECK(q.peek(port(10)) == unit_attention::power_on_reset);
}

TEST_CASE("ua bound: a lower bound forgets down to it", "[scsi][ua][bounded]") {
  unit_attention_queue q(true, 8);
  for (int i = 0; i < 8; ++i) departed(q, port(i));
  q.set_max_nexuses(3);
  CHECK(q.tracked_nexuses() == 3);
  CHECK(q.forgotten() == 5);
  CHECK(q.peek(port(7)) == unit_attention::it_nexus_loss);
  q.set_max_nexuses(0);  // at least one
  CHECK(q.max_nexuses() == 1);
  CHECK(q.tracked_nexuses() == 1);
}

TEST_CASE("ua bound: without POWER ON for new nexuses, one with nothing pending goes first",
          "[scsi][ua][bounded]") {
  unit_attention_queue q(false, 2);
  q.establish(port(0), unit_attention::it_nexus_loss);  // owed: a new nexus sees nothing
  q.touch(port(1));
  q.touch(port(2));  // forgets port 1, not port 0
  CHECK(q.peek(port(0)) == unit_attention::it_nexus_loss);
  CHECK(q.tracked_nexuses() == 2);
  CHECK(q.forgotten() == 1);
}

TEST_CASE("ua bound: the LU takes its bound from lu_config", "[scsi][ua][bounded]") {
  lu_config c;
  c.max_tracked_nexuses = 2;
  test::fixture f(make_memory_store(512, 8), c);
  for (int i = 0; i < 5; ++i) {
    f.lu->touch(port(i));
    f.server.it_nexus_lost(port(i));
  }
  CHECK(f.lu->tracked_nexuses() == 2);
  CHECK(f.lu->forgotten_nexuses() >= 3);
  f.lu->set_max_tracked_nexuses(1);
  CHECK(f.server.tracked_nexuses() == 1);
}
