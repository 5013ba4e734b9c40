// CmdSN ordering and allegiance across the connections of one session in
// process (RFC 7143 sections 4.2.2.1, 4.2.5.1): the session's one command
// window orders commands whatever connection they came on, and each task's
// PDUs stay on its command's connection.
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using pdu::login_stage;
using pdu::login_status;

namespace {

pdu::pdu data_out(std::uint32_t ttt) {
  pdu::data_out_builder b;
  b.initiator_task_tag(5).target_transfer_tag(ttt).buffer_offset(0).data_sn(0).final_bit(true).data(
      pdu::byte_buffer(512, 0x5a));
  return b.build();
}

bool answers(const step& s, std::uint32_t itt) {
  return std::any_of(s.sent.begin(), s.sent.end(),
                     [&](const pdu::pdu& p) { return p.header().initiator_task_tag() == itt; });
}

}  // namespace

TEST_CASE("mcs: a command filling a CmdSN gap releases the other connection's, answered there",
          "[target][mcs][numbering]") {
  two_connections t;
  //= rfc7143#section-4.2.2.1
  //= type=test
  //# the iSCSI target layer MUST deliver the commands for execution in the
  //# order specified by the CmdSN.
  // CmdSN 11 on B waits for 10.
  auto held = t.b.feed(read_block0(0x22, 11));
  CHECK_FALSE(answers(held, 0x22));
  CHECK(t.b.core().queued_command_count() == 1);
  // 10 on A closes the gap: A answers 10, B's 11 runs and is answered on B.
  auto filled = t.a.feed(read_block0(0x11, 10));
  CHECK(answers(filled, 0x11));
  //= rfc7143#section-4.2.5.1
  //= type=test
  //# For any iSCSI request issued over a TCP connection, the corresponding
  //# response and/or other related PDU(s) MUST be sent over the same
  //# connection.
  CHECK_FALSE(answers(filled, 0x22));
  auto released = t.b.drain();
  CHECK(answers(released, 0x22));
  CHECK_FALSE(answers(released, 0x11));
  // ExpCmdSN is the session's on both connections.
  REQUIRE_FALSE(released.sent.empty());
  CHECK(released.sent.back().header().u32(28) == 12);
  CHECK(t.a.core().exp_cmd_sn() == 12);
}

TEST_CASE("mcs: Data-Out for a task on another connection than its command's is refused",
          "[target][mcs]") {
  two_connections t;
  auto w = t.a.feed(pdu::scsi_command_builder()
                        .initiator_task_tag(5)
                        .cmd_sn(10)
                        .cdb(write10(0, 1))
                        .write()
                        .expected_data_transfer_length(512)
                        .build());
  REQUIRE(w.sent.at(0).op() == pdu::opcode::r2t);
  const auto ttt = w.sent[0].header().u32(20);
  //= rfc7143#section-4.2.5.1
  //= type=test
  //# If an initiator issues a write command, the initiator MUST send the
  //# data, if any, for that command over the same TCP connection that was
  //# used to deliver the SCSI command.
  auto wrong = t.b.feed(data_out(ttt));
  REQUIRE(wrong.sent.size() == 1);
  CHECK(wrong.sent[0].op() == pdu::opcode::reject);
  // On its own connection the data completes the write.
  auto right = t.a.feed(data_out(ttt));
  REQUIRE_FALSE(right.sent.empty());
  CHECK(right.sent.back().op() == pdu::opcode::scsi_response);
}
