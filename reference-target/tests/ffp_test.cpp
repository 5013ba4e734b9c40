// The Full Feature Phase, in process: reads with Data-In sequencing, writes
// with immediate data, unsolicited Data-Out and R2T, the CmdSN window, NOP
// pings, Logout, Reject, and a key renegotiated by a Text Request.
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

std::uint32_t cmd_sn = 10;

pdu::scsi_command_builder command(std::uint32_t itt, const pdu::byte_buffer& cdb) {
  pdu::scsi_command_builder b;
  b.initiator_task_tag(itt).cmd_sn(cmd_sn++).cdb(cdb);
  return b;
}

// logged_in, and the CmdSN counter back at the login's 10.
void logged_in_at_10(driver& d, pdu::text_pairs keys = {}) {
  cmd_sn = 10;
  logged_in(d, std::move(keys));
}

pdu::byte_buffer pattern(std::size_t n, std::uint8_t seed) {
  pdu::byte_buffer b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7);
  return b;
}

pdu::byte_buffer read_back(driver& d, std::uint32_t lba, std::uint16_t blocks) {
  auto s = d.feed(command(50, read10(lba, blocks)).read().expected_data_transfer_length(blocks * 512u).build());
  pdu::byte_buffer out;
  for (const auto& p : s.sent)
    if (p.op() == pdu::opcode::data_in) out.insert(out.end(), p.data.begin(), p.data.end());
  return out;
}

}  // namespace

TEST_CASE("ffp: a read in Data-In PDUs bounded by the initiator's MRDSL", "[target][ffp]") {
  driver d;
  logged_in_at_10(d, {{"MaxRecvDataSegmentLength", "1024"}});
  auto s = d.feed(command(1, read10(0, 8)).read().expected_data_transfer_length(4096).build());
  REQUIRE(s.sent.size() == 4);
  for (std::uint32_t i = 0; i < 4; ++i) {
    const pdu::data_in_view v(s.sent[i]);
    REQUIRE(s.sent[i].op() == pdu::opcode::data_in);
    CHECK(v.data_sn() == i);
    CHECK(v.buffer_offset() == i * 1024);
    CHECK(s.sent[i].data.size() == 1024);
    CHECK(v.has_status() == (i == 3));
    CHECK(v.final_bit() == (i == 3));
    CHECK_FALSE(v.acknowledge());
  }
  const pdu::data_in_view last(s.sent[3]);
  CHECK(last.status() == pdu::scsi_status::good);
  CHECK(last.stat_sn() == 101);
  CHECK(last.exp_cmd_sn() == 11);
  CHECK_FALSE(last.residual_underflow());
}

//= rfc7143#section-7.12 type=test
//# The operational parameters of the session or the connection MUST continue to be the values
//# agreed upon during an earlier successful negotiation
//= rfc7143#section-6.4 type=test
//# Targets MUST NOT submit parameters that require an additional initiator Text Request in a Text
//# Response with the F bit set to 1.
TEST_CASE("ffp: a key renegotiated by a Text Request is refused, the login's value stays",
          "[target][ffp]") {
  driver d;
  logged_in_at_10(d, {{"MaxRecvDataSegmentLength", "1024"}});
  auto t = d.feed(pdu::text_request_builder().initiator_task_tag(7).cmd_sn(cmd_sn).immediate()
                      .data(text({{"MaxBurstLength", "512"}})).build());
  REQUIRE(t.sent.size() == 1);
  REQUIRE(t.sent[0].op() == pdu::opcode::text_response);
  CHECK(pdu::text_response_view(t.sent[0]).final_bit());
  CHECK(parse(t.sent[0]) == pdu::text_pairs{{"MaxBurstLength", "Reject"}});
  // MaxBurstLength is still the default 262144: one sequence, F on the last PDU only.
  auto s = d.feed(command(1, read10(0, 8)).read().expected_data_transfer_length(4096).build());
  REQUIRE(s.sent.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(s.sent[i].data.size() == 1024);
    CHECK(pdu::data_in_view(s.sent[i]).final_bit() == (i == 3));
  }
}

TEST_CASE("ffp: residual underflow when EDTL exceeds the data", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  auto s = d.feed(command(1, read10(0, 1)).read().expected_data_transfer_length(1024).build());
  REQUIRE(s.sent.size() == 1);
  const pdu::data_in_view v(s.sent[0]);
  CHECK(v.has_status());
  CHECK(v.residual_underflow());
  CHECK(v.residual_count() == 512);
}

TEST_CASE("ffp: residual overflow when EDTL is short", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  auto s = d.feed(command(1, read10(0, 2)).read().expected_data_transfer_length(512).build());
  REQUIRE(!s.sent.empty());
  const pdu::data_in_view v(s.sent.back());
  CHECK(v.residual_overflow());
  CHECK(v.residual_count() == 512);
}

//= rfc7143#section-11.4.5.2 type=test
//# If SPDTL > EDTL for a task, iSCSI Overflow MUST be signaled in the SCSI Response PDU
TEST_CASE("ffp: a READ with EDTL 0 and R=0 signals overflow of the whole transfer", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  auto s = d.feed(command(1, read10(0, 1)).expected_data_transfer_length(0).build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::scsi_response);
  const pdu::scsi_response_view v(s.sent[0]);
  CHECK(v.residual_overflow());
  CHECK_FALSE(v.residual_underflow());
  CHECK(v.residual_count() == 512);
}

//= rfc7143#section-11.4.6 type=test
//# If the u bit is set, the Bidirectional Read Residual Count indicates the
//# number of bytes that were not transferred to the initiator out of the
//# number of bytes expected to be transferred.
TEST_CASE("ffp: a bidirectional WRITE that reads nothing reports its read side as underflow",
          "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  const auto data = pattern(512, 9);
  auto s = d.feed(command(1, write10(8, 1))
                      .read()
                      .write()
                      .bidirectional_read_length(512)
                      .expected_data_transfer_length(512)
                      .data(data)
                      .build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::scsi_response);
  const pdu::scsi_response_view v(s.sent[0]);
  CHECK(v.status() == pdu::scsi_status::good);
  CHECK_FALSE(v.residual_underflow());  // the write side moved all 512 bytes
  CHECK_FALSE(v.residual_overflow());
  CHECK(v.bidi_read_underflow());
  CHECK_FALSE(v.bidi_read_overflow());
  CHECK(v.bidi_read_residual_count() == 512);
}

//= rfc7143#section-10.2 type=test
//# iSCSI initiators and targets MUST support and use Autosense.
TEST_CASE("ffp: CHECK CONDITION goes in a SCSI Response with sense", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  auto s = d.feed(command(1, read10(0x7fffffff, 1)).read().expected_data_transfer_length(512).build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::scsi_response);
  const pdu::scsi_response_view v(s.sent[0]);
  CHECK(v.status() == pdu::scsi_status::check_condition);
  const auto seg = v.sense_and_response_data();
  REQUIRE(seg);
  REQUIRE(seg->sense.size() >= 14);
  CHECK((seg->sense[2] & 0x0f) == 0x05);  // ILLEGAL REQUEST
  CHECK(seg->sense[12] == 0x21);          // LBA OUT OF RANGE
}

TEST_CASE("ffp: a write carried entirely as immediate data", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  const auto data = pattern(1024, 3);
  auto s = d.feed(command(1, write10(4, 2)).write().expected_data_transfer_length(1024).data(data).build());
  REQUIRE(s.sent.size() == 1);
  const pdu::scsi_response_view v(s.sent[0]);
  CHECK(v.status() == pdu::scsi_status::good);
  CHECK_FALSE(v.residual_underflow());
  CHECK(read_back(d, 4, 2) == data);
}

TEST_CASE("ffp: a write through R2T and Data-Out", "[target][ffp]") {
  driver d;
  logged_in_at_10(d, {{"MaxBurstLength", "2048"}, {"FirstBurstLength", "2048"}});
  const auto data = pattern(4096, 9);
  auto s = d.feed(command(1, write10(16, 8)).write().expected_data_transfer_length(4096).build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::r2t);
  const pdu::r2t_view r0(s.sent[0]);
  CHECK(r0.target_transfer_tag() != pdu::reserved_tag);
  CHECK(r0.r2t_sn() == 0);
  CHECK(r0.buffer_offset() == 0);
  CHECK(r0.desired_data_transfer_length() == 2048);
  CHECK(r0.stat_sn() == 101);
  auto s2 = d.feed(pdu::data_out_builder()
                       .initiator_task_tag(1)
                       .target_transfer_tag(r0.target_transfer_tag())
                       .buffer_offset(0)
                       .data(pdu::bytes_view(data).first(2048))
                       .build());
  REQUIRE(s2.sent.size() == 1);
  const pdu::r2t_view r1(s2.sent[0]);
  CHECK(r1.r2t_sn() == 1);
  CHECK(r1.buffer_offset() == 2048);
  CHECK(r1.target_transfer_tag() != r0.target_transfer_tag());
  auto s3 = d.feed(pdu::data_out_builder()
                       .initiator_task_tag(1)
                       .target_transfer_tag(r1.target_transfer_tag())
                       .buffer_offset(2048)
                       .data(pdu::bytes_view(data).subspan(2048))
                       .build());
  REQUIRE(s3.sent.size() == 1);
  CHECK(pdu::scsi_response_view(s3.sent[0]).status() == pdu::scsi_status::good);
  CHECK(read_back(d, 16, 8) == data);
}

TEST_CASE("ffp: unsolicited Data-Out with InitialR2T=No", "[target][ffp]") {
  driver d;
  logged_in_at_10(d, {{"InitialR2T", "No"}});
  REQUIRE_FALSE(d.core().parameters().initial_r2t);
  const auto data = pattern(2048, 1);
  auto s = d.feed(command(1, write10(0, 4)).write().final_bit(false)
                      .expected_data_transfer_length(2048).data(pdu::bytes_view(data).first(512)).build());
  CHECK(s.sent.empty());
  auto s2 = d.feed(pdu::data_out_builder().initiator_task_tag(1).buffer_offset(512)
                       .data(pdu::bytes_view(data).subspan(512)).build());
  REQUIRE(s2.sent.size() == 1);
  CHECK(pdu::scsi_response_view(s2.sent[0]).status() == pdu::scsi_status::good);
  CHECK(read_back(d, 0, 4) == data);
}

//= rfc7143#section-4.2.5.3 type=test
//# the iSCSI initiator and target MUST verify that all other fields used in task-related PDUs have
//# values that are consistent with the values used at the task instantiation, based on the
//# Initiator Task Tag
TEST_CASE("ffp: Data-Out for an unknown TTT is rejected 0x09", "[target][ffp]") {
  driver d;
  logged_in_at_10(d, {{"ImmediateData", "No"}});
  d.feed(command(1, write10(0, 1)).write().expected_data_transfer_length(512).build());
  auto s = d.feed(pdu::data_out_builder().initiator_task_tag(1).target_transfer_tag(0x5555)
                      .data(pattern(512, 0)).build());
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::invalid_pdu_field);
}

TEST_CASE("ffp: commands outside the CmdSN window are silently ignored", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  const auto max = d.core().max_cmd_sn();
  pdu::scsi_command_builder b;
  b.initiator_task_tag(1).cmd_sn(max + 1).cdb(read10(0, 1)).read().expected_data_transfer_length(512);
  auto s = d.feed(b.build());
  CHECK(s.sent.empty());
  CHECK(d.core().exp_cmd_sn() == 10);
  b.cmd_sn(9);  // below ExpCmdSN: an old duplicate
  CHECK(d.feed(b.build()).sent.empty());
  CHECK(d.core().exp_cmd_sn() == 10);
}

TEST_CASE("ffp: commands ahead of ExpCmdSN wait for the gap", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  auto later = d.feed(pdu::scsi_command_builder().initiator_task_tag(2).cmd_sn(11).cdb(read10(0, 1))
                          .read().expected_data_transfer_length(512).build());
  CHECK(later.sent.empty());
  auto now = d.feed(pdu::scsi_command_builder().initiator_task_tag(1).cmd_sn(10).cdb(read10(0, 1))
                        .read().expected_data_transfer_length(512).build());
  REQUIRE(now.sent.size() == 2);
  CHECK(now.sent[0].header().initiator_task_tag() == 1);
  CHECK(now.sent[1].header().initiator_task_tag() == 2);
  CHECK(d.core().exp_cmd_sn() == 12);
}

TEST_CASE("ffp: NOP-Out ping gets a NOP-In echo", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  const pdu::byte_buffer ping{1, 2, 3, 4, 5};
  auto s = d.feed(pdu::nop_out_builder().initiator_task_tag(77).cmd_sn(10).immediate().data(ping).build());
  REQUIRE(s.sent.size() == 1);
  const pdu::nop_in_view v(s.sent[0]);
  CHECK(v.initiator_task_tag() == 77);
  CHECK(v.target_transfer_tag() == pdu::reserved_tag);
  CHECK(v.stat_sn() == 101);
  CHECK(s.sent[0].data == ping);
  CHECK(d.core().exp_cmd_sn() == 10);  // immediate: CmdSN not consumed
}

//= rfc7143#section-11.19 type=test
//# It MUST also duplicate up to the first MaxRecvDataSegmentLength bytes of the initiator-provided
//# Ping Data.
TEST_CASE("ffp: a ping longer than the initiator's MRDSL is echoed cut to it", "[target][ffp]") {
  driver d;
  logged_in_at_10(d, {{"MaxRecvDataSegmentLength", "512"}});
  const auto ping = pattern(1024, 3);
  auto s = d.feed(pdu::nop_out_builder().initiator_task_tag(78).cmd_sn(10).immediate().data(ping).build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].data.size() == 512);
  CHECK(std::equal(s.sent[0].data.begin(), s.sent[0].data.end(), ping.begin()));
}

TEST_CASE("ffp: Logout closes the session", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  auto s = d.feed(pdu::logout_request_builder().initiator_task_tag(9).cmd_sn(10).immediate().build());
  REQUIRE(s.sent.size() == 1);
  const pdu::logout_response_view v(s.sent[0]);
  CHECK(v.response() == pdu::logout_response_code::closed_successfully);
  CHECK(v.initiator_task_tag() == 9);
  CHECK(s.closed);
  CHECK(d.core().current_phase() == phase::closing);
}

TEST_CASE("ffp: Logout for recovery at ERL 0 is answered 2", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  auto s = d.feed(pdu::logout_request_builder(pdu::logout_reason::remove_connection_for_recovery)
                      .initiator_task_tag(9).cid(1).cmd_sn(10).immediate().build());
  REQUIRE(s.sent.size() == 1);
  CHECK(pdu::logout_response_view(s.sent[0]).response() ==
        pdu::logout_response_code::recovery_not_supported);
  CHECK_FALSE(s.closed);
}

TEST_CASE("ffp: PDUs not accepted in the Full Feature Phase are rejected", "[target][ffp]") {
  driver d;
  logged_in_at_10(d);
  SECTION("a target opcode from the initiator") {
    auto s = d.feed(pdu::nop_in_builder().build());
    REQUIRE(s.sent.size() == 1);
    CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::protocol_error);
  }
  //= rfc7143#section-4.2.4 type=test
  //# Login Requests and Responses MUST be used exclusively during login.
  SECTION("a second Login") {
    auto s = d.feed(login(pdu::login_stage::operational_negotiation, {}).build());
    REQUIRE(s.sent.size() == 1);
    CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::protocol_error);
    CHECK(s.sent[0].data.size() == pdu::bhs_size);
  }
  SECTION("an undefined opcode") {
    auto s = d.feed(pdu::unknown_builder(0x1c).initiator_task_tag(5).immediate().build());
    REQUIRE(s.sent.size() == 1);
    CHECK(pdu::reject_view(s.sent[0]).reason() == pdu::reject_reason::command_not_supported);
  }
}

//= rfc7143#section-13.12 type=test
//# The transmitter (initiator or target) is required to send PDUs with a
//# data segment that does not exceed MaxRecvDataSegmentLength of the
//# receiver.
TEST_CASE("ffp: a Reject of a header longer than the initiator's MRDSL is cut to it", "[target][ffp]") {
  driver d;
  logged_in_at_10(d, {{"MaxRecvDataSegmentLength", "512"}});
  // 1020 bytes of AHS (255 words): BHS + AHS is 1068 bytes, past 512.
  auto s = d.feed(pdu::unknown_builder(0x1c).initiator_task_tag(5).immediate().ahs(pdu::byte_buffer(1020, 0)).build());
  REQUIRE(s.sent.size() == 1);
  const pdu::reject_view v(s.sent[0]);
  CHECK(v.reason() == pdu::reject_reason::command_not_supported);
  CHECK(s.sent[0].data.size() == 512);
  CHECK(v.holds_header_cut_at_limit());
  CHECK(pdu::validate(s.sent[0]).empty());
}
