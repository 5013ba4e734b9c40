// The order of unsolicited data across commands (RFC 7143 section 4.2.5.2):
// command N's unsolicited Data-Out precedes command N + 1's; a target that
// receives them out of order may end the session, as this one does in
// strict mode (the leniency unsolicited-order takes them).
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

// A write of 2 blocks announcing unsolicited data (F=0, no immediate data).
pdu::pdu announced_write(std::uint32_t itt, std::uint32_t cmd_sn, std::uint32_t lba) {
  return pdu::scsi_command_builder()
      .initiator_task_tag(itt)
      .cmd_sn(cmd_sn)
      .cdb(write10(lba, 2))
      .write()
      .final_bit(false)
      .expected_data_transfer_length(1024)
      .build();
}

pdu::pdu unsolicited_data(std::uint32_t itt) {
  return pdu::data_out_builder().initiator_task_tag(itt).buffer_offset(0).data(pdu::byte_buffer(1024, 0x5a)).build();
}

bool good_response(const step& s) {
  return s.sent.size() == 1 && s.sent[0].op() == pdu::opcode::scsi_response &&
         pdu::scsi_response_view(s.sent[0]).status() == pdu::scsi_status::good;
}

}  // namespace

//= rfc7143#section-4.2.5.2 type=test
//# In addition, iSCSI initiators and targets MUST enforce some ordering
//# rules.
//= rfc7143#section-4.2.5.2 type=test
//# the unsolicited Data-Out PDUs for command N MUST precede the unsolicited
//# Data-Out PDUs of command N + 1
TEST_CASE("unsolicited order: command N + 1 may come before command N's data, its data may not",
          "[target][ffp][unsolicited]") {
  const pdu::text_pairs keys{{"InitialR2T", "No"}, {"ImmediateData", "No"}};
  SECTION("in order: each write completes") {
    driver d;
    logged_in(d, keys);
    REQUIRE(d.feed(announced_write(1, 10, 0)).sent.empty());
    REQUIRE(d.feed(announced_write(2, 11, 8)).sent.empty());  // command N + 1 before N's data: allowed
    CHECK(good_response(d.feed(unsolicited_data(1))));
    CHECK(good_response(d.feed(unsolicited_data(2))));
  }
  //= rfc7143#section-4.2.5.2 type=test
  //# A target that receives data out of
  //# order MAY terminate the session.
  SECTION("out of order: the session ends") {
    driver d;
    logged_in(d, keys);
    REQUIRE(d.feed(announced_write(1, 10, 0)).sent.empty());
    REQUIRE(d.feed(announced_write(2, 11, 8)).sent.empty());
    CHECK(d.feed(unsolicited_data(2)).closed);
  }
  SECTION("out of order with --allow unsolicited-order: taken") {
    target_config c;
    c.leniencies.insert("unsolicited-order");
    driver d(make_node(c));
    logged_in(d, keys);
    REQUIRE(d.feed(announced_write(1, 10, 0)).sent.empty());
    REQUIRE(d.feed(announced_write(2, 11, 8)).sent.empty());
    CHECK(good_response(d.feed(unsolicited_data(2))));
    CHECK(good_response(d.feed(unsolicited_data(1))));
  }
}
