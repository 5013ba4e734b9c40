// Logout in a session of two connections (RFC 7143 sections 11.14,
// 11.15): reason 1 closes one connection and leaves the session on the
// other, discarding the commands that connection held unacknowledged;
// reason 0 ends every connection.
#include "mcs_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// The Logout Response to `request` on `s`, then the close; a verdict that
// is not pass when either is missing or the response is not 0.
verdict logged_out(session& s, const pdu::pdu& request, std::string_view what) {
  if (s.send(request)) return verdict::error("sending the Logout on " + std::string(what));
  const auto answer = await_itt(s, itt_of(request));
  if (!answer.is(opcode::logout_response)) return unexpected(answer, "a Logout Response on " + std::string(what));
  const auto code = pdu::logout_response_view(answer.received).raw_response();
  if (code != 0) return verdict::fail("the Logout on " + std::string(what) + " was answered " + std::to_string(code));
  //= rfc7143#section-11.14
  //# The target then issues the Logout Response and half-closes the TCP
  //# connection (sends FIN).
  if (s.expect_close(s.times().wait).what == observed::timeout)
    return verdict::fail(std::string(what) + " stays open after its Logout Response");
  return verdict::pass();
}

//= rfc7143#section-11.14.1 type=test
//# 1 - close the connection.  All commands associated with the
//# connection (if any) are terminated.
//= rfc7143#section-6.3.3 type=test
//# A session is operational once it has at least one connection in the
//# Full Feature Phase.
TOUCHSTONE_CASE({.id = "mcs.logout.connection-leaves-session",
                 .title = "Logout (close the connection) of the second connection leaves the session working on the first",
                 .citations = {"rfc7143#section-11.14.1", "rfc7143#section-11.14", "rfc7143#section-6.3.3"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "logout"},
                 .needs = {need::mcs}}) {
  auto g = connected_group(ctx, 2);
  if (!g.ok()) return g.problem;
  auto& first = g.group.at(0);
  auto& second = g.group.at(1);
  // Immediate: it takes no CmdSN, so what follows judges only this clause
  // (mcs.logout.non-immediate-takes-cmdsn judges a Logout's CmdSN).
  const auto request = logout_request_for(second, pdu::logout_reason::close_connection, g.group.cid(1), true);
  if (auto v = logged_out(second, request, "the second connection"); v.kind != verdict_kind::pass) return v;
  g.group.forget(1);
  (void)clear_unit_attentions(ctx, first);
  const auto out = run_scsi(first, unit_ready_request(ctx));
  if (!out.completed())
    return verdict::fail("after the second connection logged out, TEST UNIT READY on the first got " + out.summary());
  return verdict::pass();
}

//= rfc7143#section-4.2.2.1 type=test
//# All
//# commands (initiator-to-target PDUs) in transit from the initiator to
//# the target are numbered.
//= rfc7143#section-4.2.2.1 type=test
//# The target iSCSI layer sets the
//# ExpCmdSN to the largest non-immediate CmdSN that it can deliver
//# for execution "plus 1" per [RFC1982].  There MUST NOT be any
//# holes in the acknowledged CmdSN sequence.
// A non-immediate Logout (reason 1) on the second connection takes CmdSN
// n and is answered; the next command, CmdSN n+1 on the first connection,
// must then be executed. A target that does not count the Logout's CmdSN
// leaves n a hole and the command waits for ever.
TOUCHSTONE_CASE({.id = "mcs.logout.non-immediate-takes-cmdsn",
                 .title = "after a non-immediate Logout of the second connection, the next CmdSN runs on the first",
                 .citations = {"rfc7143#section-4.2.2.1", "rfc7143#section-11.14"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "logout", "numbering"},
                 .needs = {need::mcs}}) {
  auto g = connected_group(ctx, 2);
  if (!g.ok()) return g.problem;
  auto& first = g.group.at(0);
  auto& second = g.group.at(1);
  (void)clear_unit_attentions(ctx, first);
  const auto request = logout_request_for(second, pdu::logout_reason::close_connection, g.group.cid(1), false);
  const auto logout_sn = pdu::logout_request_view(request).cmd_sn();
  if (auto v = logged_out(second, request, "the second connection"); v.kind != verdict_kind::pass) return v;
  g.group.forget(1);
  const auto out = run_scsi(first, unit_ready_request(ctx));
  if (!out.completed())
    return verdict::fail("TEST UNIT READY with CmdSN " + std::to_string(out.cmd_sn) + ", after the Logout with CmdSN " +
                         std::to_string(logout_sn) + " was answered, got " + out.summary());
  return verdict::pass();
}

//= rfc7143#section-11.14.1 type=test
//# 0 - close the session.  All commands associated with the
//# session (if any) are terminated.
//= rfc7143#section-11.14 type=test
//# When receiving a Logout Request with the reason code "close the
//# connection" or "close the session", the target MUST terminate all
//# pending commands, whether acknowledged via the ExpCmdSN or not, on
//# that connection or session, respectively.
//= rfc7143#section-8.1.2 type=test
//# - target: An internal event of sending a Logout Response
//# (success) on another connection for a "close the session"
//# Logout Request was received, or an internal event of a
//# successful connection/session reinstatement was received,
//# thus prompting the target to close this connection cleanly.
// Closing the session closes its every connection: the second one must
// close too (transition T8 of the connection state machine).
TOUCHSTONE_CASE({.id = "mcs.logout.session-ends-all-connections",
                 .title = "Logout (close the session) on the first connection closes the second one too",
                 .citations = {"rfc7143#section-11.14.1", "rfc7143#section-11.14", "rfc7143#section-8.1.2"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "logout"},
                 .needs = {need::mcs}}) {
  auto g = connected_group(ctx, 2);
  if (!g.ok()) return g.problem;
  auto& first = g.group.at(0);
  auto& second = g.group.at(1);
  const auto request = logout_request_for(first, pdu::logout_reason::close_session, 0, false);
  if (auto v = logged_out(first, request, "the first connection"); v.kind != verdict_kind::pass) return v;
  const auto seen = second.expect_close(second.times().wait);
  if (seen.what == observed::timeout)
    return verdict::fail("the second connection stays open after the session was logged out on the first");
  return verdict::pass("the second connection: " + seen.describe());
}

//= rfc7143#section-11.14 type=test
//# A successful completion of a Logout Request with the reason code
//# "close the connection" or "remove the connection for recovery"
//# results at the target in the discarding of unacknowledged commands
//# received on the connection being logged out.
// The WRITE (CmdSN n+1, immediate data) waits on the second connection
// behind CmdSN n; the second connection logs out (an immediate Logout,
// which waits behind nothing). n is then filled on the first connection,
// and n+1 too (the WRITE's CmdSN is a hole now, section 11.14: "The
// resulting holes in the command sequence numbers will have to be handled
// by appropriate recovery"); a READ after them must find the block as it
// was: a target that ran the discarded WRITE fails.
TOUCHSTONE_CASE({.id = "mcs.logout.connection-discards-unacknowledged",
                 .title = "a WRITE waiting behind a CmdSN gap on a connection logged out (reason 1) is never executed",
                 .citations = {"rfc7143#section-11.14", "rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"mcs", "logout", "numbering", "write"},
                 .needs = {need::mcs, need::writable_lun}}) {
  auto o = with_recovery(ctx.normal_login(), 0, 2);
  o.operational.push_back({"ImmediateData", "Yes"});
  auto g = ctx.group();
  if (const auto led = g.lead(o); !led.ok()) return verdict::error("the leading login: " + led.summary());
  if (g.negotiated().max_connections < 2) return verdict::skip("the session negotiated MaxConnections=1");
  if (!g.negotiated().immediate_data) return verdict::skip("the session negotiated ImmediateData=No");
  if (const auto joined = g.add(); !joined.ok()) return verdict::error("the second connection: " + joined.summary());
  auto& first = g.at(0);
  auto& second = g.at(1);
  (void)clear_unit_attentions(ctx, first);
  const auto block = block_length(ctx, first);
  if (block == 0 || block > g.negotiated().first_burst_length || block > second.params().max_send_data_segment_length)
    return verdict::skip("one block does not fit in a command's immediate data");
  const auto before = pattern(block, 3);
  if (!run_scsi(first, write_block(ctx, before)).good()) return ctx.error_after("the first WRITE", first);
  if (!window_holds(first, 3)) return verdict::skip("the command window holds fewer than three commands");
  const auto hole = first.take_cmd_sn();
  const auto write = write_block(ctx, pattern(block, 4));
  const auto write_cmd = command_for(second, write).build();  // n+1, all its data immediate
  if (second.send(write_cmd)) return ctx.error_after("sending the WRITE", second);
  if (auto v = no_answer_for(second, itt_of(write_cmd), "the WRITE behind the gap"); v.kind != verdict_kind::pass)
    return v;
  //= rfc7143#section-4.2.2.1 type=test
  //# An iSCSI target MUST be able to handle at least one immediate task
  //# management command and one immediate non-task-management iSCSI
  //# command per connection at any time.
  const auto request = logout_request_for(second, pdu::logout_reason::close_connection, g.cid(1), true);
  if (auto v = logged_out(second, request, "the second connection (an immediate Logout sent while its WRITE waits)");
      v.kind != verdict_kind::pass)
    return v;
  g.forget(1);
  const auto fill = unit_ready_at(ctx, first, hole);
  const auto fill_write_sn = unit_ready_at(ctx, first, pdu::scsi_command_view(write_cmd).cmd_sn());
  if (first.send(fill) || first.send(fill_write_sn)) return ctx.error_after("filling the CmdSNs", first);
  (void)await_itt(first, itt_of(fill));
  (void)await_itt(first, itt_of(fill_write_sn));
  const auto read = run_scsi(first, read_block(ctx, block));
  if (!read.good()) return ctx.error_after("the READ after the logout: " + read.summary(), first);
  if (data_of(read, block) != before)
    return verdict::fail("the block was written: the WRITE held unacknowledged on the connection that logged out "
                         "was executed");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
