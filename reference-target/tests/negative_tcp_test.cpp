// Negative tests over TCP: the real transport (embedded_server on 127.0.0.1,
// an ephemeral port, stopped at the end of every test) and a healthy session
// logged in first; a second connection sends one kind of bad input at a time.
// Each answer is the one RFC 7143 prescribes (a Reject with its reason,
// silence, a closed connection), and the healthy session still completes a
// READ afterwards.
#include "support.hpp"
#include "tcp_peer.hpp"
#include "touchstone/target/embedded_server.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

const pdu::text_pairs with_digests{{"HeaderDigest", "CRC32C"}, {"DataDigest", "CRC32C"}};

pdu::pdu read_command(std::uint32_t itt, std::uint32_t cmd_sn) {
  return pdu::scsi_command_builder().initiator_task_tag(itt).cmd_sn(cmd_sn).cdb(read10(0, 1))
      .read().expected_data_transfer_length(512).build();
}

pdu::pdu write_command(std::uint32_t itt, std::uint32_t cmd_sn, bool with_data) {
  pdu::scsi_command_builder b;
  b.initiator_task_tag(itt).cmd_sn(cmd_sn).cdb(write10(8, 1)).write().expected_data_transfer_length(512);
  if (with_data) b.data(pdu::byte_buffer(512, 0x6b));
  return b.build();
}

// Sense key, ASC and ASCQ of a CHECK CONDITION response (fixed format sense
// after the 2-byte SenseLength).
std::array<std::uint8_t, 3> sense_of(const pdu::pdu& response) {
  REQUIRE(response.data.size() >= 2 + 14);
  return {static_cast<std::uint8_t>(response.data[4] & 0x0f), response.data[14], response.data[15]};
}

struct fixture {
  std::unique_ptr<embedded_server> server;
  std::optional<tcp_peer> healthy;
  std::uint64_t next_isid = 0x80000000100ULL;

  fixture() {
    embedded_options o;
    o.lun_sizes = {1u << 20};
    o.limits.max_recv_data_segment_length = 8192;
    auto started = embedded_server::start(o);
    REQUIRE(started);
    server = std::move(*started);
    healthy.emplace(server->host(), server->port());
    healthy->login(server->iqn(), {}, next_isid++);
    clear_unit_attentions(*healthy);
  }

  std::unique_ptr<tcp_peer> connect() { return std::make_unique<tcp_peer>(server->host(), server->port()); }
  std::unique_ptr<tcp_peer> logged_in(const pdu::text_pairs& keys = {}) {
    auto p = connect();
    p->login(server->iqn(), keys, next_isid++);
    return p;
  }

  // The healthy session goes on: a READ completes GOOD with its 512 bytes.
  void healthy_reads() {
    healthy->send(read_command(0x200, healthy->cmd_sn++));
    std::size_t bytes = 0;
    for (;;) {
      auto in = healthy->expect();
      REQUIRE(in.op() == pdu::opcode::data_in);
      bytes += in.data.size();
      const pdu::data_in_view v(in);
      if (!v.has_status()) continue;
      CHECK(v.status() == pdu::scsi_status::good);
      break;
    }
    CHECK(bytes == 512);
  }
};

}  // namespace

//= rfc7143#section-4.2.4 type=test
//# A target receiving any PDU except a Login Request before the Login Phase is
//# started MUST immediately terminate the connection
TEST_CASE("tcp: a PDU before login closes the connection", "[target][tcp]") {
  fixture f;
  auto p = f.connect();
  p->send(read_command(1, 1));
  CHECK(p->closed_silently());
  f.healthy_reads();
}

//= rfc7143#section-4.2.4 type=test
//# a subsequent Login Phase MUST NOT occur before tearing down the connection.
TEST_CASE("tcp: a non-login PDU during the Login Phase ends the login with 0x020b", "[target][tcp]") {
  fixture f;
  auto p = f.connect();
  pdu::login_request_builder b;
  b.csg(pdu::login_stage::security_negotiation).isid(0x80000000fffULL).initiator_task_tag(0).cmd_sn(1).cid(1)
      .data(pdu::encode_text({{"InitiatorName", "iqn.2026-11.org.touchstone:negative"},
                              {"TargetName", f.server->iqn()}, {"SessionType", "Normal"}, {"AuthMethod", "None"}}));
  p->send(b.build());
  const auto first = p->expect();
  REQUIRE(first.op() == pdu::opcode::login_response);
  REQUIRE(pdu::login_response_view(first).status() == pdu::login_status::success);
  p->send(pdu::nop_out_builder().initiator_task_tag(5).cmd_sn(1).immediate().build());
  const auto refused = p->expect();
  REQUIRE(refused.op() == pdu::opcode::login_response);
  CHECK(pdu::login_response_view(refused).status() == pdu::login_status::invalid_during_login);
  CHECK(p->closed_silently());
  f.healthy_reads();
}

//= rfc7143#section-11.17.1 type=test
//# 0x05 Command not supported
TEST_CASE("tcp: PDUs the Full Feature Phase does not take are rejected, the connection goes on", "[target][tcp]") {
  fixture f;
  auto p = f.logged_in();
  struct bad_input {
    const char* what;
    pdu::pdu request;
    pdu::reject_reason reason;
  };
  const std::vector<bad_input> inputs{
      {"an undefined opcode", pdu::unknown_builder(0x1c).initiator_task_tag(7).immediate().build(),
       pdu::reject_reason::command_not_supported},
      //= rfc7143#section-11.2.1.2 type=test
      //# Initiators MUST NOT use target Opcodes
      {"a target opcode", pdu::nop_in_builder().build(), pdu::reject_reason::protocol_error},
      {"a second Login Request",
       pdu::login_request_builder().csg(pdu::login_stage::operational_negotiation).isid(1).initiator_task_tag(9)
           .build(),
       pdu::reject_reason::protocol_error},
      //= rfc7143#section-7.8 type=test
      //# reject the SNACK with a Reject PDU with a reason code of "SNACK reject"
      {"a SNACK at ErrorRecoveryLevel 0", pdu::snack_builder().initiator_task_tag(10).build(),
       pdu::reject_reason::snack_reject},
      {"Data-Out for no task", pdu::data_out_builder().initiator_task_tag(11).data(pdu::byte_buffer(512, 1)).build(),
       pdu::reject_reason::invalid_pdu_field},
  };
  std::uint32_t ping_itt = 0x1000;
  for (const auto& in : inputs) {
    INFO(in.what);
    p->send(in.request);
    const auto answer = p->expect();
    REQUIRE(answer.op() == pdu::opcode::reject);
    CHECK(pdu::reject_view(answer).reason() == in.reason);
    //= rfc7143#section-11.17.4 type=test
    //# The target returns the header (not including the digest) of the PDU in
    //# error as the data of the response.
    REQUIRE(answer.data.size() == pdu::bhs_size);
    CHECK(std::equal(answer.data.begin(), answer.data.end(), in.request.bhs.begin()));
    p->ping(ping_itt++);
  }
  f.healthy_reads();
}

//= rfc7143#section-7.7 type=test
//# When a target or an initiator receives an iSCSI PDU with a format error,
//# it MUST immediately terminate all transport connections in the session
TEST_CASE("tcp: a malformed PDU of each kind closes its session's connection", "[target][tcp]") {
  fixture f;
  struct malformed {
    const char* what;
    pdu::pdu request;
  };
  const std::vector<malformed> inputs{
      {"NOP-Out without the F bit", pdu::nop_out_builder().initiator_task_tag(1).immediate().final_bit(false).build()},
      {"SCSI Command with the reserved ITT",
       pdu::scsi_command_builder().initiator_task_tag(pdu::reserved_tag).cmd_sn(1).cdb(read10(0, 1)).read()
           .expected_data_transfer_length(512).build()},
      {"SCSI Command with a reserved task attribute",
       pdu::scsi_command_builder().initiator_task_tag(2).cmd_sn(1).cdb(read10(0, 1)).read()
           .expected_data_transfer_length(512).raw_task_attribute(6).build()},
      {"Logout Request without the F bit",
       pdu::logout_request_builder().initiator_task_tag(3).cmd_sn(1).immediate().final_bit(false).build()},
      {"TASK REASSIGN not immediate",
       pdu::task_mgmt_request_builder(pdu::tmf_function::task_reassign).immediate(false).initiator_task_tag(4)
           .cmd_sn(1).referenced_task_tag(1).build()},
      {"Text Request with C and F set",
       pdu::text_request_builder().initiator_task_tag(5).cmd_sn(1).continue_bit(true).build()},
      {"Data-Out with the reserved ITT", pdu::data_out_builder().initiator_task_tag(pdu::reserved_tag).build()},
  };
  for (const auto& in : inputs) {
    INFO(in.what);
    auto p = f.logged_in();
    p->send(in.request);
    CHECK(p->closed_silently());
    f.healthy_reads();
  }
}

TEST_CASE("tcp: a data segment beyond the target's MaxRecvDataSegmentLength closes the connection", "[target][tcp]") {
  //= rfc7143#section-13.12 type=test
  //# The initiator or target declares the maximum data segment length in
  //# bytes it can receive in an iSCSI PDU.
  fixture f;
  auto p = f.logged_in();
  p->send(pdu::nop_out_builder().initiator_task_tag(1).cmd_sn(1).immediate()
              .data(pdu::byte_buffer(8192 + 512, 0x33)).build());
  CHECK(p->closed_silently());
  f.healthy_reads();
}

//= rfc7143#section-4.2.2.1 type=test
//# The target MUST silently ignore any non-immediate command outside of this
//# range or non-immediate duplicates within the range.
TEST_CASE("tcp: commands outside the CmdSN window get no answer, the next one does", "[target][tcp]") {
  fixture f;
  auto p = f.logged_in();
  const auto max_cmd_sn = p->cmd_sn;  // ExpCmdSN after login: 1
  p->send(read_command(1, max_cmd_sn + 1000));
  p->send(read_command(2, max_cmd_sn - 1));  // below ExpCmdSN: an old duplicate
  p->ping(0x77);  // nothing came for the two commands
  p->send(read_command(3, p->cmd_sn++));
  const auto done = final_pdu(*p);
  CHECK(done.header().initiator_task_tag() == 3);
  f.healthy_reads();
}

//= rfc7143#section-7.8 type=test
//# When a target or an initiator receives any iSCSI PDU with a header digest
//# error, it MUST either discard the header and all data up to the beginning
//# of a later PDU or close the connection.
TEST_CASE("tcp: a header digest error closes the connection", "[target][tcp]") {
  fixture f;
  auto p = f.logged_in(with_digests);
  REQUIRE(p->digests().header);
  auto bytes = p->encode(pdu::nop_out_builder().initiator_task_tag(1).cmd_sn(1).immediate().build());
  bytes[pdu::bhs_size] ^= 0xff;  // the header digest follows the BHS
  p->send_raw(bytes);
  CHECK(p->closed_silently());
  f.healthy_reads();
}

//= rfc7143#section-7.8 type=test
//# When a target receives any iSCSI PDU with a payload digest error, it MUST
//# answer with a Reject PDU with a reason code of Data-Digest-Error and discard the PDU.
TEST_CASE("tcp: a data digest error on immediate data is rejected 0x02 and the command discarded", "[target][tcp]") {
  fixture f;
  auto p = f.logged_in(with_digests);
  REQUIRE(p->digests().data);
  clear_unit_attentions(*p);
  const auto command = write_command(1, p->cmd_sn, true);
  auto bytes = p->encode(command);
  bytes.back() ^= 0xff;  // the data digest ends the PDU
  p->send_raw(bytes);
  const auto reject = p->expect();
  REQUIRE(reject.op() == pdu::opcode::reject);
  CHECK(pdu::reject_view(reject).reason() == pdu::reject_reason::data_digest_error);
  //= rfc7143#section-7.3 type=test
  //# The CmdSN of the rejected command PDU (if it is a non-immediate command)
  //# MUST NOT be considered received by the target
  CHECK(pdu::reject_view(reject).exp_cmd_sn() == p->cmd_sn);
  p->ping(0x55);  // no status for the discarded command
  p->send(command);  // the initiator resends it
  const auto done = p->expect();
  REQUIRE(done.op() == pdu::opcode::scsi_response);
  CHECK(done.header().initiator_task_tag() == 1);
  CHECK(pdu::scsi_response_view(done).status() == pdu::scsi_status::good);
  f.healthy_reads();
}

//= rfc7143#section-7.8 type=test
//# b) Terminate the task with a SCSI Response PDU with a CHECK CONDITION
//# Status and an iSCSI Condition of "Protocol Service CRC error"
TEST_CASE("tcp: a data digest error on Data-Out ends the task at ERL 0", "[target][tcp]") {
  fixture f;
  auto p = f.logged_in(with_digests);
  clear_unit_attentions(*p);
  p->send(write_command(1, p->cmd_sn++, false));
  const auto r2t = p->expect();
  REQUIRE(r2t.op() == pdu::opcode::r2t);
  auto bytes = p->encode(pdu::data_out_builder().initiator_task_tag(1)
                             .target_transfer_tag(pdu::r2t_view(r2t).target_transfer_tag())
                             .data(pdu::byte_buffer(512, 0x21)).build());
  bytes.back() ^= 0xff;
  p->send_raw(bytes);
  const auto reject = p->expect();
  REQUIRE(reject.op() == pdu::opcode::reject);
  CHECK(pdu::reject_view(reject).reason() == pdu::reject_reason::data_digest_error);
  const auto done = p->expect();
  REQUIRE(done.op() == pdu::opcode::scsi_response);
  CHECK(pdu::scsi_response_view(done).status() == pdu::scsi_status::check_condition);
  CHECK(sense_of(done) == std::array<std::uint8_t, 3>{0x0b, 0x47, 0x05});
  f.healthy_reads();
}

//= rfc7143#section-4.3 type=test
//# The target MUST ONLY accept Text Requests with the SendTargets key and a
//# Logout Request with reason "close the session".  All other requests MUST be rejected.
TEST_CASE("tcp: a SCSI command in a Discovery session is rejected 0x05", "[target][tcp]") {
  fixture f;
  auto p = f.connect();
  p->login("", {}, 0x80000000999ULL);
  p->send(read_command(1, p->cmd_sn));
  const auto answer = p->expect();
  REQUIRE(answer.op() == pdu::opcode::reject);
  CHECK(pdu::reject_view(answer).reason() == pdu::reject_reason::command_not_supported);
  f.healthy_reads();
}
