// Data-Out and R2T (RFC 7143 sections 11.7, 11.8, 13.10, 13.11, 13.14,
// 13.17, 11.4.2, 11.4.7.2).
#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

constexpr std::uint32_t small_max_burst = 8192;

// A solicited WRITE of four MaxBurstLengths (MaxBurstLength=8192 offered).
struct solicited_write {
  scsi_outcome out;
  std::uint32_t max_burst = 0;
  std::uint32_t edtl = 0;
  verdict problem = verdict::pass();
  bool ok() const { return problem.kind == verdict_kind::pass; }
};

solicited_write write_four_bursts(case_context& ctx) {
  solicited_write w;
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "Yes"},
                                             {"ImmediateData", "No"},
                                             {"MaxBurstLength", std::to_string(small_max_burst)},
                                             {"FirstBurstLength", "512"},
                                             {"DataSequenceInOrder", "Yes"}});
  if (!t.ok()) {
    w.problem = t.problem;
    return w;
  }
  w.max_burst = t.s->params().max_burst_length;
  if (t.block > w.max_burst) {
    w.problem = verdict::skip("the block length exceeds MaxBurstLength");
    return w;
  }
  const auto blocks = static_cast<std::uint16_t>(4 * w.max_burst / t.block);
  w.edtl = blocks * t.block;
  w.out = run_scsi(*t.s, write_request(ctx, 0, blocks, w.edtl, w.edtl));
  if (!w.out.good()) w.problem = verdict::error("the WRITE: " + w.out.summary());
  else if (w.out.r2ts.empty()) w.problem = verdict::error("the WRITE was not solicited by any R2T");
  return w;
}

//= rfc7143#section-11.8.4 type=test
//# The Desired Data
//# Transfer Length MUST NOT be 0 and MUST NOT exceed MaxBurstLength.
TOUCHSTONE_CASE({.id = "data-out.r2t.desired-length-in-range",
                 .title = "every R2T asks for 1..MaxBurstLength bytes (MaxBurstLength=8192)",
                 .citations = {"rfc7143#section-11.8.4"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "r2t"},
                 .needs = {need::writable_lun}}) {
  const auto w = write_four_bursts(ctx);
  if (!w.ok()) return w.problem;
  for (const auto& p : w.out.r2ts) {
    const auto length = pdu::r2t_view(p).desired_data_transfer_length();
    if (length == 0 || length > w.max_burst)
      return verdict::fail("R2T for " + std::to_string(length) + " bytes with MaxBurstLength " + std::to_string(w.max_burst));
  }
  return verdict::pass();
}

//= rfc7143#section-11.8.5 type=test
//# There is no protocol rule about the Target Transfer Tag except that the value
//# 0xffffffff is reserved and MUST NOT be sent by a target in an R2T.
TOUCHSTONE_CASE({.id = "data-out.r2t.ttt-not-reserved",
                 .title = "no R2T carries the Target Transfer Tag 0xffffffff",
                 .citations = {"rfc7143#section-11.8.5"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "r2t"},
                 .needs = {need::writable_lun}}) {
  const auto w = write_four_bursts(ctx);
  // The R2Ts seen are checked even when the WRITE did not complete: a target
  // that sends 0xffffffff may then refuse the Data-Out PDUs that echo it.
  for (const auto& p : w.out.r2ts)
    if (pdu::r2t_view(p).target_transfer_tag() == pdu::reserved_tag) return verdict::fail("an R2T with TTT 0xffffffff");
  if (!w.ok()) return w.problem;
  return verdict::pass();
}

//= rfc7143#section-11.8.2 type=test
//# R2TSN is the R2T PDU input PDU number within the command identified
//# by the Initiator Task Tag.
TOUCHSTONE_CASE({.id = "data-out.r2t.r2tsn-counts-from-zero",
                 .title = "R2TSN counts 0, 1, 2, ... within the command",
                 .citations = {"rfc7143#section-11.8.2", "rfc7143#section-4.2.2.4"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "r2t", "numbering"},
                 .needs = {need::writable_lun}}) {
  const auto w = write_four_bursts(ctx);
  if (!w.ok()) return w.problem;
  for (std::size_t i = 0; i < w.out.r2ts.size(); ++i)
    if (pdu::r2t_view(w.out.r2ts[i]).r2t_sn() != i)
      return verdict::fail("R2T " + std::to_string(i) + " has R2TSN " + std::to_string(pdu::r2t_view(w.out.r2ts[i]).r2t_sn()));
  return verdict::pass();
}

//= rfc7143#section-11.8.3 type=test
//# The StatSN field will contain the next StatSN.  The StatSN for this
//# connection is not advanced after this PDU is sent.
TOUCHSTONE_CASE({.id = "data-out.r2t.statsn-not-advanced",
                 .title = "each R2T carries the next StatSN, which the WRITE's status then takes",
                 .citations = {"rfc7143#section-11.8.3"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "r2t", "numbering"},
                 .needs = {need::writable_lun}}) {
  const auto w = write_four_bursts(ctx);
  if (!w.ok()) return w.problem;
  const auto status_sn = pdu::scsi_response_view(*w.out.final_pdu).stat_sn();
  for (const auto& p : w.out.r2ts)
    if (pdu::r2t_view(p).stat_sn() != status_sn)
      return verdict::fail("an R2T carries StatSN " + std::to_string(pdu::r2t_view(p).stat_sn()) +
                           ", the status that follows " + std::to_string(status_sn));
  return verdict::pass();
}

//= rfc7143#section-13.19 type=test
//# If DataSequenceInOrder is set to Yes, data sequences MUST be transferred
//# using continuously non-decreasing sequence offsets (R2T buffer offset for
//# writes, or the smallest SCSI Data-In buffer offset within a read data
//# sequence).
//= rfc7143#section-11.8 type=test
//# If DataSequenceInOrder is Yes, then consecutive R2Ts MUST
//# refer to continuous non-overlapping ranges, except for Recovery-R2Ts.
TOUCHSTONE_CASE({.id = "data-out.r2t.sequence-in-order",
                 .title = "with DataSequenceInOrder=Yes the R2Ts ask for continuous ranges covering the EDTL",
                 .citations = {"rfc7143#section-11.8", "rfc7143#section-13.19"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "r2t"},
                 .needs = {need::writable_lun}}) {
  const auto w = write_four_bursts(ctx);
  if (!w.ok()) return w.problem;
  std::uint32_t next = 0;
  for (const auto& p : w.out.r2ts) {
    const pdu::r2t_view v(p);
    if (v.buffer_offset() != next)
      return verdict::fail("an R2T at offset " + std::to_string(v.buffer_offset()) + " where " + std::to_string(next) + " was next");
    next += v.desired_data_transfer_length();
  }
  if (next != w.edtl) return verdict::fail("the R2Ts ask for " + std::to_string(next) + " of " + std::to_string(w.edtl) + " bytes");
  return verdict::pass();
}

//= rfc7143#section-13.17 type=test
//# The initiator and target negotiate the maximum number of outstanding
//# R2Ts per task, excluding any implied initial R2T that might be part
//# of that task.  An R2T is considered outstanding until the last data
//# PDU (with the F bit set to 1) is transferred
TOUCHSTONE_CASE({.id = "data-out.r2t.max-outstanding-one",
                 .title = "with MaxOutstandingR2T=1 no second R2T comes while the first is unanswered",
                 .citations = {"rfc7143#section-13.17", "rfc7143#section-11.8"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "r2t"},
                 .needs = {need::writable_lun}}) {
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "Yes"},
                                             {"ImmediateData", "No"},
                                             {"MaxOutstandingR2T", "1"},
                                             {"MaxBurstLength", std::to_string(small_max_burst)},
                                             {"FirstBurstLength", "512"}});
  if (!t.ok()) return t.problem;
  if (t.block > small_max_burst) return verdict::skip("the block length exceeds MaxBurstLength");
  const auto blocks = static_cast<std::uint16_t>(4 * small_max_burst / t.block);
  const auto r = write_request(ctx, 0, blocks, blocks * t.block, blocks * t.block);
  const auto command = command_for(*t.s, r).build();
  const auto itt = command.header().initiator_task_tag();
  if (t.s->send(command)) return ctx.error_after("sending the WRITE", *t.s);
  const auto first = await_itt(*t.s, itt);
  if (!first.is(opcode::r2t)) return verdict::error("no R2T: " + first.describe());
  if (auto v = no_answer_for(*t.s, itt, "the WRITE with one R2T outstanding"); v.kind != verdict_kind::pass)
    return v;
  // Finish the WRITE so the session ends clean.
  held_write w;
  w.s = t.s;
  w.itt = itt;
  w.r2t = first.received;
  for (int i = 0; i < 64; ++i) {
    if (answer_r2t(ctx, w)) return verdict::error("answering an R2T failed");
    const auto seen = await_itt(*t.s, itt);
    if (!seen.is(opcode::r2t)) break;
    w.r2t = seen.received;
  }
  return verdict::pass();
}

//= rfc7143#section-13.11 type=test
//# If ImmediateData is set to Yes and InitialR2T is set to Yes
//# (default), then only immediate data are accepted in the first burst.
TOUCHSTONE_CASE({.id = "data-out.immediate.accepted",
                 .title = "ImmediateData=Yes: a one-block WRITE carried whole in the command completes GOOD, no R2T",
                 .citations = {"rfc7143#section-13.11", "rfc7143#section-11.3.6"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "immediate-data"},
                 .needs = {need::writable_lun}}) {
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "Yes"}, {"ImmediateData", "Yes"}});
  if (!t.ok()) return t.problem;
  if (!t.s->params().immediate_data) return verdict::skip("the target declined ImmediateData=Yes");
  const auto out = run_scsi(*t.s, write_request(ctx, 0, 1, t.block, t.block));
  if (!out.good()) return verdict::fail("the WRITE got " + out.summary());
  if (!out.r2ts.empty()) return verdict::fail("an R2T for data the command carried");
  return verdict::pass();
}

//= rfc7143#section-13.11 type=test
//# If ImmediateData is set to No and InitialR2T is set to Yes, then the
//# initiator MUST NOT send unsolicited data and the target MUST reject
//# unsolicited data with the corresponding response code.
//= rfc7143#section-11.4.7.2 type=test
//# | Unexpected unsolicited   |Aborted    | ASC = 0x0c ASCQ = 0x0c    |
//# | data                     |Command-0B | Write Error               |
TOUCHSTONE_CASE({.id = "data-out.immediate.refused-when-off",
                 .title = "ImmediateData=No: a command carrying data ends in CHECK CONDITION 0Bh/0Ch/0Ch",
                 .citations = {"rfc7143#section-13.11", "rfc7143#section-11.4.7.2"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "immediate-data", "sense"},
                 .needs = {need::writable_lun}}) {
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "Yes"}, {"ImmediateData", "No"}});
  if (!t.ok()) return t.problem;
  auto r = write_request(ctx, 0, 1, t.block, t.block);
  const auto command = command_for(*t.s, r).data(r.data_out).final_bit().build();
  r.data_out.clear();  // answer no R2T with data
  return expect_iscsi_condition(drive_scsi(*t.s, command, r), 0x0c, 0x0c, "immediate data with ImmediateData=No");
}

//= rfc7143#section-13.10 type=test
//# thus allowing an initiator to start sending data to a
//# target as if it has received an initial R2T with Buffer
//# Offset=Immediate Data Length and Desired Data Transfer
//# Length=(min(FirstBurstLength, Expected Data Transfer Length) -
//# Received Immediate Data Length).
TOUCHSTONE_CASE({.id = "data-out.unsolicited.first-r2t-after-burst",
                 .title = "InitialR2T=No: after one unsolicited FirstBurstLength the first R2T starts at FirstBurstLength",
                 .citations = {"rfc7143#section-13.10", "rfc7143#section-13.14"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "unsolicited"},
                 .needs = {need::writable_lun}}) {
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "No"}, {"ImmediateData", "No"}, {"FirstBurstLength", "4096"}});
  if (!t.ok()) return t.problem;
  if (t.s->params().initial_r2t) return verdict::skip("the target keeps InitialR2T=Yes");
  const auto first = t.s->params().first_burst_length;
  if (first % t.block != 0) return verdict::skip("FirstBurstLength is not a whole number of blocks");
  const auto blocks = static_cast<std::uint16_t>(2 * first / t.block);
  const auto out = run_scsi(*t.s, write_request(ctx, 0, blocks, blocks * t.block, blocks * t.block));
  if (!out.good()) return verdict::fail("the WRITE got " + out.summary());
  if (out.r2ts.empty()) return verdict::fail("no R2T for the data beyond the unsolicited burst");
  const auto offset = pdu::r2t_view(out.r2ts.front()).buffer_offset();
  if (offset != first)
    return verdict::fail("the first R2T asks from offset " + std::to_string(offset) + ", FirstBurstLength is " + std::to_string(first));
  return verdict::pass();
}

//= rfc7143#section-13.11 type=test
//# If ImmediateData is set to Yes and InitialR2T is set to No, then the
//# initiator MAY send unsolicited immediate data and/or one unsolicited
//# burst of Data-OUT PDUs.
TOUCHSTONE_CASE({.id = "data-out.immediate-and-unsolicited",
                 .title = "InitialR2T=No, ImmediateData=Yes: immediate data plus unsolicited Data-Out completes GOOD",
                 .citations = {"rfc7143#section-13.11", "rfc7143#section-13.10"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "unsolicited", "immediate-data"},
                 .needs = {need::writable_lun}}) {
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "No"},
                                             {"ImmediateData", "Yes"},
                                             {"FirstBurstLength", "8192"},
                                             {"MaxRecvDataSegmentLength", "512"}});
  if (!t.ok()) return t.problem;
  if (t.s->params().initial_r2t || !t.s->params().immediate_data)
    return verdict::skip("the target did not accept InitialR2T=No with ImmediateData=Yes");
  const auto blocks = static_cast<std::uint16_t>(std::max<std::uint32_t>(1, 16384 / t.block));
  const auto out = run_scsi(*t.s, write_request(ctx, 0, blocks, blocks * t.block, blocks * t.block));
  if (!out.good()) return verdict::fail("the WRITE got " + out.summary());
  return verdict::pass();
}

//= rfc7143#section-11.4.7.2 type=test
//# The target reports the "Incorrect amount of data" condition if,
//# during data output, the total data length to output is greater than
//# FirstBurstLength and the initiator sent unsolicited non-immediate
//# data but the total amount of unsolicited data is different than
//# FirstBurstLength.
TOUCHSTONE_CASE({.id = "data-out.unsolicited.short-burst",
                 .title = "an unsolicited burst shorter than FirstBurstLength ends in CHECK CONDITION 0Bh/0Ch/0Dh",
                 .citations = {"rfc7143#section-11.4.7.2", "rfc7143#section-11.3.4"},
                 .level = requirement_level::must,
                 .tags = {"data-out", "unsolicited", "sense"},
                 .needs = {need::writable_lun}}) {
  const auto t = transfer_session_with(ctx, {{"InitialR2T", "No"}, {"ImmediateData", "No"}, {"FirstBurstLength", "4096"}});
  if (!t.ok()) return t.problem;
  if (t.s->params().initial_r2t) return verdict::skip("the target keeps InitialR2T=Yes");
  const auto first = t.s->params().first_burst_length;
  if (first <= t.block) return verdict::skip("FirstBurstLength is one block or less");
  const auto blocks = static_cast<std::uint16_t>(2 * first / t.block + 1);
  auto r = write_request(ctx, 0, blocks, blocks * t.block, blocks * t.block);
  const auto command = command_for(*t.s, r).final_bit(false).build();
  if (t.s->send(command)) return ctx.error_after("sending the WRITE", *t.s);
  const auto short_burst = pdu::data_out_builder{}
                               .final_bit()
                               .lun(lun_field(ctx.target().lun))
                               .initiator_task_tag(command.header().initiator_task_tag())
                               .target_transfer_tag(pdu::reserved_tag)
                               .exp_stat_sn(t.s->exp_stat_sn())
                               .data_sn(0)
                               .buffer_offset(0)
                               .data(pattern(t.block))
                               .build();
  if (t.s->send(short_burst)) return ctx.error_after("sending the unsolicited Data-Out", *t.s);
  const auto result = finish_task(ctx, *t.s, command.header().initiator_task_tag());
  return expect_iscsi_condition(result, 0x0c, 0x0d, "a short unsolicited burst");
}

}  // namespace
}  // namespace touchstone::conformance::cases
