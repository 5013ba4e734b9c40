// Write data: unsolicited Data-Out (InitialR2T=No), R2T generation and the
// Data-Out PDUs that answer R2Ts (RFC 7143 sections 11.7 and 11.8).
#include <algorithm>

#include <spdlog/spdlog.h>

#include "touchstone/pdu/data_out.hpp"
#include "touchstone/pdu/r2t.hpp"
#include "touchstone/target/connection.hpp"
#include "touchstone/target/iscsi_conditions.hpp"

namespace touchstone::target {

void connection::on_data_out(const pdu::pdu& p) { account_data_out(p, true); }

// An unsolicited Data-Out of `t` while a command sent before it still owes
// its own unsolicited data: the session ends (strict mode), unless the
// leniency unsolicited-order takes it.
bool connection::unsolicited_out_of_order(const task& t) {
  //= rfc7143#section-4.2.5.2
  //# In addition, iSCSI initiators and targets MUST enforce some ordering
  //# rules.  When unsolicited data is used, the order of the unsolicited
  //# data on each connection MUST match the order in which the commands on
  //# that connection are sent.
  // Commands are sent in CmdSN order (immediate ones carry the next CmdSN
  // without taking it: they are left out).
  const auto earlier_open = [&](const task& u) {
    return &u != &t && u.write && u.transfer.unsolicited_open() && !u.immediate &&
           static_cast<std::int32_t>(u.cmd_sn - t.cmd_sn) < 0;
  };
  if (t.immediate || !session_->any_task(earlier_open)) return false;
  const auto detail = fmt::format("unsolicited Data-Out of ITT {:#x} (CmdSN {}) before an earlier command's",
                                  t.itt, t.cmd_sn);
  if (relaxed(unsolicited_order_id, detail)) return false;
  //= rfc7143#section-4.2.5.2
  //# A target that receives data out of
  //# order MAY terminate the session.
  note(unsolicited_order_id, detail);
  close("unsolicited Data-Out out of command order");
  return true;
}

void connection::account_data_out(const pdu::pdu& p, bool digest_ok) {
  const pdu::data_out_view v(p);
  const auto reject = [&](std::string_view requirement) {
    //= rfc7143#section-11.17.1
    //# Some examples are invalid TTT/ITT, buffer offset, LUN qualifying a TTT
    if (digest_ok) send_reject(p, pdu::reject_reason::invalid_pdu_field, requirement);
  };
  const auto it = tasks().find(v.initiator_task_tag());
  if (it == tasks().end() || !it->second.write || it->second.executing)
    return reject("rfc7143#section-11.7/data-out-unknown-itt");
  task& t = it->second;
  //= rfc7143#section-4.2.5.1
  //# If an initiator issues a write command, the initiator MUST send the
  //# data, if any, for that command over the same TCP connection that was
  //# used to deliver the SCSI command.
  if (t.cid != cid_) return reject("rfc7143#section-4.2.5.1/data-out-connection");
  const bool unsolicited = v.target_transfer_tag() == pdu::reserved_tag;
  burst_cursor* b = t.transfer.burst(v.target_transfer_tag());
  //= rfc7143#section-4.2.5.3
  //# As the Initiator Task Tag is used to identify a task during its execution, the iSCSI
  //# initiator and target MUST verify that all other fields used in task-related PDUs have values
  //# that are consistent with the values used at the task instantiation, based on the Initiator
  //# Task Tag
  if (b == nullptr)
    return reject(unsolicited ? "rfc7143#section-11.7.4/unsolicited-not-expected"
                              : "rfc7143#section-11.7.4/ttt-not-issued");
  if (unsolicited && unsolicited_out_of_order(t)) return;
  const std::uint32_t offset = v.buffer_offset();
  const auto fit = t.transfer.fit(*b, offset, p.header().data_segment_length());
  bool lost_before = data_sn_gap(*b, v.data_sn());
  if (offset != fit.expected_offset) {
    //= rfc7143#section-11.17.1
    //# Some examples are invalid TTT/ITT, buffer offset, LUN qualifying a TTT
    //= rfc7143#section-7.3
    //# Targets MUST NOT implicitly terminate an active task by sending a Reject
    //# PDU for any PDU exchanged during the life of the task.
    reject("rfc7143#section-11.7.6/buffer-offset");
    lost_before = true;
  }
  //= rfc7143#section-11.17.1
  //# In all the cases in which a pre-instantiated SCSI task is terminated
  //# because of the reject, the target MUST issue a proper SCSI command
  //# response with CHECK CONDITION as described in Section 11.4.3.
  if (lost_before && session_params().error_recovery_level == 0) {
    //= rfc7143#section-7.8
    //# b) Terminate the task with a SCSI Response PDU with a CHECK CONDITION
    //# Status and an iSCSI Condition of "Protocol Service CRC error"
    //# (Section 11.4.7.2).  If the target chooses to implement this option, it
    //# MUST wait to receive all the data (signaled by a data PDU with the Final
    //# bit set for all outstanding R2Ts) before sending the SCSI Response PDU.
    t.failure_sense = protocol_service_crc_error_sense();
    digest_ok = false;
  }
  store_data_out(t, p, offset, fit, digest_ok);
  // Mutant unsolicited-datasn-not-counted breaks section 11.7.5 (fit()):
  // the next unsolicited Data-Out is expected with DataSN 0 again.
  t.transfer.take(*b, fit, !(unsolicited && mutated(m::unsolicited_datasn_not_counted)));
  if (!v.final_bit()) return;
  // A burst that ends short: the error of section 11.4.7.2 (store_data_out).
  if (!t.transfer.end_burst(*b)) t.failure_sense = incorrect_amount_of_data_sense();
  issue_r2ts(t);
  maybe_execute(t);
}

// A Data-Out whose DataSN is not the one due in its burst: true when a PDU
// was lost before it. A leniency restarts the numbering from it instead.
bool connection::data_sn_gap(burst_cursor& b, std::uint32_t data_sn) {
  if (data_sn == b.next_data_sn) return false;
  if (relaxed("rfc7143#section-7.9/data-sn", fmt::format("DataSN {} where {} was due", data_sn, b.next_data_sn))) {
    // Allowed: the numbering restarts from this PDU's DataSN.
    b.next_data_sn = data_sn;
    return false;
  }
  //= rfc7143#section-7.9
  //# When a target receives a data PDU with an out-of-
  //# order DataSN, it means that the target must have hit a header or
  //# payload digest error on at least one of the earlier data PDUs.  The
  //# target MUST address these implied digest errors as described in
  //# Section 7.8.
  note("rfc7143#section-7.9/data-sn", fmt::format("DataSN {} where {} was due", data_sn, b.next_data_sn));
  return true;
}

// The payload of a Data-Out into the task's buffer, unless it failed its
// digest, goes beyond its burst or the task is being aborted.
void connection::store_data_out(task& t, const pdu::pdu& p, std::uint32_t offset, const data_out_fit& fit,
                                bool digest_ok) {
  //= rfc7143#section-10.7
  //# However, the data transfers logically MUST be silently discarded by the target iSCSI layer in
  //# all cases.
  // The data of a task being aborted (still due after an ABORT TASK's
  // response) is accounted for, never stored, and answered by nothing.
  if (fit.beyond_burst) {
    //= rfc7143#section-11.4.7.2
    //# The target reports the same error when the amount of data sent as a
    //# reply to an R2T does not match the amount requested.
    note("rfc7143#section-11.7.1/burst-exceeded", "Data-Out beyond its burst");
    t.failure_sense = incorrect_amount_of_data_sense();
  } else if (digest_ok && !t.aborting) {
    // Within the burst, so within EDTL: the buffer grows to what arrived.
    const std::size_t end = std::size_t{offset} + p.data.size();
    if (t.data.size() < end) t.data.resize(end);
    std::copy(p.data.begin(), p.data.end(), t.data.begin() + offset);
  } else if (!digest_ok) {
    //= rfc7143#section-7.8
    //# Terminate the task with a SCSI Response PDU with a CHECK CONDITION Status
    //# and an iSCSI Condition of "Protocol Service CRC error"
    t.failure_sense = protocol_service_crc_error_sense();
  }
}

// The longest burst an R2T asks for: MaxBurstLength (section 11.8.4,
// below). Mutant r2t-beyond-max-burst breaks it: twice that.
std::uint32_t connection::r2t_burst() const {
  return session_params().max_burst_length * (mutated(m::r2t_beyond_max_burst) ? 2U : 1U);
}

// Where the R2T for the next `length` bytes starts: at the next offset
// (section 13.19, below). Mutant r2t-sequence-reversed breaks it: a WRITE
// whose R2Ts start at 0 gets its bursts asked for last first.
std::uint32_t connection::r2t_offset(const task& t, std::uint32_t length) const {
  const auto next = t.transfer.next_r2t_offset();
  if (!mutated(m::r2t_sequence_reversed) || t.transfer.unsolicited_end() != 0) return next;
  return t.edtl - next - length;
}

//= rfc7143#section-11.7.6
//# The sum of the buffer offset and
//# length should not exceed the expected transfer length for the
//# command.
// Mutant r2t-last-burst-full breaks it: the last R2T asks for a whole
// MaxBurstLength, beyond the EDTL. (The task still counts the bytes it
// wants: a shorter answer ends it in CHECK CONDITION.)
std::uint32_t connection::r2t_length([[maybe_unused]] const task& t, std::uint32_t length) const {
  if (!mutated(m::r2t_last_burst_full)) return length;
  return std::max(length, session_params().max_burst_length);
}

void connection::issue_r2ts(task& t) {
  if (!t.write || t.transfer.unsolicited_open() || t.executing) return;
  // After an iSCSI condition no more data is asked for; the status waits for
  // the F bits of the R2Ts already sent.
  if (t.failure_sense || t.aborting) t.transfer.ask_no_more();
  //= rfc7143#section-13.17
  //# The initiator and target negotiate the maximum number of outstanding R2Ts per task
  // Mutant r2t-max-outstanding-ignored breaks it: up to 4 whatever was negotiated.
  const auto& params = session_params();
  const std::uint32_t outstanding =
      mutated(m::r2t_max_outstanding_ignored) ? std::max(params.max_outstanding_r2t, 4U) : params.max_outstanding_r2t;
  //= rfc7143#section-11.8.4
  //# The Desired Data Transfer Length MUST NOT be 0 and MUST NOT exceed MaxBurstLength.
  while (const auto ask = t.transfer.next_r2t(outstanding, r2t_burst())) {
    //= rfc7143#section-11.8.5
    //# the value 0xffffffff is reserved and MUST NOT be sent by a target in an R2T.
    if (next_ttt_ == pdu::reserved_tag) next_ttt_ = 1;
    std::uint32_t ttt = next_ttt_++;
    // Mutant r2t-ttt-reserved breaks the rule above: the R2T carries 0xffffffff.
    if (mutated(m::r2t_ttt_reserved)) ttt = pdu::reserved_tag;
    //= rfc7143#section-13.19
    //# If DataSequenceInOrder is set to Yes, data sequences MUST be transferred
    //# using continuously non-decreasing sequence offsets (R2T buffer offset
    //# for writes, or the smallest SCSI Data-In buffer offset within a read
    //# data sequence).
    const r2t_ask wire{r2t_offset(t, ask->length), r2t_length(t, ask->length)};
    send(r2t_pdu(t, t.transfer.open_r2t(*ask, ttt, wire)));
  }
}

pdu::pdu connection::r2t_pdu(const task& t, const burst_cursor& r) {
  //= rfc7143#section-11.8.1
  //# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
  // No AHS and no data: the builder derives both lengths as 0.
  pdu::r2t_builder b;
  //= rfc7143#section-4.2.5.3
  //# the LUN used in an R2T PDU MUST be the same as the one used in the SCSI Command PDU used to
  //# instantiate the task
  b.initiator_task_tag(t.itt)
      .lun(t.lun_field)
      .target_transfer_tag(r.ttt)
      //= rfc7143#section-11.8.3
      //# The StatSN for this connection is not advanced after this PDU is sent.
      .stat_sn(stat_sn_)
      .exp_cmd_sn(window().exp_cmd_sn())
      .max_cmd_sn(window().max_cmd_sn())
      //= rfc7143#section-11.8.2
      //# R2TSN is the R2T PDU input PDU number within the command identified by
      //# the Initiator Task Tag.
      //= rfc7143#section-4.2.2.4
      //# Data and R2T PDUs transferred as part of some command execution MUST be sequenced.
      // Mutant r2tsn-from-one breaks them: the R2Ts on the wire count from 1.
      .r2t_sn(r.r2t_sn + (mutated(m::r2tsn_from_one) ? 1U : 0U))
      .buffer_offset(r.start)
      .desired_data_transfer_length(r.end - r.start);
  return b.build();
}

}  // namespace touchstone::target
