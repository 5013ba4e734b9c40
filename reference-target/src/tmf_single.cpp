// The single-task and query Task Management Functions: ABORT TASK, TASK
// REASSIGN, CLEAR ACA and RFC 7144's QUERY TASK, QUERY TASK SET and QUERY
// ASYNCHRONOUS EVENT (the table is in tmf.cpp).
#include <algorithm>

#include "touchstone/pdu/serial.hpp"
#include "touchstone/pdu/task_mgmt_request.hpp"
#include "touchstone/pdu/task_mgmt_response.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

using pdu::tmf_response;

namespace {
constexpr std::uint8_t code(tmf_response r) { return static_cast<std::uint8_t>(r); }
}  // namespace

std::uint8_t connection::tmf_abort_task(const pdu::pdu& p) {
  const pdu::task_mgmt_request_view v(p);
  const auto rtt = v.referenced_task_tag();
  //= rfc7143#section-11.5.1
  //# At the target, an ABORT TASK function MUST NOT be executed on a task
  //# management request; such a request MUST result in a task management
  //# response of "Function rejected".
  if ((waiting_tmf() && pdu::task_mgmt_request_view(waiting_tmf()->request).initiator_task_tag() == rtt) ||
      rtt == v.initiator_task_tag())
    return code(tmf_response::function_rejected);
  if (const auto it = tasks().find(rtt); it != tasks().end()) {
    task& t = it->second;
    //= rfc7143#section-11.6.1
    //# a) if the Referenced Task Tag identifies a valid task leading to a
    //# successful termination, then targets must return the "Function complete" response.
    if (t.executing) return abort_when_stored(t, p);
    (void)node_->devices->task_management(make_nexus(t.lun_field), scsi::tmf_function::abort_task, rtt);
    t.aborting = true;
    issue_r2ts(t);
    // Data-Out still due on its open transfers is absorbed, then the task goes.
    const bool transfers_open = t.write && t.transfer.bursts_open();
    if (!transfers_open && !t.executing) drop_task(rtt);
    return code(tmf_response::function_complete);
  }
  const auto ref = v.ref_cmd_sn();
  if (window().in_window(ref) && pdu::serial{ref} < pdu::serial{v.cmd_sn()}) {
    //= rfc7143#section-11.6.1
    //# b) if the Referenced Task Tag does not identify an existing task but the
    //# CmdSN indicated by the RefCmdSN field in the Task Management Function
    //# Request is within the valid CmdSN window and less than the CmdSN of the
    //# Task Management Function Request itself, then targets must consider the
    //# CmdSN as received and return the "Function complete" response.
    //= rfc7143#section-7.11
    //# If the abort request is received and the original command is missing, targets MUST consider
    //# the original command with that RefCmdSN as received and issue a task management response
    //# with the response code "Function complete".
    window().plug(ref);
    return code(tmf_response::function_complete);
  }
  //= rfc7143#section-11.6.1
  //# c) if the Referenced Task Tag does not identify an existing task and the
  //# CmdSN indicated by the RefCmdSN field in the Task Management Function
  //# Request is outside the valid CmdSN window, then targets must return the
  //# "Task does not exist" response.
  //= rfc7143#section-7.11
  //# If the abort request is received and the target can determine (based on the Referenced Task
  //# Tag) that the command was received and executed, and also that the response was sent prior to
  //# the abort, then the target MUST respond with the response code "Task Does Not Exist".
  return code(tmf_response::task_does_not_exist);
}

// The task is in the device server, its store I/O perhaps in flight: the
// initiator concludes the task at the response and may reuse its tag at once
// (section 4.2.3.3, initiator step c), so the response waits until the device
// server has let go of it (on_scsi_done -> finish_task).
std::uint8_t connection::abort_when_stored(task& t, const pdu::pdu& p) {
  if (t.abort_requests.size() >= task::max_abort_waiters) {
    note("target/abort-task-waiters", "another ABORT TASK for a task already being aborted");
    return code(tmf_response::function_rejected);
  }
  if (!t.aborting)
    (void)node_->devices->task_management(make_nexus(t.lun_field), scsi::tmf_function::abort_task, t.itt);
  t.aborting = true;
  t.abort_requests.push_back(p);
  return pending_response;
}

void connection::answer_abort_requests(const std::vector<pdu::pdu>& requests) {
  //= rfc7143#section-11.6.1
  //# a) if the Referenced Task Tag identifies a valid task leading to a
  //# successful termination, then targets must return the "Function complete" response.
  for (const auto& request : requests) send_tmf_response(request, code(tmf_response::function_complete));
}

std::uint8_t connection::tmf_reassign(const pdu::pdu&) {
  //= rfc7143#section-7.2.2
  //# When a target does not support allegiance reassignment, it MUST respond
  //# with a task management response code of "Task allegiance reassignment not supported".
  return code(tmf_response::task_allegiance_reassignment_not_supported);
}

std::uint8_t connection::tmf_not_supported(const pdu::pdu&) {
  // CLEAR ACA: the device server does not support ACA (NormACA=0 in INQUIRY).
  //= rfc7143#section-11.6.1
  //# 5 - Task management function not supported
  return code(tmf_response::function_not_supported);
}

std::uint8_t connection::tmf_query_task(const pdu::pdu& p) {
  const pdu::task_mgmt_request_view v(p);
  const auto rtt = v.referenced_task_tag();
  //= rfc7144#section-6.3
  //# At the target, a QUERY TASK function MUST NOT be executed on a Task
  //# Management request; such a request MUST result in Task Management
  //# response of "Function rejected".
  if ((waiting_tmf() && pdu::task_mgmt_request_view(waiting_tmf()->request).initiator_task_tag() == rtt) ||
      rtt == v.initiator_task_tag())
    return code(tmf_response::function_rejected);
  const auto it = tasks().find(rtt);
  const bool present = (it != tasks().end() && !it->second.aborting) ||
                       node_->devices->task_management(make_nexus(v.lun()), scsi::tmf_function::query_task, rtt)
                           .task_found;
  //= rfc7144#section-6.4.2
  //# For the QUERY TASK function, if the specified task is in the task set,
  //# then the logical unit returns a Response value of "Function succeeded"
  //# ... If the specified task is not in the task set, then the logical unit
  //# returns a Response value of "Function complete".
  return present ? code(tmf_response::function_succeeded) : code(tmf_response::function_complete);
}

std::uint8_t connection::tmf_query_task_set(const pdu::pdu& p) {
  const pdu::task_mgmt_request_view v(p);
  const auto lun = scsi::decode_lun(v.lun());
  //= rfc7144#section-6.4.2
  //# For the QUERY TASK SET function, if there is any command present in the
  //# task set from the specified I_T_L nexus, then the logical unit returns a
  //# Response value of "Function succeeded".
  const bool any = std::any_of(tasks().begin(), tasks().end(), [&](const auto& kv) {
    return !kv.second.aborting && scsi::decode_lun(kv.second.lun_field) == lun;
  });
  return any ? code(tmf_response::function_succeeded) : code(tmf_response::function_complete);
}

std::uint8_t connection::tmf_query_async_event(const pdu::pdu& p) {
  const pdu::task_mgmt_request_view v(p);
  const auto nx = make_nexus(v.lun());
  const auto lu = node_->devices->find_lu(nx.lun);
  //= rfc7144#section-6.4.2
  //# For the QUERY ASYNCHRONOUS EVENT, if there is a unit attention condition
  //# or deferred error pending for the specified I_T_L nexus, then the logical
  //# unit returns a Response value of "Function succeeded"
  const bool pending = lu && lu->peek_ua(nx.it).has_value();
  return pending ? code(tmf_response::function_succeeded) : code(tmf_response::function_complete);
}

}  // namespace touchstone::target
