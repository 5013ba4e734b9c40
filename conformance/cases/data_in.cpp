// Data-In sequencing, limits and status (RFC 7143 sections 11.7, 13.12, 13.13).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

// A session logged in with the given MaxRecvDataSegmentLength and
// MaxBurstLength, and the LUN's block length; nullptr when set-up fails.
struct read_setup {
  session* s = nullptr;
  std::uint32_t block = 0;
};

read_setup prepare(case_context& ctx, std::uint32_t mrdsl, std::uint32_t max_burst = 262144) {
  read_setup r;
  auto o = ctx.normal_login();
  o.max_recv_data_segment_length = mrdsl;
  o.operational = {{"MaxBurstLength", std::to_string(max_burst)}};
  //= rfc7143#section-13.14
  //# FirstBurstLength MUST NOT exceed MaxBurstLength.
  // Below the FirstBurstLength default (65536) it is offered too: left at its
  // default it would exceed the MaxBurstLength this session asks for.
  if (max_burst < 65536) o.operational.push_back({"FirstBurstLength", std::to_string(max_burst)});
  r.s = ctx.logged_in(o);
  if (r.s) r.block = block_length(ctx, *r.s);
  return r;
}

// 64 KiB (or at least 8 blocks) read from LBA 0.
scsi_outcome read_64k(case_context& ctx, const read_setup& r) {
  const auto blocks = static_cast<std::uint16_t>(std::max<std::uint32_t>(8, 65536 / r.block));
  return run_scsi(*r.s, read_request(ctx, blocks, blocks * r.block));
}

//= rfc7143#section-11.7.5 type=test
//# For input (read) or bidirectional Data-In PDUs, the DataSN is the
//# input PDU number within the data transfer for the command identified
//# by the Initiator Task Tag.
//= rfc7143#section-11.7.6 type=test
//# When set to Yes, it means that PDUs have to be in
//# increasing buffer offset order and overlays are forbidden.
//= rfc7143#section-11.8 type=test
//# If DataPDUInOrder is set to Yes, the buffer offsets and lengths for
//# consecutive PDUs MUST form a continuous non-overlapping range, and the PDUs
//# MUST be sent in increasing offset order.
//= rfc7143#section-13.19 type=test
//# If DataSequenceInOrder is set to Yes, data sequences MUST be transferred
//# using continuously non-decreasing sequence offsets (R2T buffer offset for
//# writes, or the smallest SCSI Data-In buffer offset within a read data
//# sequence).
TOUCHSTONE_CASE({.id = "data-in.datasn-and-offsets-in-order",
                 .title = "a 64 KiB READ comes as Data-In with DataSN 0,1,2... and contiguous offsets",
                 .citations = {"rfc7143#section-11.7.5", "rfc7143#section-11.7.6", "rfc7143#section-13.18",
                               "rfc7143#section-11.8", "rfc7143#section-13.19"},
                 .level = requirement_level::must,
                 .tags = {"data-in", "numbering"}}) {
  const auto r = prepare(ctx, 4096);
  if (!r.s) return ctx.setup_error();
  if (r.block == 0) return ctx.error_after("READ CAPACITY(10) failed", *r.s);
  const auto out = read_64k(ctx, r);
  if (!out.good()) return verdict::error("the READ: " + out.summary());
  std::uint32_t expected_offset = 0;
  for (std::size_t i = 0; i < out.data_ins.size(); ++i) {
    const pdu::data_in_view v(out.data_ins[i]);
    if (v.data_sn() != i) return verdict::fail("Data-In " + std::to_string(i) + " has DataSN " + std::to_string(v.data_sn()));
    if (v.buffer_offset() != expected_offset)
      return verdict::fail("Data-In DataSN " + std::to_string(i) + " at offset " + std::to_string(v.buffer_offset()) +
                           ", expected " + std::to_string(expected_offset));
    expected_offset += static_cast<std::uint32_t>(out.data_ins[i].data.size());
  }
  return verdict::pass();
}

//= rfc7143#section-11.7.1 type=test
//# DataSegmentLength MUST NOT exceed MaxRecvDataSegmentLength for the
//# direction it is sent
TOUCHSTONE_CASE({.id = "data-in.within-mrdsl",
                 .title = "with MaxRecvDataSegmentLength=4096 declared, no Data-In segment exceeds 4096",
                 .citations = {"rfc7143#section-11.7.1", "rfc7143#section-13.12"},
                 .level = requirement_level::must,
                 .tags = {"data-in", "mrdsl"}}) {
  const auto r = prepare(ctx, 4096);
  if (!r.s) return ctx.setup_error();
  if (r.block == 0) return ctx.error_after("READ CAPACITY(10) failed", *r.s);
  const auto out = read_64k(ctx, r);
  if (out.last.what == observed::stream_error)
    return verdict::fail("a Data-In broke our limit: " + out.last.detail);
  if (!out.good()) return verdict::error("the READ: " + out.summary());
  for (const auto& p : out.data_ins)
    if (p.data.size() > 4096) return verdict::fail(describe(p));
  return verdict::pass();
}

//= rfc7143#section-11.7.1 type=test
//# the total of all the DataSegmentLength of
//# all PDUs in a sequence MUST NOT exceed MaxBurstLength
TOUCHSTONE_CASE({.id = "data-in.sequence-within-max-burst",
                 .title = "with MaxBurstLength=16384, no Data-In sequence (F-bit delimited) exceeds it",
                 .citations = {"rfc7143#section-11.7.1", "rfc7143#section-13.13"},
                 .level = requirement_level::must,
                 .tags = {"data-in", "burst"}}) {
  const auto r = prepare(ctx, 4096, 16384);
  if (!r.s) return ctx.setup_error();
  if (r.block == 0) return ctx.error_after("READ CAPACITY(10) failed", *r.s);
  if (r.s->params().max_burst_length > 16384) return verdict::error("MaxBurstLength was not negotiated down");
  const auto out = read_64k(ctx, r);
  if (!out.good()) return verdict::error("the READ: " + out.summary());
  std::size_t sequence = 0;
  for (const auto& p : out.data_ins) {
    sequence += p.data.size();
    if (sequence > 16384) return verdict::fail("a Data-In sequence reaches " + std::to_string(sequence) +
                                              " bytes without F=1 (MaxBurstLength 16384)");
    if (p.header().final_bit()) sequence = 0;
  }
  return verdict::pass();
}

//= rfc7143#section-11.7.3 type=test
//# bit 7 S (status) - set to indicate that the Command Status field
//#                    contains status.  If this bit is set to 1, the
//#                    F bit MUST also be set to 1.
TOUCHSTONE_CASE({.id = "data-in.status-only-in-final",
                 .title = "a Data-In with S=1 has F=1 and is the last of its command",
                 .citations = {"rfc7143#section-11.7.3"},
                 .level = requirement_level::must,
                 .tags = {"data-in", "status"}}) {
  const auto r = prepare(ctx, 4096);
  if (!r.s) return ctx.setup_error();
  if (r.block == 0) return ctx.error_after("READ CAPACITY(10) failed", *r.s);
  const auto out = read_64k(ctx, r);
  if (!out.good()) return verdict::error("the READ: " + out.summary());
  for (std::size_t i = 0; i < out.data_ins.size(); ++i) {
    const pdu::data_in_view v(out.data_ins[i]);
    if (v.has_status() && !v.final_bit()) return verdict::fail("S=1 with F=0: " + describe(out.data_ins[i]));
    if (v.has_status() && i + 1 != out.data_ins.size()) return verdict::fail("Data-In after the one with status");
  }
  if (!out.data_ins.empty() && !out.data_ins.back().header().final_bit())
    return verdict::fail("the last Data-In has F=0");
  return verdict::pass();
}

//= rfc7143#section-11.7.2 type=test
//# For sessions with ErrorRecoveryLevel=1 or higher, the target sets
//# this bit to 1 to indicate that it requests a positive acknowledgment
//# from the initiator for the data received.
//= rfc7143#section-11.7.2 type=test
//# The target MUST NOT set to 1 the A bit for sessions with
//# ErrorRecoveryLevel=0.
//= rfc7143#section-11.7.2 type=test
//# The target should use the A bit moderately; it MAY only set the A bit to 1
//# once every MaxBurstLength bytes, or on the last Data-In PDU that concludes
//# the entire requested read data transfer for the task from the target's
//# perspective, and it MUST NOT do so more frequently.
TOUCHSTONE_CASE({.id = "data-in.no-ack-at-erl0",
                 .title = "the A bit is never set on Data-In at ErrorRecoveryLevel=0",
                 .citations = {"rfc7143#section-11.7.2"},
                 .level = requirement_level::must,
                 .tags = {"data-in", "erl"}}) {
  const auto r = prepare(ctx, 4096);
  if (!r.s) return ctx.setup_error();
  if (r.block == 0) return ctx.error_after("READ CAPACITY(10) failed", *r.s);
  if (r.s->params().error_recovery_level != 0) return verdict::skip("the session is not at ERL 0");
  const auto out = read_64k(ctx, r);
  if (!out.good()) return verdict::error("the READ: " + out.summary());
  for (const auto& p : out.data_ins)
    if (pdu::data_in_view(p).acknowledge()) return verdict::fail("A=1 at ERL 0: " + describe(p));
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
