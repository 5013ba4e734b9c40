// Regression tests for what fuzz/target_session found (docs/fuzzing.md):
// each reproduces the finding with the in-process driver.
#include "support.hpp"
#include "touchstone/pdu/validate.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

// Every violation of a sent PDU except SHOULD-level ones.
std::vector<pdu::violation> sender_violations(const pdu::pdu& p) {
  std::vector<pdu::violation> out;
  for (const auto& v : pdu::validate(p))
    if (v.level != pdu::severity::should) out.push_back(v);
  return out;
}

}  // namespace

TEST_CASE("fuzz finding: a Data-In without the S bit carries no StatSN", "[target][ffp][fuzz]") {
  driver d;
  logged_in(d, {{"MaxRecvDataSegmentLength", "1024"}});
  pdu::scsi_command_builder b;
  b.initiator_task_tag(1).cmd_sn(10).read().expected_data_transfer_length(4096).cdb(read10(0, 8));
  const auto s = d.feed(b.build());
  REQUIRE(s.sent.size() == 4);
  for (const auto& p : s.sent) {
    REQUIRE(p.op() == pdu::opcode::data_in);
    const pdu::data_in_view v(p);
    //= rfc7143#section-11.7 type=test
    //# |Status or Rsvd| ... StatSN or Reserved
    if (!v.has_status()) CHECK(v.stat_sn() == 0);
    CHECK(sender_violations(p).empty());
  }
  CHECK(pdu::data_in_view(s.sent.back()).stat_sn() == 101);
}

TEST_CASE("fuzz finding: a NOP-In answering a ping has a reserved (zero) LUN", "[target][ffp][fuzz]") {
  driver d;
  logged_in(d);
  pdu::nop_out_builder b;
  b.immediate(true).initiator_task_tag(5).cmd_sn(10).lun(0x0000002800000000ULL)
      .data(pdu::byte_buffer(16, 0xab));
  const auto s = d.feed(b.build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::nop_in);
  const pdu::nop_in_view v(s.sent[0]);
  CHECK(v.target_transfer_tag() == pdu::reserved_tag);
  //= rfc7143#section-11.19 type=test
  //# LUN or Reserved
  CHECK(v.lun() == 0);
  CHECK(sender_violations(s.sent[0]).empty());
  CHECK(s.sent[0].data == pdu::byte_buffer(16, 0xab));
}

TEST_CASE("fuzz finding: the final Text Response has a reserved (zero) LUN", "[target][text][fuzz]") {
  driver d;
  logged_in(d);
  pdu::text_request_builder b;
  b.final_bit(true).initiator_task_tag(9).cmd_sn(10).target_transfer_tag(pdu::reserved_tag)
      .lun(0x0001000000000000ULL).data(text({{"TargetAlias", "?"}}));
  const auto s = d.feed(b.build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::text_response);
  const pdu::text_response_view v(s.sent[0]);
  REQUIRE(v.target_transfer_tag() == pdu::reserved_tag);
  //= rfc7143#section-11.11 type=test
  //# LUN or Reserved
  CHECK(v.lun() == 0);
  CHECK(sender_violations(s.sent[0]).empty());
}
