#include <catch2/catch.hpp>

#include <set>

#include "sample_pdus.hpp"
#include "test_util.hpp"

using namespace touchstone::pdu;

TEST_CASE("the sample stream holds one legal PDU of every type", "[pdu][samples]") {
  const auto pdus = test::sample_pdus();
  std::set<opcode> seen;
  for (const auto& p : pdus) {
    seen.insert(p.op());
    INFO("opcode " << name(p.op()));
    const auto vs = validate(p);
    for (const auto& v : vs) UNSCOPED_INFO(v.requirement);
    CHECK(vs.empty());
  }
  CHECK(seen.size() == 18);
}
