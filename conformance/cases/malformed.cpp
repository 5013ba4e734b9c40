// Malformed PDUs and what a target must do with them (RFC 7143 sections 7.7,
// 7.13, 11, 11.2.1.2, 11.3.1, 11.5.2, 11.17.1), each followed by the check
// that a fresh session still works.
#include "malformed_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

pdu::pdu unassigned(session& s, std::uint8_t code) { return opcode_request(s, code); }

//= rfc7143#section-11.2.1.2 type=test
//# All other Opcodes are unassigned.
//= rfc7143#section-11.17.1 type=test
//# | 0x05 | Command not supported                  | no             |
TOUCHSTONE_CASE({.id = "malformed.opcode.unassigned-0x08",
                 .title = "unassigned initiator opcode 0x08: Reject 0x04/0x05, and the target survives",
                 .citations = {"rfc7143#section-11.2.1.2", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reject", "survival"}}) {
  return refused(ctx, provoke(ctx, [](session& s) { return unassigned(s, 0x08); }), "opcode 0x08", {0x04, 0x05}, false);
}

//= rfc7143#section-11.2.1.2 type=test
//# All other Opcodes are unassigned.
TOUCHSTONE_CASE({.id = "malformed.opcode.unassigned-0x1b",
                 .title = "unassigned initiator opcode 0x1b: Reject 0x04/0x05, and the target survives",
                 .citations = {"rfc7143#section-11.2.1.2", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reject", "survival"}}) {
  return refused(ctx, provoke(ctx, [](session& s) { return unassigned(s, 0x1b); }), "opcode 0x1b", {0x04, 0x05}, false);
}

//= rfc7143#section-11.2.1.2 type=test
//# 0x1c-0x1e Vendor-specific codes
//= rfc7143#section-11.17.1 type=test
//# | 0x05 | Command not supported                  | no             |
TOUCHSTONE_CASE({.id = "malformed.opcode.vendor-specific-0x1c",
                 .title = "vendor-specific opcode 0x1c the target does not implement: Reject 0x04/0x05, target survives",
                 .citations = {"rfc7143#section-11.2.1.2", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reject", "survival"}}) {
  return refused(ctx, provoke(ctx, [](session& s) { return unassigned(s, 0x1c); }), "opcode 0x1c", {0x04, 0x05}, false);
}

//= rfc7143#section-11.2.1.2 type=test
//# Initiators MUST NOT use target Opcodes, and targets MUST NOT use
//# initiator Opcodes.
TOUCHSTONE_CASE({.id = "malformed.opcode.target-opcode",
                 .title = "a target opcode (NOP-In, 0x20) sent by the initiator: Reject or close, and the target survives",
                 .citations = {"rfc7143#section-11.2.1.2", "rfc7143#section-7.13", "rfc7143#section-7.7"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reject", "survival"}}) {
  return refused(ctx, provoke(ctx, [](session& s) { return unassigned(s, 0x20); }), "opcode 0x20",
                 {0x04, 0x05}, true);
}

//= rfc7143#section-11 type=test
//# Receipt of reserved code values in defined fields MUST be
//# reported as a protocol error.
TOUCHSTONE_CASE({.id = "malformed.reserved-task-attribute",
                 .title = "a SCSI Command with task attribute 5 (reserved): protocol error (Reject 0x04) or close",
                 .citations = {"rfc7143#section-11", "rfc7143#section-11.3.1", "rfc7143#section-7.7"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reject", "survival"}}) {
  return refused(ctx, provoke(ctx, [&](session& s) {
                   auto b = command_for(s, unit_ready_request(ctx));
                   return b.raw_task_attribute(5).build();
                 }),
                 "task attribute 5", {0x04, 0x09}, true);
}

//= rfc7143#section-11 type=test
//# Receipt of reserved code values in defined fields MUST be
//# reported as a protocol error.
//= rfc7143#section-11.14.1 type=test
//# All other values are reserved.
TOUCHSTONE_CASE({.id = "malformed.reserved-logout-reason",
                 .title = "a Logout with reason code 5 (reserved): protocol error (Reject 0x04) or close",
                 .citations = {"rfc7143#section-11", "rfc7143#section-11.14.1", "rfc7143#section-7.7"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reject", "logout", "survival"}}) {
  return refused(ctx, provoke(ctx, [](session& s) {
                   return pdu::logout_request_builder{}
                       .immediate()
                       .final_bit()
                       .raw_reason_code(5)
                       .initiator_task_tag(s.next_itt())
                       .cmd_sn(s.cmd_sn())
                       .exp_stat_sn(s.exp_stat_sn())
                       .build();
                 }),
                 "Logout reason 5", {0x04, 0x09}, true);
}

//= rfc7143#section-11.5.2 type=test
//# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
//= rfc7143#section-7.7 type=test
//# When a target or an initiator receives an iSCSI PDU with a format
//# error, it MUST immediately terminate all transport connections in the
//# session with either a connection close or a connection reset
TOUCHSTONE_CASE({.id = "malformed.tmf-with-data",
                 .title = "a TMF Request carrying a data segment is a format error: the connection ends",
                 .citations = {"rfc7143#section-11.5.2", "rfc7143#section-7.7"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "format-error", "survival"}}) {
  return terminated(ctx, provoke(ctx, [&](session& s) {
                      return tmf_request(ctx, s, pdu::tmf_function::abort_task_set).data(pattern(8)).build();
                    }),
                    "a TMF Request with 8 bytes of data");
}

//= rfc7143#section-11.3.1 type=test
//# At least one of the W and F bits MUST be set to 1.
//= rfc7143#section-7.7 type=test
//# b) Inconsistent field contents (consistent field contents are
//# specified in Section 11).
TOUCHSTONE_CASE({.id = "malformed.command-without-f-or-w",
                 .title = "a SCSI Command with neither F nor W is a format error: the connection ends",
                 .citations = {"rfc7143#section-11.3.1", "rfc7143#section-7.7"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "format-error", "survival"}}) {
  return terminated(ctx, provoke(ctx, [&](session& s) {
                      return command_for(s, unit_ready_request(ctx)).final_bit(false).write(false).build();
                    }),
                    "a SCSI Command with F=0 and W=0");
}

//= rfc7143#section-11.3.1 type=test
//# Either or both of R and W MAY be 1 when the Expected Data Transfer
//# Length and/or the Bidirectional Read Expected Data Transfer Length
//# are 0, but they MUST NOT both be 0 when the Expected Data Transfer
//# Length and/or Bidirectional Read Expected Data Transfer Length are
//# not 0
TOUCHSTONE_CASE({.id = "malformed.edtl-without-direction",
                 .title = "a READ with EDTL 512 but neither R nor W is a format error: the connection ends",
                 .citations = {"rfc7143#section-11.3.1", "rfc7143#section-7.7"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "format-error", "survival"}}) {
  return terminated(ctx, provoke(ctx, [&](session& s) {
                      auto r = read_request(ctx, 1, 512);
                      return command_for(s, r).read(false).build();
                    }),
                    "EDTL 512 with R=0 and W=0");
}

//= rfc7143#section-11 type=test
//# Any compliant receiver MUST
//# ignore any bit not defined and all reserved fields unless specified
//# otherwise.
TOUCHSTONE_CASE({.id = "malformed.reserved-fields-ignored.nop-out",
                 .title = "a NOP-Out ping with its reserved bytes set is answered as if they were zero",
                 .citations = {"rfc7143#section-11", "rfc7143#section-11.18"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "nop", "reserved"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  auto ping = ping_request(*s);
  for (std::size_t off : {2u, 3u, 32u, 36u, 40u, 44u}) ping.bhs[off] = 0xa5;
  if (s->send(ping)) return ctx.error_after("sending", *s);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in)) return unexpected(seen, "a NOP-In (reserved fields must be ignored)");
  return verdict::pass();
}

//= rfc7143#section-11 type=test
//# Any compliant receiver MUST
//# ignore any bit not defined and all reserved fields unless specified
//# otherwise.
TOUCHSTONE_CASE({.id = "malformed.reserved-fields-ignored.scsi-command",
                 .title = "a TEST UNIT READY with reserved flag bits and bytes set completes normally",
                 .citations = {"rfc7143#section-11", "rfc7143#section-11.3"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reserved"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  (void)clear_unit_attentions(ctx, *s);
  const auto r = unit_ready_request(ctx);
  auto command = command_for(*s, r).set_bits(1, 0x18, 0x18).set_u16(2, 0xa5a5).build();
  const auto out = drive_scsi(*s, command, r);
  if (!out.completed()) return verdict::fail("the command got " + out.summary());
  return verdict::pass();
}

//= rfc7143#section-11.16 type=test
//# If the implementation supports ErrorRecoveryLevel greater than zero,
//# it MUST support all SNACK types.
TOUCHSTONE_CASE({.id = "malformed.snack-at-erl0",
                 .title = "a Status SNACK at ErrorRecoveryLevel=0: no reply is prescribed; the session and target stay sane",
                 .citations = {"rfc7143#section-11.16", "rfc7143#section-7.1.4"},
                 .level = requirement_level::may,
                 .tags = {"malformed", "snack", "survival"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto snack = pdu::snack_builder{}
                         .final_bit()
                         .type(pdu::snack_type::status)
                         .initiator_task_tag(pdu::reserved_tag)
                         .exp_stat_sn(s->exp_stat_sn())
                         .beg_run(0)
                         .run_length(0)
                         .build();
  if (s->send(snack)) return ctx.error_after("sending the SNACK", *s);
  const auto ping = ping_request(*s);
  (void)s->send(ping);
  const auto seen = await_itt(*s, ping.header().initiator_task_tag());
  if (!seen.is(opcode::nop_in) && !seen.connection_lost()) return unexpected(seen, "a NOP-In or the close");
  return survives(ctx, "a SNACK at ERL 0");
}

//= rfc7143#section-11.17.1 type=test
//# Note 2: A target should use this reason code for all invalid values
//# of PDU fields that are meant to describe a task, a response,
//# or a data transfer.  Some examples are invalid TTT/ITT,
//# buffer offset, LUN qualifying a TTT, and an invalid sequence
//# number in a SNACK.
TOUCHSTONE_CASE({.id = "malformed.data-out-for-no-task",
                 .title = "a Data-Out naming no task (unknown ITT and TTT) is rejected 0x09",
                 .citations = {"rfc7143#section-11.17.1"},
                 .level = requirement_level::should,
                 .tags = {"malformed", "reject", "data-out", "survival"}}) {
  return refused(ctx, provoke(ctx, [&](session& s) {
                   return pdu::data_out_builder{}
                       .final_bit()
                       .lun(lun_field(ctx.target().lun))
                       .initiator_task_tag(0x6666'0001)
                       .target_transfer_tag(0x6666'0002)
                       .exp_stat_sn(s.exp_stat_sn())
                       .data(pattern(512))
                       .build();
                 }),
                 "a Data-Out for no task", {0x09}, false);
}

//= rfc7143#section-11.7.1 type=test
//# DataSegmentLength MUST NOT exceed MaxRecvDataSegmentLength for the
//# direction it is sent
//= rfc7143#section-7.7 type=test
//# a) Illegal contents of any PDU header field except the Opcode
//# (legal values are specified in Section 11).
TOUCHSTONE_CASE({.id = "malformed.segment-over-mrdsl",
                 .title = "a ping whose data exceeds the target's MaxRecvDataSegmentLength: Reject or close, target survives",
                 .citations = {"rfc7143#section-11.7.1", "rfc7143#section-13.12", "rfc7143#section-7.7"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "mrdsl", "survival"}}) {
  return refused(ctx, provoke(ctx, [](session& s) {
                   return ping_request(s, pattern(s.params().max_send_data_segment_length + 4));
                 }),
                 "a segment over MaxRecvDataSegmentLength", {0x04, 0x09}, true);
}

//= rfc7143#section-7.7 type=test
//# Format errors indicate a major implementation flaw in one of the
//# parties.
TOUCHSTONE_CASE({.id = "malformed.truncated-header",
                 .title = "20 bytes of a header and then the close: no answer, and a fresh session works",
                 .citations = {"rfc7143#section-7.7", "rfc7143#section-11.2.1"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "survival"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto bytes = s->wire().encode(ping_request(*s));
  if (s->send_bytes(pdu::bytes_view{bytes.data(), 20})) return ctx.error_after("sending", *s);
  const auto seen = s->expect_silence();
  if (seen.is_pdu()) return unexpected(seen, "no answer to half a header");
  s->wire().close();
  return survives(ctx, "a truncated header");
}

}  // namespace
}  // namespace touchstone::conformance::cases
