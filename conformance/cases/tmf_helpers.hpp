// Task-management helpers: TMF requests, a WRITE held open at the target
// (its R2T left unanswered), and the judgement of a multi-task abort
// (RFC 7143 sections 4.2.3.3, 11.5, 11.6).
#pragma once

#include "common.hpp"

namespace touchstone::conformance::cases {

// A TMF Request on the case's LUN: a fresh ITT, Referenced Task Tag
// 0xffffffff, ExpStatSN; immediate with the next CmdSN (not taken), or
// non-immediate taking it.
pdu::task_mgmt_request_builder tmf_request(const case_context& ctx, session& s, pdu::tmf_function f,
                                           bool immediate = true);

// Sends the TMF and waits for the PDU answering its ITT.
observation send_tmf(session& s, const pdu::pdu& tmf);

// The TMF Response code in an observation, or nullopt with a fail verdict.
struct tmf_answer {
  std::optional<std::uint8_t> response;
  verdict problem = verdict::pass();
};
tmf_answer tmf_response_of(const observation& seen);

// Pass when `seen` is a TMF Response with one of `allowed` codes.
verdict expect_tmf_response(const observation& seen, std::string_view what,
                            std::initializer_list<std::uint8_t> allowed);

// A WRITE(10) of one block in a session where writes are solicited; the
// target's R2T received and not answered, so the task stays open.
struct held_write {
  session* s = nullptr;
  std::uint32_t itt = 0;
  std::uint32_t cmd_sn = 0;
  std::uint32_t block = 0;
  pdu::pdu r2t;
  verdict problem = verdict::pass();
  bool ok() const { return problem.kind == verdict_kind::pass; }
};
held_write hold_write(case_context& ctx);
// The same on `s` (solicited_session's; null: a setup error).
held_write hold_write(case_context& ctx, session* s);

// Answers the held R2T with its whole desired length (F=1).
std::error_code answer_r2t(const case_context& ctx, const held_write& w);

// The standard multi-task abort of section 4.2.3.3 with a held WRITE: the
// TMF sent, the R2T answered (the initiator MUST go on answering TTTs), the
// TMF Response with one of `allowed`, and no status for the WRITE after it.
verdict multi_task_abort(case_context& ctx, pdu::tmf_function f, std::initializer_list<std::uint8_t> allowed);

}  // namespace touchstone::conformance::cases
