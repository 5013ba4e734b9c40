// ErrorRecoveryLevel 1: the numbered responses a connection keeps until the
// initiator acknowledges them, and the Status SNACK that asks for them again
// (RFC 7143 sections 7.1.4.1, 11.16). The store is status_retention.hpp.
#include <fmt/format.h>

#include "touchstone/pdu/data_in.hpp"
#include "touchstone/pdu/snack.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {
namespace {

// Whether `p` carries a StatSN of its own (one take_stat_sn gave it): the
// responses of section 11 that advance StatSN. An R2T, a Data-In without
// status and a NOP-In ping (ITT 0xffffffff) carry the next StatSN without
// taking it.
bool numbered_response(const pdu::pdu& p) {
  switch (p.op()) {
    case pdu::opcode::scsi_response:
    case pdu::opcode::task_mgmt_response:
    case pdu::opcode::text_response:
    case pdu::opcode::logout_response:
    case pdu::opcode::async_message:
    case pdu::opcode::reject: return true;
    case pdu::opcode::nop_in: return p.header().u32(16) != pdu::reserved_tag;
    case pdu::opcode::data_in: return pdu::data_in_view(p).has_status();
    default: return false;
  }
}

constexpr std::size_t stat_sn_at = 24;
constexpr std::size_t exp_cmd_sn_at = 28;
constexpr std::size_t max_cmd_sn_at = 32;

}  // namespace

bool connection::retains_status() const {
  return phase_ == phase::ffp_normal && session_ && session_->params().error_recovery_level > 0;
}

void connection::retain_status(const pdu::pdu& p) {
  if (numbered_response(p)) retained_status_.retain(p.header().u32(stat_sn_at), p);
}

//= rfc7143#section-11.16
//# The SNACK is used by the initiator to request the retransmission of
//# numbered responses, data, or R2T PDUs from the target.
void connection::answer_status_snack(const pdu::pdu& p) {
  const pdu::snack_view v(p);
  //= rfc7143#section-11.16.6
  //# A BegRun of 0, when used in conjunction with a RunLength of 0, means
  //# "resend all unacknowledged Data-In, R2T or Response PDUs".
  const bool all = v.requests_all_unacknowledged();
  const std::uint32_t first = all ? acked_stat_sn_ : v.beg_run();
  // Sent and not yet acknowledged: [acked_stat_sn_, stat_sn_). The initiator
  // chooses ExpStatSN, so this span can be huge: it is only compared, and
  // the resend below walks what is retained (bounded), never the span.
  const std::uint32_t unsent_from_first = stat_sn_ - first;
  const bool acknowledged = static_cast<std::int32_t>(first - acked_stat_sn_) < 0;
  const bool not_sent = static_cast<std::int32_t>(unsent_from_first) < 0 ||
                        (!all && unsent_from_first == 0) || v.run_length() > unsent_from_first;
  if (all && unsent_from_first == 0) return;  // nothing unacknowledged: nothing to resend
  //= rfc7143#section-11.16
  //# Any SNACK that requests a numbered response, data, or R2T that was
  //# not sent by the target or was already acknowledged by the initiator
  //# MUST be rejected with a reason code of "Protocol Error".
  if (acknowledged || not_sent)
    return send_reject(p, pdu::reject_reason::protocol_error, "rfc7143#section-11.16/status-snack-range");
  //= rfc7143#section-11.16.7
  //# A RunLength of 0 signals that all Data-In, R2T, or Response PDUs
  //# carrying the numbers equal to or greater than BegRun have to be
  //# resent.
  const std::uint32_t count = v.run_length() == 0 ? unsent_from_first : v.run_length();
  const auto run = retained_status_.run(first, count);
  // Sent, unacknowledged, but no longer kept (past status_retention's
  // bounds): the target cannot resend it.
  //= rfc7143#section-7.8
  //# In response to the SNACK, the target MUST either resend the data PDU or
  //# reject the SNACK with a Reject PDU with a reason code of "SNACK reject"
  if (run.empty())
    return send_reject(p, pdu::reject_reason::snack_reject, "rfc7143#section-11.16/status-not-retained");
  for (const auto* kept : run) {
    //= rfc7143#section-11.16
    //# The numbered response(s) or R2T(s) requested by a SNACK MUST be
    //# delivered as exact replicas of the ones that the target transmitted
    //# originally, except for the fields ExpCmdSN, MaxCmdSN, and ExpDataSN,
    //# which MUST carry the current values.
    // ExpDataSN is the count of the task's Data-In and R2T PDUs, unchanged
    // since the response (the task has ended).
    pdu::pdu again = *kept;
    pdu::store_be32(&again.bhs[exp_cmd_sn_at], exp_cmd_sn());
    pdu::store_be32(&again.bhs[max_cmd_sn_at], max_cmd_sn());
    send(std::move(again));
  }
}

}  // namespace touchstone::target
