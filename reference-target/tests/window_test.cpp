// The command window in process: MaxCmdSN from the configured queue depth
// less the commands still running, a closed window, the NOP-In that carries a
// window opened with nothing else to send, the immediate-command budget, and
// the Full Feature Phase settings taken from the config (NOP-In pings,
// TargetAlias, unknown Text keys).
#include "support.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;
using namespace std::chrono_literals;

namespace {

// ExpCmdSN and MaxCmdSN sit at bytes 28 and 32 of every target PDU.
std::uint32_t exp_of(const pdu::pdu& p) { return p.header().u32(28); }
std::uint32_t max_of(const pdu::pdu& p) { return p.header().u32(32); }

std::shared_ptr<target_node> node_with_depth(std::uint32_t depth) {
  target_config c;
  c.limits.queue_depth = depth;
  return make_node(c);
}

// Clears the POWER ON unit attention of the new nexus.
void clear_ua(driver& d) { clear_uas(*d.node().devices->find_lu(0)); }

pdu::pdu write_1(std::uint32_t itt, std::uint32_t cmd_sn, bool immediate = false) {
  pdu::scsi_command_builder b;
  b.initiator_task_tag(itt).cmd_sn(cmd_sn).cdb(write10(itt, 1)).write().expected_data_transfer_length(512);
  if (immediate) b.immediate();
  return b.build();
}

pdu::pdu read_1(std::uint32_t itt, std::uint32_t cmd_sn) {
  return pdu::scsi_command_builder().initiator_task_tag(itt).cmd_sn(cmd_sn).cdb(read10(0, 1))
      .read().expected_data_transfer_length(512).build();
}

pdu::pdu data_for(const pdu::pdu& r2t, std::uint32_t itt) {
  return pdu::data_out_builder().initiator_task_tag(itt)
      .target_transfer_tag(pdu::r2t_view(r2t).target_transfer_tag())
      .data(pdu::byte_buffer(512, 0x5a)).build();
}

}  // namespace

//= rfc7143#section-4.2.2.1 type=test
//# The queuing capacity of the receiving iSCSI layer is MaxCmdSN - ExpCmdSN + 1.
//= rfc7143#section-11.4.11 type=test
//# If the MaxCmdSN is equal to ExpCmdSN - 1, this indicates to the initiator
//# that the target cannot receive any additional commands.
TEST_CASE("window: the queue depth bounds MaxCmdSN, running commands close it", "[target][window]") {
  driver d(node_with_depth(4));
  auto login = login_normal(d);
  CHECK(exp_of(login.sent.at(0)) == 10);
  CHECK(max_of(login.sent.at(0)) == 13);  // ExpCmdSN + 4 - 1
  clear_ua(d);
  std::vector<pdu::pdu> r2ts;
  for (std::uint32_t i = 0; i < 4; ++i) {
    auto s = d.feed(write_1(i + 1, 10 + i));
    REQUIRE(s.sent.size() == 1);
    REQUIRE(s.sent[0].op() == pdu::opcode::r2t);
    CHECK(exp_of(s.sent[0]) == 11 + i);
    CHECK(max_of(s.sent[0]) == 13);  // each command takes the slot its CmdSN used
    r2ts.push_back(s.sent[0]);
  }
  // Four writes wait for data: the window is closed, MaxCmdSN = ExpCmdSN - 1.
  CHECK(d.core().exp_cmd_sn() == 14);
  CHECK(d.core().max_cmd_sn() == 13);
  //= rfc7143#section-4.2.2.1 type=test
  //# The target MUST silently ignore any non-immediate command outside of this range
  CHECK(d.feed(read_1(9, 14)).sent.empty());
  CHECK(d.core().exp_cmd_sn() == 14);
  // The first write ends: its status opens the window by one, no NOP-In needed.
  auto done = d.feed(data_for(r2ts[0], 1));
  REQUIRE(done.sent.size() == 1);
  CHECK(done.sent[0].op() == pdu::opcode::scsi_response);
  CHECK(max_of(done.sent[0]) == 14);
  // The command ignored before is taken now.
  auto again = d.feed(read_1(9, 14));
  REQUIRE(again.sent.size() == 1);
  CHECK(again.sent[0].op() == pdu::opcode::data_in);
  CHECK(max_of(again.sent[0]) == 15);  // a READ ends at once and frees its slot
  for (std::uint32_t i = 1; i < 4; ++i) REQUIRE(d.feed(data_for(r2ts[i], i + 1)).sent.size() == 1);
  CHECK(d.core().max_cmd_sn() == d.core().exp_cmd_sn() + 3);
}

//= rfc7143#section-7.3 type=test
//# The CmdSN of the rejected command PDU (if it is a non-immediate
//# command) MUST NOT be considered received by the target (i.e., a
//# command sequence gap must be assumed for the CmdSN)
TEST_CASE("window: a command rejected for a task tag in use leaves its CmdSN a gap", "[target][window]") {
  driver d(node_with_depth(4));
  login_normal(d);
  clear_ua(d);
  REQUIRE(d.feed(write_1(1, 10)).sent.at(0).op() == pdu::opcode::r2t);
  auto rejected = d.feed(read_1(1, 11));  // ITT 1 is the open WRITE's
  REQUIRE(rejected.sent.size() == 1);
  REQUIRE(rejected.sent[0].op() == pdu::opcode::reject);
  CHECK(pdu::reject_view(rejected.sent[0]).reason() == pdu::reject_reason::invalid_pdu_field);
  CHECK(exp_of(rejected.sent[0]) == 11);
  // The command behind the gap waits; a resend of CmdSN 11 plugs it.
  CHECK(d.feed(read_1(3, 12)).sent.empty());
  auto plugged = d.feed(read_1(2, 11));
  REQUIRE(plugged.sent.size() >= 2);
  CHECK(d.core().exp_cmd_sn() == 13);
}

//= rfc7143#section-11.4.11 type=test
//# When the MaxCmdSN changes at the target while the target has no pending PDUs
//# to convey this information to the initiator, it MUST generate a NOP-In to
//# carry the new MaxCmdSN.
TEST_CASE("window: a slot freed with nothing to send goes out in a NOP-In", "[target][window]") {
  driver d(node_with_depth(2));
  logged_in(d);
  auto held = d.feed(read_1(1, 10), false);
  REQUIRE(held.jobs.size() == 1);
  CHECK(d.core().max_cmd_sn() == 11);  // ExpCmdSN 11, one slot held
  const auto stat_sn = d.core().next_stat_sn();
  // The device server aborted it (another initiator's LOGICAL UNIT RESET):
  // no status goes out for it, yet its slot is free again.
  scsi::response aborted;
  aborted.aborted = true;
  d.core().on_scsi_done(held.jobs[0].job, aborted);
  auto s = d.drain();
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::nop_in);
  const pdu::nop_in_view v(s.sent[0]);
  CHECK(v.initiator_task_tag() == pdu::reserved_tag);
  //= rfc7143#section-11.19.1 type=test
  //# If the target is initiating a NOP-In without wanting to receive a
  //# corresponding NOP-Out, this field MUST hold the reserved value 0xffffffff.
  CHECK(v.target_transfer_tag() == pdu::reserved_tag);
  CHECK(v.stat_sn() == stat_sn);
  CHECK(d.core().next_stat_sn() == stat_sn);  // not advanced
  CHECK(v.exp_cmd_sn() == 11);
  CHECK(v.max_cmd_sn() == 12);
  CHECK(s.sent[0].data.empty());
  // Nothing changed since: no second NOP-In.
  d.core().on_tick(clock::now());
  CHECK(d.drain().sent.empty());
}

//= rfc7143#section-4.2.2.1 type=test
//# An iSCSI target MUST be able to handle at least one immediate task
//# management command and one immediate non-task-management iSCSI command per
//# connection at any time.
TEST_CASE("window: one immediate SCSI command at a time, a second is rejected 0x06", "[target][window]") {
  driver d;
  logged_in(d);
  auto first = d.feed(write_1(1, 10, true));
  REQUIRE(first.sent.size() == 1);
  REQUIRE(first.sent[0].op() == pdu::opcode::r2t);
  CHECK(d.core().exp_cmd_sn() == 10);  // immediate: its CmdSN is not consumed
  //= rfc7143#section-11.17.1 type=test
  //# | 0x06 | Immediate command reject - too many    | yes            |
  //# |      | immediate commands                     |                |
  auto second = d.feed(write_1(2, 10, true));
  REQUIRE(second.sent.size() == 1);
  REQUIRE(second.sent[0].op() == pdu::opcode::reject);
  CHECK(pdu::reject_view(second.sent[0]).reason() == pdu::reject_reason::immediate_command_reject);
  CHECK(d.core().violations().total == 0);  // not an initiator error
  // An immediate TMF alongside the open immediate command is handled.
  auto tmf = d.feed(pdu::task_mgmt_request_builder(pdu::tmf_function::abort_task)
                        .initiator_task_tag(3).referenced_task_tag(99).ref_cmd_sn(10).cmd_sn(10)
                        .immediate().build());
  REQUIRE_FALSE(tmf.sent.empty());
  CHECK(tmf.sent.back().op() == pdu::opcode::task_mgmt_response);
  // A non-immediate command is not limited by it.
  auto plain = d.feed(read_1(4, 10));
  REQUIRE(plain.sent.size() == 1);
  CHECK(plain.sent[0].op() == pdu::opcode::data_in);
}

TEST_CASE("window: the immediate command's end lets the next one in", "[target][window]") {
  driver d;
  logged_in(d);
  auto first = d.feed(write_1(1, 10, true));
  REQUIRE(first.sent.size() == 1);
  REQUIRE(d.feed(data_for(first.sent[0], 1)).sent.size() == 1);
  auto next = d.feed(write_1(2, 10, true));
  REQUIRE(next.sent.size() == 1);
  CHECK(next.sent[0].op() == pdu::opcode::r2t);
}

//= rfc7143#section-6.2 type=test
//# However, the answer for a key that is not understood MUST be key=NotUnderstood.
TEST_CASE("text: unknown keys in the Full Feature Phase are answered NotUnderstood", "[target][text]") {
  driver d;
  logged_in(d);
  auto s = d.feed(pdu::text_request_builder().initiator_task_tag(5).cmd_sn(10).final_bit(true)
                      .data(text({{"X-org.touchstone.probe", "1"}, {"NoSuchKey", "x"}, {"MaxConnections", "2"}}))
                      .build());
  REQUIRE(s.sent.size() == 1);
  REQUIRE(s.sent[0].op() == pdu::opcode::text_response);
  const auto pairs = parse(s.sent[0]);
  REQUIRE(find_key(pairs, "X-org.touchstone.probe"));
  CHECK(*find_key(pairs, "X-org.touchstone.probe") == "NotUnderstood");
  REQUIRE(find_key(pairs, "NoSuchKey"));
  CHECK(*find_key(pairs, "NoSuchKey") == "NotUnderstood");
  // A key this target knows but does not renegotiate is still refused.
  REQUIRE(find_key(pairs, "MaxConnections"));
  CHECK(*find_key(pairs, "MaxConnections") == "Reject");
}

TEST_CASE("config: NOP-In interval and timeout from the limits drive pings", "[target][nop]") {
  target_config c;
  c.limits.nop_in_interval = 2s;
  c.limits.nop_in_timeout = 3s;
  driver d(make_node(c));
  const auto t0 = clock::now();
  login_normal(d);
  d.core().on_tick(t0 + 1500ms);
  CHECK(d.drain().sent.empty());
  d.core().on_tick(t0 + 2500ms);
  auto ping = d.drain();
  REQUIRE(ping.sent.size() == 1);
  CHECK(pdu::nop_in_view(ping.sent[0]).target_transfer_tag() != pdu::reserved_tag);
  d.core().on_tick(t0 + 4500ms);  // 2 s into the 3 s timeout
  CHECK_FALSE(d.drain().closed);
  d.core().on_tick(t0 + 6000ms);
  CHECK(d.drain().closed);
}

//= rfc7143#section-13.6 type=test
//# this name SHOULD be communicated to the initiator during a Login Response
//# PDU if SessionType=Normal
TEST_CASE("config: the alias goes out as TargetAlias in a Normal session's login", "[target][login]") {
  target_config c;
  c.alias = "disk one";
  driver d(make_node(c));
  auto s = login_normal(d);
  REQUIRE(s.sent.size() == 1);
  const auto pairs = parse(s.sent[0]);
  REQUIRE(find_key(pairs, "TargetAlias"));
  CHECK(*find_key(pairs, "TargetAlias") == "disk one");

  driver discovery(make_node(c));
  auto ds = discovery.feed(login(pdu::login_stage::operational_negotiation,
                                 {{"InitiatorName", std::string(initiator_iqn)}, {"SessionType", "Discovery"}})
                               .transit_to(pdu::login_stage::full_feature_phase).build());
  REQUIRE(ds.sent.size() == 1);
  CHECK(find_key(parse(ds.sent[0]), "TargetAlias") == nullptr);
}
