// Data transfer in pieces and at its edges: an R2T answered by several
// Data-Out PDUs, unsolicited data in pieces, R2Ts within the EDTL, the F bit on the last Data-In
// (RFC 7143 sections 11.7.1, 11.7.6, 11.8, 11.8.4, 13.10).
#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A Data-Out of `length` zero bytes at `offset` for the task `itt`.
pdu::pdu zeros_out(const case_context& ctx, session& s, std::uint32_t itt, std::uint32_t ttt, std::uint32_t data_sn,
                   std::uint32_t offset, std::uint32_t length, bool final) {
  return pdu::data_out_builder{}
      .final_bit(final)
      .lun(lun_field(ctx.target().lun))
      .initiator_task_tag(itt)
      .target_transfer_tag(ttt)
      .exp_stat_sn(s.exp_stat_sn())
      .data_sn(data_sn)
      .buffer_offset(offset)
      .data(pdu::byte_buffer(length, 0))
      .build();
}

// Answers an R2T with one Data-Out per `piece` bytes (DataSN 0, 1, ...; F on the last).
std::error_code answer_in_pieces(const case_context& ctx, session& s, std::uint32_t itt, const pdu::pdu& r2t,
                                 std::uint32_t piece) {
  const pdu::r2t_view v(r2t);
  const auto end = v.buffer_offset() + v.desired_data_transfer_length();
  std::uint32_t sn = 0;
  for (auto offset = v.buffer_offset(); offset < end; offset += piece) {
    const auto n = std::min(piece, end - offset);
    if (auto ec = s.send(zeros_out(ctx, s, itt, v.target_transfer_tag(), sn++, offset, n, offset + n == end))) return ec;
  }
  return {};
}

//= rfc7143#section-11.8 type=test
//# An R2T MAY be answered with one or more SCSI Data-Out PDUs with a
//# matching Target Transfer Tag.
TOUCHSTONE_CASE({.id = "data-out.r2t.answered-in-pieces",
                 .title = "a 4-block WRITE whose R2Ts are answered one block per Data-Out (DataSN 0, 1, ...) completes GOOD",
                 .citations = {"rfc7143#section-11.8", "rfc7143#section-11.7.5", "rfc7143#section-11.7.1"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "r2t"},
                 .needs = {need::writable_lun}}) {
  auto* s = solicited_session(ctx);
  if (!s) return ctx.setup_error();
  const auto block = block_length(ctx, *s);
  if (block == 0) return ctx.error_after("READ CAPACITY(10) failed", *s);
  const auto command = command_for(*s, write_request(ctx, 0, 4, 4 * block, 4 * block)).build();
  const auto itt = command.header().initiator_task_tag();
  if (s->send(command)) return ctx.error_after("sending the WRITE", *s);
  for (;;) {
    const auto seen = await_itt(*s, itt);
    if (seen.is(opcode::r2t)) {
      if (answer_in_pieces(ctx, *s, itt, seen.received, block)) return ctx.error_after("answering an R2T", *s);
      continue;
    }
    if (!seen.is(opcode::scsi_response)) return unexpected(seen, "an R2T or the WRITE's SCSI Response");
    const pdu::scsi_response_view v(seen.received);
    if (v.raw_response() != 0 || v.raw_status() != 0)
      return verdict::fail("the WRITE ended with response " + std::to_string(v.raw_response()) + " status " + std::to_string(v.raw_status()));
    return verdict::pass();
  }
}

//= rfc7143#section-11.7.5 type=test
//# Either the current output
//# sequence is identified by the Initiator Task Tag (for unsolicited
//# data) or it is a data sequence generated for one R2T (for data
//# solicited through R2T).
TOUCHSTONE_CASE({.id = "data-out.unsolicited.in-pieces",
                 .title = "InitialR2T=No: a 2-block WRITE sent as two unsolicited Data-Out PDUs (DataSN 0, 1) completes GOOD",
                 .citations = {"rfc7143#section-11.7.5", "rfc7143#section-13.10", "rfc7143#section-11.7.1"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "unsolicited"},
                 .needs = {need::writable_lun}}) {
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "No"}, {"ImmediateData", "No"}});
  if (!t.ok()) return t.problem;
  if (t.s->params().initial_r2t) return verdict::skip("the target keeps InitialR2T=Yes");
  if (t.s->params().first_burst_length < 2 * t.block) return verdict::skip("FirstBurstLength is below two blocks");
  const auto command = command_for(*t.s, write_request(ctx, 0, 2, 2 * t.block, 0)).final_bit(false).build();
  const auto itt = command.header().initiator_task_tag();
  if (t.s->send(command) || t.s->send(zeros_out(ctx, *t.s, itt, pdu::reserved_tag, 0, 0, t.block, false)) ||
      t.s->send(zeros_out(ctx, *t.s, itt, pdu::reserved_tag, 1, t.block, t.block, true)))
    return ctx.error_after("sending", *t.s);
  const auto out = finish_task(ctx, *t.s, itt);
  if (!out.r2ts.empty()) return verdict::fail("an R2T asked again for unsolicited data already sent: " + describe(out.r2ts.front()));
  if (!out.good()) return verdict::fail("the WRITE got " + out.summary());
  return verdict::pass();
}

//= rfc7143#section-11.8.4 type=test
//# The target may request the data from the
//# initiator in several chunks, not necessarily in the original order of
//# the data.
//= rfc7143#section-11.7.6 type=test
//# The sum of the buffer offset and
//# length should not exceed the expected transfer length for the
//# command.
TOUCHSTONE_CASE({.id = "data-out.r2t.within-edtl",
                 .title = "with MaxBurstLength=8192, every R2T of a 64 KiB + 1 block WRITE asks for bytes inside the EDTL",
                 .citations = {"rfc7143#section-11.8.4", "rfc7143#section-11.7.6"},
                 .level = requirement_level::should,
                 .tags = {"data-out", "r2t"},
                 .needs = {need::writable_lun}}) {
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "Yes"}, {"ImmediateData", "No"},
                                             {"MaxBurstLength", "8192"}, {"FirstBurstLength", "8192"}});
  if (!t.ok()) return t.problem;
  // One block more than 64 KiB: the last burst is shorter than MaxBurstLength
  // (a 64 KiB EDTL is whole bursts, where an R2T that always asks for a
  // whole MaxBurstLength would stay inside it).
  const auto blocks = static_cast<std::uint16_t>(std::max<std::uint32_t>(8, 65536 / t.block) + 1);
  const auto edtl = blocks * t.block;
  const auto out = run_scsi(*t.s, write_request(ctx, 0, blocks, edtl, edtl));
  // The R2Ts seen are judged even when the WRITE then failed: a target that
  // asks beyond the EDTL may refuse the data that answers it.
  for (const auto& p : out.r2ts) {
    const pdu::r2t_view v(p);
    if (std::uint64_t{v.buffer_offset()} + v.desired_data_transfer_length() > edtl)
      return verdict::fail("an R2T asks for offset " + std::to_string(v.buffer_offset()) + " length " +
                           std::to_string(v.desired_data_transfer_length()) + " with EDTL " + std::to_string(edtl));
  }
  if (!out.good()) return ctx.error_after("the WRITE: " + out.summary(), *t.s);
  return verdict::pass(std::to_string(out.r2ts.size()) + " R2Ts");
}

//= rfc7143#section-11.7.1 type=test
//# For incoming data, this bit is 1 for the last input (read) data PDU
//# of a sequence.
TOUCHSTONE_CASE({.id = "data-in.last-pdu-final",
                 .title = "with MaxRecvDataSegmentLength 512, the last Data-In of an 8-block READ has the F bit",
                 .citations = {"rfc7143#section-11.7.1"},
                 .level = requirement_level::must,
                 .tags = {"data-in"}}) {
  auto o = ctx.normal_login();
  o.max_recv_data_segment_length = 512;
  auto* s = ctx.logged_in(o);
  if (!s) return ctx.setup_error();
  const auto block = block_length(ctx, *s);
  if (block == 0) return ctx.error_after("READ CAPACITY(10) failed", *s);
  const auto out = run_scsi(*s, read_request(ctx, 8, 8 * block));
  if (!out.good()) return ctx.error_after("the READ: " + out.summary(), *s);
  if (out.data_ins.empty()) return verdict::fail("the READ got no Data-In");
  if (!out.data_ins.back().header().final_bit())
    return verdict::fail("the last of " + std::to_string(out.data_ins.size()) + " Data-In PDUs has F=0");
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
