// --only-phase: the generator and the mutator keep to the phase asked for
// (phase.hpp), and a normal run's logins mostly offer legal values.
#include <catch2/catch.hpp>

#include "touchstone/fuzz/generator.hpp"
#include "touchstone/fuzz/mutator.hpp"
#include "touchstone/fuzz/phase.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz;

namespace {

// Generated programs, and each mutated a few times, are of the phase.
void check_phase(only_phase ph) {
  generator_options o;
  o.only = ph;
  generator g(11, o);
  mutator m(12, o);
  for (int i = 0; i < 150; ++i) {
    auto p = g.next();
    INFO(name(ph) << " program " << i);
    REQUIRE(of_phase(p, ph));
    for (int k = 0; k < 4; ++k) {
      const auto kind = m.mutate(p);
      INFO("after " << name(kind));
      REQUIRE(of_phase(p, ph));
    }
    const auto q = g.next();
    REQUIRE(of_phase(m.crossover(p, q), ph));
  }
}

}  // namespace

TEST_CASE("only-phase: programs and their mutants keep to the phase", "[fuzz][program][phase]") {
  for (const auto ph : {only_phase::login, only_phase::ffp, only_phase::discovery}) check_phase(ph);
}

TEST_CASE("only-phase: the phases' programs are told apart", "[fuzz][program][phase]") {
  // The check itself can fail: a default run's programs are not all of one phase.
  generator g(5);
  std::size_t login = 0, ffp = 0, discovery = 0;
  for (int i = 0; i < 200; ++i) {
    const auto p = g.next();
    login += of_phase(p, only_phase::login);
    ffp += of_phase(p, only_phase::ffp);
    discovery += of_phase(p, only_phase::discovery);
    CHECK(of_phase(p, only_phase::any));
  }
  CHECK(login > 0);
  CHECK(login < 200);
  CHECK(ffp > 0);
  CHECK(ffp < 200);
  CHECK(discovery > 0);
  CHECK(discovery < 200);
  only_phase parsed = only_phase::any;
  CHECK(parse_phase("discovery", parsed));
  CHECK(parsed == only_phase::discovery);
  CHECK_FALSE(parse_phase("ffp2", parsed));
}

TEST_CASE("most login plans offer only legal values", "[fuzz][program][phase]") {
  // The FFP stays reachable: bad offers are a minority (bad_offer_pct of
  // the plans), and every other offer is a key an initiator may offer at
  // login with a value in range (RFC 7143 section 13).
  generator g(21);
  int legal = 0, plans = 0;
  for (int i = 0; i < 400; ++i) {
    const auto l = g.login();
    if (l.offers.empty()) continue;
    ++plans;
    bool all = true;
    for (const auto& kv : l.offers) all = all && legal_offer(kv);
    legal += all;
  }
  CHECK(legal * 100 >= plans * 75);
  CHECK(legal < plans);  // bad offers remain
  //= rfc7143#section-13.12 type=test
  //# MaxRecvDataSegmentLength=<numerical-value-512-to-(2**24 - 1)>
  CHECK(legal_offer({"MaxRecvDataSegmentLength", "16777215"}));
  CHECK_FALSE(legal_offer({"MaxRecvDataSegmentLength", "16777216"}));
  CHECK_FALSE(legal_offer({"OFMarker", "No"}));
  CHECK_FALSE(legal_offer({"TargetAlias", "x"}));
}
