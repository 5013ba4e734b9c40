// A closed command window: WRITEs held open until MaxCmdSN = ExpCmdSN - 1,
// then a command beyond it ignored, and the window's reopening conveyed
// (RFC 7143 sections 4.2.2.1, 11.4.10, 11.4.11).
#include "numbering_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// Enough to fill any window a target keeps per session for one initiator
// in a test set-up; a larger one skips.
constexpr int most_held = 256;

// A session whose window was closed by WRITEs left waiting on their R2Ts.
struct closed_window {
  session* s = nullptr;
  std::vector<held_write> writes;
  verdict problem = verdict::pass();
};

bool window_closed(const session& s) { return pdu::serial{s.cmd_sn()} > pdu::serial{s.max_cmd_sn()}; }

closed_window close_window(case_context& ctx) {
  closed_window c;
  c.s = solicited_session(ctx);
  if (!c.s) {
    c.problem = ctx.setup_error();
    return c;
  }
  const auto block = block_length(ctx, *c.s);
  if (block == 0) {
    c.problem = ctx.error_after("READ CAPACITY(10) failed", *c.s);
    return c;
  }
  while (!window_closed(*c.s)) {
    if (static_cast<int>(c.writes.size()) == most_held) {
      c.problem = verdict::skip("the window stayed open with " + std::to_string(most_held) + " WRITEs outstanding");
      return c;
    }
    held_write w;
    w.s = c.s;
    w.block = block;
    const auto command = command_for(*c.s, write_request(ctx, static_cast<std::uint32_t>(c.writes.size()), 1, block, block)).build();
    w.itt = itt_of(command);
    w.cmd_sn = pdu::scsi_command_view(command).cmd_sn();
    if (c.s->send(command)) {
      c.problem = ctx.error_after("sending WRITE " + std::to_string(c.writes.size() + 1), *c.s);
      return c;
    }
    const auto seen = await_itt(*c.s, w.itt);
    if (!seen.is(opcode::r2t)) {
      c.problem = verdict::skip("WRITE " + std::to_string(c.writes.size() + 1) + " was not answered by an R2T: " + seen.describe());
      return c;
    }
    w.r2t = seen.received;
    c.writes.push_back(std::move(w));
  }
  return c;
}

// Answers the R2Ts of writes[from...] and reads their statuses: the LUN is
// left with no task open.
verdict finish_writes(case_context& ctx, closed_window& c, std::size_t from) {
  for (std::size_t i = from; i < c.writes.size(); ++i)
    if (answer_r2t(ctx, c.writes[i])) return ctx.error_after("answering an R2T", *c.s);
  for (std::size_t i = from; i < c.writes.size(); ++i)
    if (const auto seen = await_itt(*c.s, c.writes[i].itt); !seen.is(opcode::scsi_response))
      return unexpected(seen, "the status of a held WRITE");
  return verdict::pass();
}

//= rfc7143#section-11.4.11 type=test
//# If the
//# MaxCmdSN is equal to ExpCmdSN - 1, this indicates to the initiator
//# that the target cannot receive any additional commands.  When the
//# MaxCmdSN changes at the target while the target has no pending PDUs
//# to convey this information to the initiator, it MUST generate a
//# NOP-In to carry the new MaxCmdSN.
TOUCHSTONE_CASE({.id = "numbering.window.reopens-after-close",
                 .title = "once WRITEs close the window, finishing one reopens it: a response or a NOP-In carries the new MaxCmdSN",
                 .citations = {"rfc7143#section-11.4.11", "rfc7143#section-4.2.2.1"},
                 .level = requirement_level::must,
                 .tags = {"numbering", "nop"},
                 .needs = {need::writable_lun}}) {
  auto c = close_window(ctx);
  if (c.problem.kind != verdict_kind::pass) return c.problem;
  if (answer_r2t(ctx, c.writes.front())) return ctx.error_after("answering the first R2T", *c.s);
  const auto status = await_itt(*c.s, c.writes.front().itt);
  if (!status.is(opcode::scsi_response)) return unexpected(status, "the first WRITE's SCSI Response");
  const auto until = c.s->times().after(c.s->times().wait);
  while (window_closed(*c.s)) {
    const auto seen = c.s->next(until);
    if (!seen.is_pdu()) break;
  }
  const bool reopened = !window_closed(*c.s);
  const auto max = c.s->max_cmd_sn();
  if (auto v = finish_writes(ctx, c, 1); v.kind != verdict_kind::pass) return v;
  if (!reopened)
    return verdict::fail("a task ended but no PDU raised MaxCmdSN past " + hex32(max) + " (next CmdSN " + hex32(c.s->cmd_sn()) + ")");
  return verdict::pass("window of " + std::to_string(c.writes.size()) + " reopened");
}

//= rfc7143#section-4.2.2.1 type=test
//# The target
//# MUST silently ignore any non-immediate command outside of this range
//# or non-immediate duplicates within the range.
TOUCHSTONE_CASE({.id = "numbering.window.closed-command-ignored",
                 .title = "a command sent into a closed window is ignored; after the window reopens its CmdSN is still free",
                 .citations = {"rfc7143#section-4.2.2.1", "rfc7143#section-11.4.10"},
                 .level = requirement_level::must,
                 .tags = {"numbering"},
                 .needs = {need::writable_lun}}) {
  auto c = close_window(ctx);
  if (c.problem.kind != verdict_kind::pass) return c.problem;
  const auto beyond = unit_ready_at(ctx, *c.s, c.s->cmd_sn());
  if (c.s->send(beyond)) return ctx.error_after("sending", *c.s);
  if (auto v = no_answer_for(*c.s, itt_of(beyond), "the command beyond MaxCmdSN"); v.kind != verdict_kind::pass) {
    (void)finish_writes(ctx, c, 0);
    return v;
  }
  if (auto v = finish_writes(ctx, c, 0); v.kind != verdict_kind::pass) return v;
  const auto again = run_scsi(*c.s, unit_ready_request(ctx));
  if (!again.completed()) return verdict::fail("the ignored CmdSN, sent again once the window reopened, got " + again.summary());
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
