// --strategy random-bhs: one normal login, then BHSs of random bytes sent as
// written, no AHS and no data segment; the same seed gives the same programs.
#include <catch2/catch.hpp>
#include <set>

#include "touchstone/fuzz/random_bhs.hpp"

using namespace touchstone;
using namespace touchstone::fuzz;

TEST_CASE("random-bhs programs: a login, then random BHSs as written", "[fuzz][program][random-bhs]") {
  random_bhs_generator a(3), b(3);
  std::set<std::uint8_t> opcodes;
  for (int i = 0; i < 100; ++i) {
    const auto p = a.next();
    CHECK(p == b.next());
    CHECK(p.login.kind == login_kind::normal);
    CHECK(p.login.offers.empty());
    REQUIRE_FALSE(p.steps.empty());
    CHECK(p.steps.size() <= 24);
    for (const auto& s : p.steps) {
      CHECK(s.pdu.ahs.empty());
      CHECK(s.pdu.data.empty());
      CHECK(s.send.numbers == numbering::as_written);
      opcodes.insert(static_cast<std::uint8_t>(s.pdu.bhs[0] & 0x3f));
    }
  }
  CHECK(opcodes.size() > 40);  // random opcodes, not a chosen few
}
