// Data-transfer helpers: sessions with chosen data-transfer keys, WRITEs of
// chosen shape, the iSCSI-condition sense of section 11.4.7.2, and Data-Out
// PDUs built by hand for the cases that send them wrongly.
#pragma once

#include "tmf_helpers.hpp"

namespace touchstone::conformance::cases {

// A logged-in session whose operational offers are `offers`, with the
// LUN's block length; problem set when either fails.
struct transfer_session {
  session* s = nullptr;
  std::uint32_t block = 0;
  verdict problem = verdict::pass();
  bool ok() const { return problem.kind == verdict_kind::pass; }
};
transfer_session transfer_session_with(case_context& ctx, const pdu::text_pairs& offers);

// WRITE(10) of `blocks` blocks at `lba`, EDTL and data as given.
scsi_request write_request(const case_context& ctx, std::uint32_t lba, std::uint16_t blocks,
                           std::uint32_t edtl, std::size_t data_bytes);

// Pass when the task ended with CHECK CONDITION, response Command Completed
// at Target, and sense key ABORTED COMMAND with the given ASC/ASCQ.
verdict expect_iscsi_condition(const scsi_outcome& out, std::uint8_t asc, std::uint8_t ascq,
                               std::string_view what);

// A Data-Out for the held WRITE's R2T: offset and length as given, F as
// given, TTT from the R2T unless `ttt` is set.
pdu::data_out_builder data_out_for(const case_context& ctx, const held_write& w, std::uint32_t offset,
                                   std::uint32_t length, bool final,
                                   std::optional<std::uint32_t> ttt = std::nullopt);

// After a bad Data-Out: reads what the target does about the held WRITE
// (a Reject, a status, the close) within the usual wait.
observation answer_about(session& s, std::uint32_t itt);

// The Reject's reason when `seen` is a Reject, else nullopt.
std::optional<std::uint8_t> reject_reason(const observation& seen);

// The ending expected for a held WRITE whose bad Data-Out was rejected:
// the good data then completes the task with a status (section 7.3).
verdict completes_after_reject(const case_context& ctx, const held_write& w);

// Follows a task already sent to its end: R2Ts answered with zeros, Data-In
// gathered, the status read (a SCSI Response or a Data-In with S).
scsi_outcome finish_task(const case_context& ctx, session& s, std::uint32_t itt);

}  // namespace touchstone::conformance::cases
