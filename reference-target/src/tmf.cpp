// Task Management Function Requests (RFC 7143 sections 4.2.3, 11.5, 11.6;
// RFC 7144 section 6): one table, {function} -> handler; multi-task
// functions wait for the affected tasks' transfers (section 4.2.3.3) before
// the SCSI layer runs them and the response goes out.
#include <algorithm>
#include <array>

#include <spdlog/spdlog.h>

#include "touchstone/pdu/serial.hpp"
#include "touchstone/pdu/task_mgmt_request.hpp"
#include "touchstone/pdu/task_mgmt_response.hpp"
#include "touchstone/target/connection.hpp"
#include "touchstone/target/session_directory.hpp"
#include "mutant_hooks.hpp"

namespace touchstone::target {

using pdu::tmf_function;
using pdu::tmf_response;

namespace {

constexpr std::uint8_t code(tmf_response r) { return static_cast<std::uint8_t>(r); }
constexpr std::uint8_t fn(tmf_function f) { return static_cast<std::uint8_t>(f); }

}  // namespace

std::span<const connection::tmf_row> connection::tmf_table() {
  static constexpr std::array rows{
      tmf_row{fn(tmf_function::abort_task), &connection::tmf_abort_task, tmf_scope::task, 0},
      tmf_row{fn(tmf_function::abort_task_set), &connection::tmf_multi_task, tmf_scope::lu, 0},
      tmf_row{fn(tmf_function::clear_aca), &connection::tmf_not_supported, tmf_scope::lu, 0},
      tmf_row{fn(tmf_function::clear_task_set), &connection::tmf_multi_task, tmf_scope::lu, 0},
      tmf_row{fn(tmf_function::logical_unit_reset), &connection::tmf_multi_task,
              tmf_scope::lu_all_sessions, 0},
      tmf_row{fn(tmf_function::target_warm_reset), &connection::tmf_multi_task, tmf_scope::target, 0},
      tmf_row{fn(tmf_function::target_cold_reset), &connection::tmf_multi_task, tmf_scope::target, 0},
      tmf_row{fn(tmf_function::task_reassign), &connection::tmf_reassign, tmf_scope::task, 0},
      //= rfc7144#section-6.3
      //# These task management function requests MUST NOT be sent unless the
      //# iSCSIProtocolLevel text key with a value of "2" as defined in Section
      //# 7.1.1 was negotiated on the session.
      tmf_row{fn(tmf_function::query_task), &connection::tmf_query_task, tmf_scope::query, 2},
      tmf_row{fn(tmf_function::query_task_set), &connection::tmf_query_task_set, tmf_scope::query, 2},
      tmf_row{fn(tmf_function::i_t_nexus_reset), &connection::tmf_multi_task, tmf_scope::nexus, 2},
      tmf_row{fn(tmf_function::query_asynchronous_event), &connection::tmf_query_async_event,
              tmf_scope::query, 2},
  };
  return rows;
}

void connection::on_task_mgmt_request(const pdu::pdu& p) {
  const pdu::task_mgmt_request_view v(p);
  const auto rows = tmf_table();
  const auto row = std::find_if(rows.begin(), rows.end(),
                                [&](const tmf_row& r) { return r.function == v.raw_function(); });
  //= rfc7143#section-11.6.1
  //# 5 - Task management function not supported
  if (row == rows.end()) return send_tmf_response(p, code(tmf_response::function_not_supported));
  if (session_params().protocol_level < row->protocol_level &&
      !relaxed("rfc7144#section-6.3/protocol-level",
               fmt::format("TMF function {} without iSCSIProtocolLevel=2", v.raw_function()))) {
    note("rfc7144#section-6.3/protocol-level",
         fmt::format("TMF function {} without iSCSIProtocolLevel=2", v.raw_function()));
    return send_tmf_response(p, code(tmf_response::function_not_supported));
  }
  const bool addresses_lu = row->scope == tmf_scope::lu || row->scope == tmf_scope::lu_all_sessions ||
                            row->scope == tmf_scope::query || row->scope == tmf_scope::task;
  if (addresses_lu && v.function() != tmf_function::task_reassign &&
      !node_->devices->find_lu(scsi::decode_lun(v.lun()))) {
    //= rfc7143#section-11.6.1
    //# 2 - LUN does not exist
    return send_tmf_response(p, code(tmf_response::lun_does_not_exist));
  }
  if (waiting_tmf() && row->scope != tmf_scope::task && row->scope != tmf_scope::query) {
    // One multi-task function at a time: a second one is refused, not queued.
    note("target/one-multi-task-tmf", "a multi-task TMF while another waits");
    return send_tmf_response(p, code(tmf_response::function_rejected));
  }
  const std::uint8_t response = (this->*(row->run))(p);
  if (response != pending_response) send_tmf_response(p, response);
}

//= rfc7143#section-11.5.1
//# Task management requests must act on all the commands from the same session
//# having a CmdSN lower than the task management CmdSN.  LOGICAL UNIT RESET,
//# TARGET WARM RESET, and TARGET COLD RESET may affect commands from other
//# sessions or commands from the same session, regardless of their CmdSN value.
bool connection::affected_by(const task& t, const pending_tmf& tmf) const {
  const pdu::task_mgmt_request_view v(tmf.request);
  const bool same_lu = scsi::decode_lun(t.lun_field) == scsi::decode_lun(v.lun());
  const bool earlier = pdu::serial{t.cmd_sn} < pdu::serial{tmf.cmd_sn} ||
                       (t.immediate && t.cmd_sn == tmf.cmd_sn);
  switch (v.function()) {
    case tmf_function::abort_task_set:
    case tmf_function::clear_task_set: return same_lu && earlier;
    case tmf_function::logical_unit_reset: return same_lu;
    case tmf_function::target_warm_reset:
    case tmf_function::target_cold_reset:
    case tmf_function::i_t_nexus_reset: return true;
    default: return false;
  }
}

void connection::mark_affected(pending_tmf& tmf) {
  std::vector<std::uint32_t> done;
  for (auto& [itt, t] : tasks()) {
    if (!affected_by(t, tmf)) continue;
    t.aborting = true;
    issue_r2ts(t);  // asks for nothing more
    const bool transfers_open = t.write && t.transfer.bursts_open();
    if (!transfers_open && !t.executing) done.push_back(itt);
  }
  for (auto itt : done) drop_task(itt);
}

//= rfc7143#section-4.2.3.3
//# All iSCSI implementations MUST support the protocol behavior defined in this section as the
//# default behavior.
std::uint8_t connection::tmf_multi_task(const pdu::pdu& p) {
  const pdu::task_mgmt_request_view v(p);
  pending_tmf tmf;
  tmf.request = p;
  tmf.cmd_sn = v.cmd_sn();
  const bool target_scope = v.function() == tmf_function::target_warm_reset ||
                            v.function() == tmf_function::target_cold_reset;
  //= rfc7143#section-4.2.3.3
  //# b) MUST wait (concurrent with the wait in Step a) for all commands of the
  //# affected tasks to be received based on the CmdSN ordering. ... in the case
  //# of target-scoped requests (i.e., TARGET WARM RESET and TARGET COLD RESET),
  //# ... the entire CmdSN space up to the CmdSN of the task management function can be "plugged".
  //= rfc7143#section-13.23
  //# When TaskReporting is not negotiated to FastAbort, the standard multi-task
  //# abort semantics in Section 4.2.3.3 MUST be used.
  tmf.wait_for_cmd_sn = v.immediate() && !target_scope;
  mark_affected(tmf);
  waiting_tmf() = std::move(tmf);
  advance_tmf();
  return pending_response;
}

void connection::advance_tmf() {
  if (!session_ || !waiting_tmf() || phase_ == phase::closing) return;
  auto& tmf = *waiting_tmf();
  if (!tmf.executed) {
    if (tmf.wait_for_cmd_sn && !window().received_before(tmf.cmd_sn)) return;
    //= rfc7143#section-4.2.3.3
    //# a) MUST wait for responses on currently valid Target Transfer Tags of the
    //# affected tasks from the issuing initiator.
    //= rfc7143#section-11.5.1
    //# The target for its part MUST wait for responses on all affected Target
    //# Transfer Tags before acting on either of these two task management
    //# requests.
    if (session_->any_task([](const task& t) { return t.aborting && !t.executing; })) return;
    //= rfc7143#section-4.2.3.3
    //# c) MUST propagate the TMF Request to, and receive the response from, the target SCSI layer.
    tmf.response = run_scsi_tmf(tmf.request);
    tell_third_parties(tmf.request);
    tmf.executed = true;
  }
  //= rfc7143#section-4.2.3.3
  //# The initiator MUST thus conclude all affected tasks as part of this step
  // ... so it may reuse their tags at once: a task whose store I/O was in
  // flight when the SCSI layer aborted it must have let go first
  // (on_scsi_done calls back here).
  if (session_->any_task([](const task& t) { return t.aborting && t.executing; })) return;
  if (tmf_awaits_acknowledgement(tmf)) return;
  const auto response = tmf.response;
  const pdu::pdu request = std::move(tmf.request);
  waiting_tmf().reset();
  //= rfc7143#section-4.2.3.3
  //# d) MUST provide the Response Fence behavior for the TMF Response on the issuing session as
  //# specified in Section 4.2.2.3.2.
  //= rfc7143#section-4.2.2.3.2
  //# Whenever the Response Fence behavior is required for a SCSI response message, the target iSCSI
  //# layer MUST ensure that the following conditions are met in delivering the response message to
  //# the initiator iSCSI layer: - A response with a Response Fence MUST be delivered
  //# chronologically after all the "preceding" responses on the I_T_L nexus, if the preceding
  //# responses are delivered at all, to the initiator iSCSI layer. - A response with a Response
  //# Fence MUST be delivered chronologically prior to all the "following" responses on the I_T_L
  //# nexus.
  // A session has one connection, whose PDUs reach the initiator in the order
  // this layer sends them: the order the SCSI layer handed the responses over.
  //= rfc7143#section-4.2.3.3
  //# The TMF Response MUST NOT be sent by the target iSCSI layer before the end of Step d)
  send_tmf_response(request, response);
  if (session_->close_after_tmf) close("task management: session terminated");
}

// ABORT TASK SET and CLEAR TASK SET, executed: true while the initiator has
// not acknowledged every response sent before now. The StatSN due is taken
// once (responses sent while waiting come after the completion); a NOP-In
// ping asks the initiator for an ExpStatSN when it has nothing else to send.
bool connection::tmf_awaits_acknowledgement(pending_tmf& tmf) {
  const auto function = pdu::task_mgmt_request_view(tmf.request).function();
  if (function != tmf_function::abort_task_set && function != tmf_function::clear_task_set) return false;
  //= rfc7143#section-11.6.1
  //# The response to ABORT TASK SET and CLEAR TASK SET MUST only be issued
  //# by the target after all of the commands affected have been received
  //# by the target, the corresponding task management functions have been
  //# executed by the SCSI target, and the delivery of all responses
  //# delivered until the task management function completion has been
  //# confirmed (acknowledged through the ExpStatSN) by the initiator on
  //# all connections of this session.
  // One connection per session: this one's ExpStatSN.
  const bool first_look = !tmf.ack_due;
  if (first_look) tmf.ack_due = stat_sn_;
  if (static_cast<std::int32_t>(acked_stat_sn_ - *tmf.ack_due) >= 0) return false;
  if (first_look && !ping_) send_ping(last_heard_);
  return true;
}

//= rfc7143#section-4.2.2.1
//# The initiator and target MUST ensure that the SCSI task management functions specified in [SAM2]
//# act in accordance with the [SAM2] specification.
std::uint8_t connection::run_scsi_tmf(const pdu::pdu& p) {
  const pdu::task_mgmt_request_view v(p);
  auto& devices = *node_->devices;
  const auto nx = make_nexus(v.lun());
  const auto map = [](scsi::tmf_result r) {
    switch (r.response) {
      case scsi::tmf_service_response::incorrect_lun: return code(tmf_response::lun_does_not_exist);
      case scsi::tmf_service_response::function_rejected: return code(tmf_response::function_rejected);
      case scsi::tmf_service_response::function_succeeded:
      case scsi::tmf_service_response::function_complete: break;
    }
    return code(tmf_response::function_complete);
  };
  switch (v.function()) {
    case tmf_function::abort_task_set: return map(devices.task_management(nx, scsi::tmf_function::abort_task_set));
    case tmf_function::clear_task_set: return map(devices.task_management(nx, scsi::tmf_function::clear_task_set));
    case tmf_function::logical_unit_reset:
      //= rfc7143#section-11.5.1
      //# For the LOGICAL UNIT RESET function, the target MUST behave as dictated
      //# by the Logical Unit Reset function in [SAM2].
      return map(devices.task_management(nx, scsi::tmf_function::logical_unit_reset));
    case tmf_function::target_warm_reset:
    case tmf_function::target_cold_reset: {
      //= rfc7143#section-11.6.1
      //# For the TARGET COLD RESET and TARGET WARM RESET functions, the target
      //# cancels all pending operations across all LUs known to the issuing initiator.
      for (auto lun : devices.luns()) {
        auto each = nx;
        each.lun = lun;
        (void)devices.task_management(each, scsi::tmf_function::logical_unit_reset);
      }
      if (v.function() == tmf_function::target_cold_reset) {
        //= rfc7143#section-11.5.1
        //# the target MUST treat the TARGET COLD RESET function as a power-on
        //# event, thus terminating all of its TCP connections to all initiators
        for (auto lun : devices.luns())
          if (auto lu = devices.find_lu(lun)) lu->establish_ua_all(scsi::unit_attention::power_on);
        //= rfc7143#section-11.6.1
        //# For the TARGET COLD RESET function, the target MUST then close all
        //# of its TCP connections to all initiators (terminates all sessions).
        // Mutant cold-reset-spares-other-sessions breaks it: this one only.
        if (!mutated(m::cold_reset_spares_other_sessions)) node_->directory.terminate_all_except(session_->tsih());
        session_->close_after_tmf = true;
      }
      return code(tmf_response::function_complete);
    }
    case tmf_function::i_t_nexus_reset:
      //= rfc7144#section-6.3
      //# The target device MUST drop all connections in the session over which
      //# this function is received.
      (void)devices.task_management(nx, scsi::tmf_function::it_nexus_reset);
      session_->close_after_tmf = true;
      return code(tmf_response::function_complete);
    default: break;
  }
  return code(tmf_response::function_rejected);
}

//= rfc7143#section-11.5.1
//# For all these functions, the Task Management Function Response MUST be
//# returned as detailed in Section 11.6.
void connection::send_tmf_response(const pdu::pdu& request, std::uint8_t response) {
  const pdu::task_mgmt_request_view v(request);
  response = mutate_tmf_response(node_->config.mutants, request, response, !tasks().empty(),
                                 node_->devices.get());  // mutant_tmf.cpp
  //= rfc7143#section-11.6.2
  //# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
  // No AHS and no data: the builder derives both lengths as 0.
  pdu::task_mgmt_response_builder b;
  b.initiator_task_tag(v.initiator_task_tag())
      .raw_response(response)
      .stat_sn(take_stat_sn())
      .exp_cmd_sn(window().exp_cmd_sn())
      .max_cmd_sn(window().max_cmd_sn());
  send(b.build());
  if (mutated(m::status_after_abort) && v.function() == tmf_function::abort_task && response == 0)
    send(status_after_abort(request, take_stat_sn(), window().exp_cmd_sn(), window().max_cmd_sn()));
}

void connection::drop_task(std::uint32_t itt) {
  const auto it = tasks().find(itt);
  if (it == tasks().end()) return;
  if (node_->devices) node_->devices->forget_task(make_nexus(it->second.lun_field), itt);
  end_task(itt);
}

}  // namespace touchstone::target
