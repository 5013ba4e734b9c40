// Mutants (mutant.hpp): the table, --mutant's parsing, and that a mutant is
// per node (off unless its config names it) and changes what the core sends.
// Which conformance cases kill each one: conformance/tests/mutant_kills_test.py.
#include <set>

#include "support.hpp"
#include "touchstone/target/mutant.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

// Two NOP-Out pings after a login: the StatSNs of their NOP-In echoes.
std::pair<std::uint32_t, std::uint32_t> ping_stat_sns(driver& d) {
  REQUIRE(status_of(login_normal(d)) == pdu::login_status::success);
  std::uint32_t sns[2] = {};
  for (std::uint32_t i = 0; i < 2; ++i) {
    auto s = d.feed(pdu::nop_out_builder().initiator_task_tag(70 + i).cmd_sn(1).immediate().build());
    REQUIRE(s.sent.size() == 1);
    sns[i] = pdu::nop_in_view(s.sent[0]).stat_sn();
  }
  return {sns[0], sns[1]};
}

target_config with_mutant(mutant_id id) {
  target_config c;
  c.mutants.set(static_cast<std::size_t>(id));
  return c;
}

}  // namespace

TEST_CASE("mutants: one row per id, in order, names unique and found", "[target][mutants]") {
  const auto rows = mutant_table();
  REQUIRE(rows.size() == static_cast<std::size_t>(mutant_id::count));
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(static_cast<std::size_t>(rows[i].id) == i);
    CHECK(names.insert(rows[i].name).second);
    CHECK(find_mutant(rows[i].name) == &rows[i]);
    // An RFC 7143 section or appendix (send-targets-name-ignored: appendix C), or
    // an SPC-4/SBC-3/SAM-5 clause (pr-type-ignored: spc4#5.13.1).
    const auto rule = rows[i].breaks;
    CHECK((rule.starts_with("rfc7143#section-") || rule.starts_with("rfc7143#appendix-") ||
           rule.starts_with("spc4#") || rule.starts_with("sbc3#") || rule.starts_with("sam5#")));
    CHECK(!rows[i].departs.empty());
  }
  CHECK(find_mutant("no-such-mutant") == nullptr);
}

TEST_CASE("mutants: --mutant names parse to a set, unknown names are refused", "[target][mutants]") {
  CHECK(parse_mutants({})->none());
  const auto unknown = parse_mutants({"statsn-skip", "no-such-mutant"});
  REQUIRE(!unknown);
  if (!mutants_compiled_in) {
    CHECK(unknown.error().find("not compiled in") != std::string::npos);
    CHECK(mutant_listing().find("not compiled in") != std::string::npos);
    return;
  }
  CHECK(unknown.error() == "unknown mutant 'no-such-mutant' (--list-mutants lists them)");
  const auto two = parse_mutants({"statsn-skip", "r2t-ttt-reserved"});
  REQUIRE(two);
  CHECK(two->count() == 2);
  CHECK(mutated(*two, m::statsn_skip));
  CHECK(mutated(*two, m::r2t_ttt_reserved));
  CHECK(!mutated(*two, m::nop_echo_unbounded));
  for (const auto& row : mutant_table()) CHECK(mutant_listing().find(row.name) != std::string::npos);
}

TEST_CASE("mutants: statsn-skip is per node and skips a StatSN per response", "[target][mutants]") {
  driver plain;
  const auto [first, second] = ping_stat_sns(plain);
  CHECK(second == first + 1);
  driver mutant(make_node(with_mutant(m::statsn_skip)));
  const auto [m_first, m_second] = ping_stat_sns(mutant);
  CHECK(m_second == m_first + (mutants_compiled_in ? 2 : 1));
}

TEST_CASE("mutants: nop-echo-unbounded echoes beyond the initiator's MRDSL", "[target][mutants]") {
  driver d(make_node(with_mutant(m::nop_echo_unbounded)));
  REQUIRE(status_of(login_normal(d, {{"MaxRecvDataSegmentLength", "512"}})) == pdu::login_status::success);
  const pdu::byte_buffer ping(1024, 0x5a);
  auto s = d.feed(pdu::nop_out_builder().initiator_task_tag(9).cmd_sn(1).immediate().data(ping).build());
  REQUIRE(s.sent.size() == 1);
  CHECK(s.sent[0].data.size() == (mutants_compiled_in ? 1024u : 512u));
}
