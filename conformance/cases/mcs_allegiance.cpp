// Connection allegiance and CID reuse in a session of two connections (RFC
// 7143 sections 4.2.5.1, 11.12.7): a task's PDUs come on the connection its
// command came on; a login reusing a live CID replaces that connection and
// leaves the others.
#include "mcs_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// The first PDU on `s` that names `itt`, described, or "".
std::string stray_about(const session& s, std::uint32_t itt) {
  for (const auto& p : s.received())
    if (p.header().initiator_task_tag() == itt) return describe(p);
  return {};
}

//= rfc7143#section-4.2.5.1 type=test
//# For any iSCSI request issued over a TCP connection, the corresponding
//# response and/or other related PDU(s) MUST be sent over the same
//# connection.
//= rfc7143#section-4.2.5.1 type=test
//# Thus, if an initiator issues a read command, the target MUST send the
//# requested data, if any, followed by the status, to the initiator over
//# the same TCP connection that was used to deliver the SCSI command.
// A READ on the second connection and a WRITE on the first, both
// outstanding at once: every Data-In, R2T and status of each must come on
// its own connection (a PDU naming the other's task tag fails).
TOUCHSTONE_CASE({.id = "mcs.allegiance.task-pdus-on-its-connection",
                 .title = "a READ on one connection and a WRITE on the other: each task's PDUs come on its own",
                 .citations = {"rfc7143#section-4.2.5.1"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "allegiance"},
                 .needs = {need::mcs, need::writable_lun}}) {
  auto g = connected_group(ctx, 2);
  if (!g.ok()) return g.problem;
  auto& first = g.group.at(0);
  auto& second = g.group.at(1);
  (void)clear_unit_attentions(ctx, first);
  const auto block = block_length(ctx, first);
  if (block == 0) return ctx.error_after("READ CAPACITY(10)", first);
  if (!window_holds(first, 2)) return verdict::skip("the command window holds one command only");
  const auto read = read_block(ctx, block);
  const auto read_cmd = command_for(second, read).build();
  auto write = write_block(ctx, pattern(block, 5));
  write.use_immediate_data = false;  // the data goes on the R2T, if InitialR2T lets it
  write.use_unsolicited_data = false;
  const auto write_cmd = command_for(first, write).build();
  if (second.send(read_cmd)) return ctx.error_after("sending the READ", second);
  const auto wrote = drive_scsi(first, write_cmd, write);
  const auto got = finish_task(ctx, second, itt_of(read_cmd));
  if (!wrote.completed()) return ctx.error_after("the WRITE on the first connection: " + wrote.summary(), first);
  if (!got.completed()) return ctx.error_after("the READ on the second connection: " + got.summary(), second);
  if (const auto stray = stray_about(first, itt_of(read_cmd)); !stray.empty())
    return verdict::fail("the second connection's READ had a PDU on the first connection: " + stray);
  if (const auto stray = stray_about(second, itt_of(write_cmd)); !stray.empty())
    return verdict::fail("the first connection's WRITE had a PDU on the second connection: " + stray);
  return verdict::pass(std::to_string(got.data_ins.size()) + " Data-In, " + std::to_string(wrote.r2ts.size()) +
                       " R2T checked");
}

//= rfc7143#section-11.12.7 type=test
//# A Login Request with a non-zero TSIH and a CID equal to that of an
//# existing connection implies a logout of the connection followed by a
//# login (see Section 6.3.4).
//= rfc7143#section-6.3.4 type=test
//# Targets MUST support
//# opening a second connection even when they do not support multiple
//# connections in the Full Feature Phase if ErrorRecoveryLevel is 2 and
//# SHOULD support opening a second connection if ErrorRecoveryLevel is
//# less than 2.
//= rfc7143#section-8.1.2 type=test
//# - target: An internal event of sending a Logout Response
//# (success) on another connection for a "close the session"
//# Logout Request was received, or an internal event of a
//# successful connection/session reinstatement was received,
//# thus prompting the target to close this connection cleanly.
// At ERL 0 the reinstatement is a SHOULD; once it succeeds, the replaced
// connection must end and the session's other connection must go on.
TOUCHSTONE_CASE({.id = "mcs.join.same-cid-replaces-only-that-connection",
                 .title = "a login reusing the first connection's CID replaces it; the second connection goes on",
                 .citations = {"rfc7143#section-11.12.7", "rfc7143#section-6.3.4", "rfc7143#section-8.1.2"},
                 .level = requirement_level::should,
                 .tags = {"mcs", "login", "reinstatement"},
                 .needs = {need::mcs}}) {
  auto g = connected_group(ctx, 2);
  if (!g.ok()) return g.problem;
  const auto out = g.group.add(g.group.join_options(g.group.cid(0)));
  if (out.how == login_ending::transport) return verdict::error("the reinstating login: " + out.summary());
  if (!out.ok()) return verdict::fail("the login reusing CID " + std::to_string(g.group.cid(0)) + " was refused: " +
                                      out.summary());
  auto& old = g.group.at(0);
  if (old.expect_close(old.times().wait).what == observed::timeout)
    return verdict::fail("the connection whose CID was reused stays open");
  for (const std::size_t i : {std::size_t{1}, std::size_t{2}}) {
    auto& s = g.group.at(i);
    const auto ping = ping_request(s);
    (void)s.send(ping);
    if (!await_itt(s, itt_of(ping)).is(opcode::nop_in))
      return verdict::fail(std::string(i == 1 ? "the second connection" : "the reinstated connection") +
                           " does not answer a ping after the reinstatement");
  }
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
