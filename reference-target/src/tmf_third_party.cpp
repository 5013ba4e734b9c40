// Third-party tasks of a multi-task TMF (RFC 7143 sections 4.2.3.2, 4.2.3.3,
// 4.2.3.6): LOGICAL UNIT RESET, CLEAR TASK SET and TARGET WARM RESET abort
// the tasks of every session on the LU, not only the issuing one's. The SCSI
// layer aborts what its task set holds (tasks executing, or handed to it:
// maybe_execute enters them); a task still waiting for its Data-Out lives
// only in its own connection, which the issuing connection reaches through
// the session directory: an abort notice, and the connection's waker.
#include "touchstone/pdu/task_mgmt_request.hpp"
#include "touchstone/scsi/device_server.hpp"
#include "touchstone/scsi/nexus.hpp"
#include "touchstone/target/connection.hpp"
#include "touchstone/target/session_directory.hpp"

namespace touchstone::target {

//= rfc7143#section-4.2.3.2
//# LOGICAL UNIT RESET: All outstanding tasks from all initiators for the
//# LU identified by the LUN field in the LOGICAL UNIT RESET
//# Request PDU.
//= rfc7143#section-4.2.3.2
//# CLEAR TASK SET: All outstanding tasks in the task set for the LU
//# identified by the LUN field in the CLEAR TASK SET TMF Request PDU.
//= rfc7143#section-4.2.3.2
//# TARGET WARM RESET/TARGET COLD RESET: All outstanding tasks from all
//# initiators across all LUs to which the TMF-issuing session has
//# access on the SCSI target device hosting the iSCSI session.
// ABORT TASK SET's are the issuing I_T_L nexus's only (mark_affected);
// TARGET COLD RESET ends every other session instead (run_scsi_tmf).
// Called once the SCSI layer has run the function, with the instance lock
// still held: a third-party connection looks at its notice, under that
// lock, before it handles anything else.
void connection::tell_third_parties(const pdu::pdu& request) {
  const pdu::task_mgmt_request_view v(request);
  auto& devices = *node_->devices;
  switch (v.function()) {
    case pdu::tmf_function::logical_unit_reset:
      node_->directory.abort_tasks_except(session_->tsih(), task_abort{scsi::decode_lun(v.lun()), false});
      return;
    case pdu::tmf_function::clear_task_set:
      node_->directory.abort_tasks_except(session_->tsih(), task_abort{scsi::decode_lun(v.lun()), true});
      return;
    case pdu::tmf_function::target_warm_reset:
      for (auto lun : devices.luns()) node_->directory.abort_tasks_except(session_->tsih(), task_abort{lun, false});
      return;
    default: return;
  }
}

// On every input (on_tick, on_scsi_done): the aborts other sessions posted.
void connection::take_third_party_aborts() {
  if (phase_ != phase::ffp_normal || !session_->directory().aborts) return;
  for (const auto& what : session_->directory().aborts->take()) abort_third_party(what);
}

//= rfc7143#section-4.2.3.3
//# MAY wait for responses on currently valid Target Transfer Tags of the
//# affected tasks from third-party initiators.
//= rfc7143#section-4.2.3.3
//# SHOULD NOT wait for new commands on third-party affected sessions -- only
//# the instantiated tasks have to be considered for the purpose of
//# determining the affected tasks.
// This session is the third party: its tasks on the LU that the SCSI layer
// does not hold (not executing) end here. Those with an open transfer absorb
// the Data-Out still due on it and ask for no more (issue_r2ts), then go
// without a response (maybe_execute); the others go now. Commands not yet
// received (or queued for a CmdSN gap) are new tasks, not affected.
//= rfc7143#section-4.2.3.3
//# e) MUST provide the Response Fence behavior on the first post-TMF
//# Response on third-party sessions as specified in
//# Section 4.2.2.3.3.
//= rfc7143#section-4.2.3.6
//# The UA notification contained in
//# the first SCSI Response PDU on each affected third-party
//# I_T_L nexus after the TMF action thus MUST NOT pass the
//# affected task responses on any of the iSCSI sessions
//# accessing the LU.
// A single-connection session needs no special processing for the fence
// (4.2.2.3.3 a): the affected tasks' responses come before the UA, or (TAS=0,
// the default: the aborted tasks answer nothing) never. With TAS=1 each
// answers TASK ABORTED once its open transfers end, as the SCSI layer
// answers the tasks it held; a UA of LOGICAL UNIT RESET on a command the
// initiator sends before that Data-Out can then pass it (docs/target.md).
void connection::abort_third_party(const task_abort& what) {
  const auto lu = node_->devices ? node_->devices->find_lu(what.lun) : nullptr;
  if (!lu) return;
  const bool tas = lu->pages().tas();
  std::vector<std::uint32_t> done;
  bool lost = false;
  for (auto& [itt, t] : tasks()) {
    if (t.executing || t.aborting || scsi::decode_lun(t.lun_field) != what.lun) continue;
    t.aborting = true;
    t.report_aborted = tas;
    lost = true;
    issue_r2ts(t);  // asks for nothing more
    if (!(t.write && t.transfer.bursts_open())) done.push_back(itt);
  }
  for (auto itt : done) {
    const auto it = tasks().find(itt);
    if (it != tasks().end()) maybe_execute(it->second);  // drops it, or answers TASK ABORTED
  }
  //= spc4#7.5.8 table 429
  //# TAS=0: COMMANDS CLEARED BY ANOTHER INITIATOR for each other I_T nexus that lost tasks
  // The SCSI layer establishes it for the tasks its task set held; these it
  // never saw. LOGICAL UNIT RESET's BUS DEVICE RESET FUNCTION OCCURRED is
  // established for every I_T nexus already.
  if (lost && what.clear_task_set && !tas)
    lu->establish_ua(make_nexus(0).it, scsi::unit_attention::commands_cleared_by_another_initiator);
}

}  // namespace touchstone::target
