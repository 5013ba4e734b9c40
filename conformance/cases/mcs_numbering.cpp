// Numbering across the connections of a session (RFC 7143 section 4.2.2):
// CmdSN is session-wide (a command on the second connection takes the
// next CmdSN after the first's; one held back on a connection holds back a
// later one on another), StatSN is per connection.
#include "mcs_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

//= rfc7143#section-4.2.2.2 type=test
//# The
//# StatSN is a counter maintained per connection.
//= rfc7143#section-4.2.2.2 type=test
//# Status numbering starts with the Login Response to the first Login
//# Request of the connection.
// Three commands answered on the first connection must not move the
// second's StatSN: its first answer carries the StatSN its login gave it.
TOUCHSTONE_CASE({.id = "mcs.statsn.per-connection",
                 .title = "StatSN is per connection: answers on the first do not advance the second's",
                 .citations = {"rfc7143#section-4.2.2.2", "rfc7143#section-4.2.2"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "numbering"},
                 .needs = {need::mcs}}) {
  auto g = connected_group(ctx, 2);
  if (!g.ok()) return g.problem;
  auto& first = g.group.at(0);
  auto& second = g.group.at(1);
  const auto expected = second.exp_stat_sn();
  for (int i = 0; i < 3; ++i) {
    const auto out = run_scsi(first, unit_ready_request(ctx));
    if (!out.completed()) return ctx.error_after("TEST UNIT READY on the first connection: " + out.summary(), first);
  }
  const auto ping = ping_request(second);
  if (second.send(ping)) return ctx.error_after("sending a ping on the second connection", second);
  const auto echo = await_itt(second, itt_of(ping));
  if (!echo.is(opcode::nop_in)) return unexpected(echo, "a NOP-In on the second connection");
  const auto stat_sn = echo.received.header().u32(24);
  if (stat_sn != expected)
    return verdict::fail("the second connection's first answer carries StatSN " + std::to_string(stat_sn) +
                         ", its login left ExpStatSN " + std::to_string(expected) +
                         " (3 answers on the first connection came between)");
  return verdict::pass();
}

//= rfc7143#section-4.2.2 type=test
//# Command numbering is session-wide and is used for ordered command
//# delivery over multiple connections.
// A target numbering commands per connection would wait on the second
// connection for a CmdSN it already had on the first: no answer.
TOUCHSTONE_CASE({.id = "mcs.cmdsn.session-wide",
                 .title = "a command on the second connection with the CmdSN after the first's is executed",
                 .citations = {"rfc7143#section-4.2.2", "rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "numbering"},
                 .needs = {need::mcs}}) {
  auto g = connected_group(ctx, 2);
  if (!g.ok()) return g.problem;
  auto& first = g.group.at(0);
  auto& second = g.group.at(1);
  (void)clear_unit_attentions(ctx, first);
  const auto on_first = run_scsi(first, unit_ready_request(ctx));
  if (!on_first.completed()) return ctx.error_after("TEST UNIT READY on the first connection", first);
  const auto on_second = run_scsi(second, unit_ready_request(ctx));
  if (!on_second.completed())
    return verdict::fail("TEST UNIT READY with CmdSN " + std::to_string(on_second.cmd_sn) +
                         " on the second connection (CmdSN " + std::to_string(on_first.cmd_sn) +
                         " was the first's) got " + on_second.summary());
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# With the exception of the
//# commands marked for immediate delivery, the iSCSI target layer MUST
//# deliver the commands for execution in the order specified by the
//# CmdSN.
//= rfc7143#section-4.2.2 type=test
//# Command numbering is session-wide and is used for ordered command
//# delivery over multiple connections.
TOUCHSTONE_CASE({.id = "mcs.cmdsn.gap-holds-other-connection",
                 .title = "a command on the second connection behind a CmdSN the first has not sent waits for it",
                 .citations = {"rfc7143#section-4.2.2.1", "rfc7143#section-4.2.2"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "numbering"},
                 .needs = {need::mcs}}) {
  auto g = connected_group(ctx, 2);
  if (!g.ok()) return g.problem;
  auto& first = g.group.at(0);
  auto& second = g.group.at(1);
  (void)clear_unit_attentions(ctx, first);
  if (!window_holds(first, 2)) return verdict::skip("the command window holds one command only");
  const auto held = first.take_cmd_sn();
  const auto later = unit_ready_at(ctx, second, second.take_cmd_sn());
  if (second.send(later)) return ctx.error_after("sending on the second connection", second);
  if (auto v = no_answer_for(second, itt_of(later), "the command behind the first connection's CmdSN " +
                                                       std::to_string(held));
      v.kind != verdict_kind::pass)
    return v;
  const auto filler = unit_ready_at(ctx, first, held);
  if (first.send(filler)) return ctx.error_after("sending the held command", first);
  if (!await_itt(first, itt_of(filler)).is(opcode::scsi_response))
    return verdict::fail("the held command, sent at last on the first connection, got no SCSI Response");
  if (!await_itt(second, itt_of(later)).is(opcode::scsi_response))
    return verdict::fail("the command on the second connection got no SCSI Response once the gap was filled");
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# With the exception of the
//# commands marked for immediate delivery, the iSCSI target layer MUST
//# deliver the commands for execution in the order specified by the
//# CmdSN.
// The order is seen in the data: a WRITE (CmdSN n, first connection) sent
// after the READ of the same block (CmdSN n+1, second connection) must
// still be executed before it, so the READ returns what the WRITE wrote.
// A target that executes the READ on arrival returns the block's old
// contents (written just before, with another pattern) and fails. Both
// tasks are ORDERED, so that no SCSI reordering of SIMPLE tasks (sam5,
// from memory: the queue algorithm modifier) can excuse the order: the
// device server must run them as iSCSI delivered them.
TOUCHSTONE_CASE({.id = "mcs.cmdsn.write-before-read-across-connections",
                 .title = "a READ on one connection sent before the WRITE it follows in CmdSN order reads the written data",
                 .citations = {"rfc7143#section-4.2.2.1", "rfc7143#section-4.2.2"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "numbering", "write"},
                 .needs = {need::mcs, need::writable_lun}}) {
  auto g = connected_group(ctx, 2);
  if (!g.ok()) return g.problem;
  auto& first = g.group.at(0);
  auto& second = g.group.at(1);
  (void)clear_unit_attentions(ctx, first);
  const auto block = block_length(ctx, first);
  if (block == 0) return ctx.error_after("READ CAPACITY(10)", first);
  if (!run_scsi(first, write_block(ctx, pattern(block, 1))).good()) return ctx.error_after("the first WRITE", first);
  if (!window_holds(first, 2)) return verdict::skip("the command window holds one command only");
  const auto wanted = pattern(block, 2);
  auto write = write_block(ctx, wanted);
  write.attribute = pdu::task_attribute::ordered;
  const auto write_cmd = command_for(first, write).build();  // CmdSN n, held
  auto read = read_block(ctx, block);
  read.attribute = pdu::task_attribute::ordered;
  const auto read_cmd = command_for(second, read).build();  // CmdSN n+1
  if (second.send(read_cmd)) return ctx.error_after("sending the READ", second);
  if (auto v = no_answer_for(second, itt_of(read_cmd), "the READ behind the unsent WRITE");
      v.kind != verdict_kind::pass)
    return v;
  const auto wrote = drive_scsi(first, write_cmd, write);
  if (!wrote.good()) return ctx.error_after("the WRITE: " + wrote.summary(), first);
  const auto got = finish_task(ctx, second, itt_of(read_cmd));
  if (!got.good()) return verdict::fail("the READ on the second connection got " + got.summary());
  const auto read_data = data_of(got, block);
  if (read_data != wanted)
    return verdict::fail("the READ (CmdSN " + std::to_string(pdu::scsi_command_view(read_cmd).cmd_sn()) + ") returned " +
                         (read_data == pattern(block, 1) ? "the block as it was before" : "other data than") +
                         " the WRITE (CmdSN " + std::to_string(pdu::scsi_command_view(write_cmd).cmd_sn()) + ")");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
