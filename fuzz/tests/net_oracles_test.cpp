// The answer oracles on hand-built target PDU sequences: each rule broken
// once gives its departure with its requirement id, a good sequence none,
// and repeats are counted under the one id.
#include <catch2/catch.hpp>
#include <optional>

#include "touchstone/fuzz/net/oracles.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz::net;

namespace {

pdu::pdu response(std::uint32_t itt, std::uint32_t stat_sn, std::uint32_t exp = 1, std::uint32_t max = 8) {
  return pdu::scsi_response_builder{}
      .initiator_task_tag(itt).stat_sn(stat_sn).exp_cmd_sn(exp).max_cmd_sn(max).build();
}

pdu::pdu data_in(std::uint32_t itt, std::uint32_t data_sn, std::uint32_t offset, std::size_t bytes,
                 std::optional<std::uint32_t> stat_sn = std::nullopt) {
  pdu::data_in_builder b;
  b.initiator_task_tag(itt).data_sn(data_sn).buffer_offset(offset).exp_cmd_sn(1).max_cmd_sn(8);
  b.data(pdu::byte_buffer(bytes, 0x5a));
  if (stat_sn) b.final_bit(true).has_status().stat_sn(*stat_sn);
  return b.build();
}

pdu::pdu login_ok(std::uint32_t stat_sn) {
  return pdu::login_response_builder{}.stat_sn(stat_sn).exp_cmd_sn(1).max_cmd_sn(1).build();
}

}  // namespace

//= rfc7143#section-11.4.9 type=test
//# The StatSN is incremented by 1 for every
//# response/status sent on a connection
TEST_CASE("oracles: a good login and command and read show no departure", "[fuzz][net]") {
  answer_oracle o;
  CHECK(o.check(login_ok(100)) == 0);
  CHECK(o.check(response(1, 101)) == 0);
  CHECK(o.check(data_in(2, 0, 0, 512)) == 0);
  CHECK(o.check(data_in(2, 1, 512, 512, 102)) == 0);
  // The ITT may be used again by a new task: its DataSN starts at 0.
  CHECK(o.check(data_in(2, 0, 0, 512, 103)) == 0);
  CHECK(o.departures().empty());
}

TEST_CASE("oracles: a StatSN gap is a departure kept once with a count", "[fuzz][net]") {
  answer_oracle o;
  o.check(login_ok(100));
  CHECK(o.check(response(1, 102)) == 1);
  CHECK(o.check(response(2, 103)) == 0);  // continues from what was seen
  CHECK(o.check(response(3, 103)) == 1);  // repeated
  REQUIRE(o.departures().size() == 1);
  CHECK(o.departures()[0].requirement == requirement::stat_sn);
  CHECK(o.departures()[0].count == 2);
  CHECK(o.departures()[0].summary == "StatSN 102 where 101 was next");
}

TEST_CASE("oracles: StatSN wraps at 2^32 and a failed login's StatSN is not counted", "[fuzz][net]") {
  answer_oracle o;
  //= rfc7143#section-11.13.4 type=test
  //# This field is only valid if the Status-Class is 0.
  CHECK(o.check(pdu::login_response_builder{}.status(pdu::login_status::not_found).stat_sn(7).build()) == 0);
  CHECK(o.check(login_ok(0xffffffff)) == 0);
  CHECK(o.check(response(1, 0)) == 0);
  o.restart_stat_sn();  // after a SNACK an old StatSN may come again
  CHECK(o.check(response(1, 0)) == 0);
  CHECK(o.departures().empty());
}

//= rfc7143#section-4.2.2.1 type=test
//# The target MUST NOT transmit a MaxCmdSN that is less than ExpCmdSN - 1.
TEST_CASE("oracles: MaxCmdSN below ExpCmdSN - 1 is a departure in serial arithmetic", "[fuzz][net]") {
  answer_oracle o;
  CHECK(o.check(response(1, 1, 10, 9)) == 0);            // an empty window
  CHECK(o.check(response(2, 2, 0, 0xffffffff)) == 0);    // empty, across the wrap
  CHECK(o.check(response(3, 3, 10, 8)) == 1);
  CHECK(o.check(response(4, 4, 0, 0xfffffffe)) == 1);
  REQUIRE(o.departures().size() == 1);
  CHECK(o.departures()[0].requirement == requirement::window);
  CHECK(o.departures()[0].count == 2);
}

//= rfc7143#section-11.7.5 type=test
//# For input (read) or bidirectional Data-In PDUs, the DataSN is the
//# input PDU number within the data transfer for the command identified
//# by the Initiator Task Tag.
TEST_CASE("oracles: Data-In out of DataSN or offset order is a departure per rule", "[fuzz][net]") {
  answer_oracle o;
  CHECK(o.check(data_in(5, 0, 0, 512)) == 0);
  CHECK(o.check(data_in(5, 2, 512, 512)) == 1);   // DataSN 1 skipped
  CHECK(o.check(data_in(5, 3, 2048, 512)) == 1);  // offset 1024 skipped
  CHECK(o.check(data_in(6, 1, 0, 512)) == 1);     // another task starts at 1
  REQUIRE(o.departures().size() == 2);
  CHECK(o.departed(requirement::data_sn));
  CHECK(o.departed(requirement::buffer_offset));

  answer_oracle any_order;
  any_order.set_data_in_order(false);  // DataPDUInOrder=No
  any_order.check(data_in(5, 0, 512, 512));
  CHECK(any_order.check(data_in(5, 1, 0, 512)) == 0);
}

//= rfc7143#section-13.12 type=test
//# The transmitter (initiator or target) is required to send PDUs with a
//# data segment that does not exceed MaxRecvDataSegmentLength of the
//# receiver.
TEST_CASE("oracles: a data segment over our MaxRecvDataSegmentLength is a departure", "[fuzz][net]") {
  answer_oracle o;  // 8192 during login
  CHECK(o.check(data_in(1, 0, 0, 8192)) == 0);
  CHECK(o.check(data_in(1, 1, 8192, 8193)) == 1);
  o.set_max_recv_data_segment_length(65536);
  CHECK(o.check(data_in(1, 2, 16385, 65536)) == 0);
  REQUIRE(o.departures().size() == 1);
  CHECK(o.departures()[0].requirement == requirement::segment_length);
}

TEST_CASE("oracles: the validator's protocol errors are departures with its ids", "[fuzz][net]") {
  answer_oracle o;
  auto p = response(1, 1);
  p.bhs[4] = 1;  // TotalAHSLength 1 on a response
  p.ahs.assign(4, 0);
  CHECK(o.check(p) == 1);
  REQUIRE(o.departures().size() == 1);
  CHECK(o.departures()[0].requirement == "rfc7143#section-11.2/response-no-ahs");
  CHECK(o.departures()[0].pdu.find("SCSI Response") != std::string::npos);
  // A set reserved field is a sender's slip, not a protocol error: ignored.
  auto q = response(2, 2);
  q.bhs[0] |= 0x40;  // I bit in a response
  CHECK(o.check(q) == 0);
}

TEST_CASE("oracles: the task table is bounded", "[fuzz][net]") {
  answer_oracle o;
  for (std::uint32_t itt = 0; itt < answer_oracle::max_tasks + 10; ++itt) o.check(data_in(itt, 0, 0, 16));
  CHECK(o.untracked() == 10);
  CHECK(o.departures().empty());
}
