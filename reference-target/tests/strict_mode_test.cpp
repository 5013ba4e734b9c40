// Strict mode in process: each leniency, off (the default: answered as the
// RFC says, counted) and on (--allow NAME: logged and counted as allowed, the
// PDU processed), and strict=false relaxing them all.
#include "support.hpp"
#include "touchstone/target/leniency.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

std::shared_ptr<target_node> node_allowing(std::set<std::string> names, bool strict = true) {
  target_config c;
  c.leniencies = std::move(names);
  c.strict = strict;
  return make_node(c);
}

std::uint64_t counted(driver& d, std::string_view id) {
  const auto& by = d.core().violations().by_requirement;
  const auto it = by.find(id);
  return it == by.end() ? 0 : it->second;
}
std::uint64_t allowed(driver& d, std::string_view id) {
  const auto& by = d.core().violations().allowed;
  const auto it = by.find(id);
  return it == by.end() ? 0 : it->second;
}

pdu::scsi_status status_of_last(const step& s) {
  REQUIRE_FALSE(s.sent.empty());
  REQUIRE(s.sent.back().op() == pdu::opcode::scsi_response);
  return pdu::scsi_response_view(s.sent.back()).status();
}

pdu::byte_buffer blocks_of(std::uint8_t fill, std::size_t n) { return pdu::byte_buffer(n * 512, fill); }

pdu::byte_buffer read_back(driver& d, std::uint32_t lba, std::uint16_t blocks, std::uint32_t cmd_sn) {
  auto s = d.feed(pdu::scsi_command_builder().initiator_task_tag(90).cmd_sn(cmd_sn).cdb(read10(lba, blocks))
                      .read().expected_data_transfer_length(blocks * 512u).build());
  pdu::byte_buffer out;
  for (const auto& p : s.sent)
    if (p.op() == pdu::opcode::data_in) out.insert(out.end(), p.data.begin(), p.data.end());
  return out;
}

// A 2-block WRITE announcing unsolicited Data-Out (F=0) and that Data-Out.
step unsolicited_write(driver& d) {
  auto cmd = d.feed(pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(write10(4, 2))
                        .write().final_bit(false).expected_data_transfer_length(1024).build());
  CHECK(cmd.sent.empty());
  return d.feed(pdu::data_out_builder().initiator_task_tag(1).data(blocks_of(0x11, 2)).build());
}

}  // namespace

TEST_CASE("strict: every leniency names a requirement id the core logs", "[target][strict]") {
  REQUIRE(leniency_table().size() == 9);
  for (const auto& l : leniency_table()) {
    CHECK(find_leniency(l.name) == &l);
    CHECK(leniency_for(l.requirement) == &l);
    CHECK((l.requirement.starts_with("rfc7143#section-") || l.requirement.starts_with("rfc7144#section-")));
  }
  CHECK(find_leniency("no-such-rule") == nullptr);
}

//= rfc7143#section-13.10 type=test
//# The default action is that R2T is required, unless both the initiator and
//# the target send this key-pair attribute specifying InitialR2T=No.
//= rfc7143#section-11.8 type=test
//# In order to allow write operations without an explicit initial R2T, the
//# initiator and target MUST have negotiated the key InitialR2T to No during
//# login.
TEST_CASE("strict: unsolicited Data-Out with InitialR2T=Yes", "[target][strict]") {
  constexpr std::string_view id = "rfc7143#section-13.10/initial-r2t";
  SECTION("strict: the task ends with CHECK CONDITION after the F bit") {
    driver d;
    logged_in(d);
    CHECK(status_of_last(unsolicited_write(d)) == pdu::scsi_status::check_condition);
    CHECK(counted(d, id) == 1);
    CHECK(allowed(d, id) == 0);
  }
  SECTION("--allow initial-r2t: the data is written") {
    driver d(node_allowing({"initial-r2t"}));
    logged_in(d);
    CHECK(status_of_last(unsolicited_write(d)) == pdu::scsi_status::good);
    CHECK(read_back(d, 4, 2, 11) == blocks_of(0x11, 2));
    CHECK(counted(d, id) == 1);
    CHECK(allowed(d, id) == 1);
  }
  SECTION("strict=false relaxes every leniency") {
    driver d(node_allowing({}, false));
    logged_in(d);
    CHECK(status_of_last(unsolicited_write(d)) == pdu::scsi_status::good);
    CHECK(allowed(d, id) == 1);
  }
}

//= rfc7143#section-13.11 type=test
//# ImmediateData can be turned on if both the initiator and target have ImmediateData=Yes.
TEST_CASE("strict: immediate data with ImmediateData=No", "[target][strict]") {
  constexpr std::string_view id = "rfc7143#section-13.11/immediate-data";
  const bool lenient = GENERATE(false, true);
  driver d(lenient ? node_allowing({"immediate-data"}) : make_node());
  logged_in(d, {{"ImmediateData", "No"}});
  auto s = d.feed(pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(write10(8, 1)).write()
                      .expected_data_transfer_length(512).data(blocks_of(0x22, 1)).build());
  if (!lenient) {
    // No R2T: the task ends at once with the iSCSI condition.
    REQUIRE(s.sent.size() == 1);
    CHECK(status_of_last(s) == pdu::scsi_status::check_condition);
    CHECK(counted(d, id) == 1);
  } else {
    CHECK(status_of_last(s) == pdu::scsi_status::good);
    CHECK(read_back(d, 8, 1, 11) == blocks_of(0x22, 1));
    CHECK(allowed(d, id) == 1);
  }
}

//= rfc7143#section-11.7.1 type=test
//# the total of all the DataSegmentLength of all PDUs in a sequence MUST NOT
//# exceed MaxBurstLength (or FirstBurstLength for unsolicited data)
TEST_CASE("strict: immediate data beyond FirstBurstLength", "[target][strict]") {
  constexpr std::string_view id = "rfc7143#section-11.7.1/first-burst";
  const bool lenient = GENERATE(false, true);
  driver d(lenient ? node_allowing({"first-burst"}) : make_node());
  logged_in(d, {{"FirstBurstLength", "512"}, {"MaxRecvDataSegmentLength", "8192"}});
  REQUIRE(d.core().parameters().first_burst_length == 512);
  auto s = d.feed(pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(write10(12, 2)).write()
                      .expected_data_transfer_length(1024).data(blocks_of(0x33, 2)).build());
  CHECK(status_of_last(s) == (lenient ? pdu::scsi_status::good : pdu::scsi_status::check_condition));
  CHECK(counted(d, id) == 1);
  CHECK(allowed(d, id) == (lenient ? 1 : 0));
  if (lenient) CHECK(read_back(d, 12, 2, 11) == blocks_of(0x33, 2));
}

//= rfc7143#section-7.9 type=test
//# When a target receives a data PDU with an out-of-
//# order DataSN, it means that the target must have hit a header or
//# payload digest error on at least one of the earlier data PDUs.
TEST_CASE("strict: a Data-Out with an unexpected DataSN", "[target][strict]") {
  constexpr std::string_view id = "rfc7143#section-7.9/data-sn";
  const bool lenient = GENERATE(false, true);
  driver d(lenient ? node_allowing({"data-sn"}) : make_node());
  logged_in(d, {{"ImmediateData", "No"}});
  auto s = d.feed(pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(write10(16, 2)).write()
                      .expected_data_transfer_length(1024).build());
  REQUIRE(s.sent.size() == 1);
  const auto ttt = pdu::r2t_view(s.sent[0]).target_transfer_tag();
  CHECK(d.feed(pdu::data_out_builder().initiator_task_tag(1).target_transfer_tag(ttt).final_bit(false)
                   .data_sn(0).data(blocks_of(0x44, 1)).build()).sent.empty());
  auto end = d.feed(pdu::data_out_builder().initiator_task_tag(1).target_transfer_tag(ttt).data_sn(5)
                        .buffer_offset(512).data(blocks_of(0x44, 1)).build());
  CHECK(status_of_last(end) == (lenient ? pdu::scsi_status::good : pdu::scsi_status::check_condition));
  CHECK(counted(d, id) == 1);
  CHECK(allowed(d, id) == (lenient ? 1 : 0));
}

//= rfc7143#section-11.18.2 type=test
//# The NOP-Out MUST only have the Target Transfer Tag set if it is issued in
//# response to a NOP-In with a valid Target Transfer Tag.
TEST_CASE("strict: a NOP-Out answering no ping", "[target][strict]") {
  constexpr std::string_view id = "rfc7143#section-11.18.2/unknown-ttt";
  const bool lenient = GENERATE(false, true);
  driver d(lenient ? node_allowing({"nop-out-ttt"}) : make_node());
  logged_in(d);
  auto s = d.feed(pdu::nop_out_builder().initiator_task_tag(pdu::reserved_tag).target_transfer_tag(0x1234)
                      .cmd_sn(10).immediate().build());
  if (lenient) {
    CHECK(s.sent.empty());
  } else {
    REQUIRE(s.sent.size() == 1);
    CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::invalid_pdu_field);
  }
  CHECK(counted(d, id) == 1);
  CHECK(allowed(d, id) == (lenient ? 1 : 0));
}

//= rfc7144#section-6.3 type=test
//# These task management function requests MUST NOT be sent unless the
//# iSCSIProtocolLevel text key with a value of "2" as defined in Section 7.1.1
//# was negotiated on the session.
TEST_CASE("strict: QUERY TASK without iSCSIProtocolLevel=2", "[target][strict]") {
  constexpr std::string_view id = "rfc7144#section-6.3/protocol-level";
  const bool lenient = GENERATE(false, true);
  driver d(lenient ? node_allowing({"protocol-level"}) : make_node());
  logged_in(d);
  auto s = d.feed(pdu::task_mgmt_request_builder(pdu::tmf_function::query_task).initiator_task_tag(2)
                      .referenced_task_tag(77).cmd_sn(10).immediate().build());
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::task_mgmt_response_view(s.sent[0]).response() ==
        (lenient ? pdu::tmf_response::function_complete : pdu::tmf_response::function_not_supported));
  CHECK(counted(d, id) == 1);
  CHECK(allowed(d, id) == (lenient ? 1 : 0));
  CHECK(d.core().violations().total == 1);
}
