// Task management functions at the device-server level.
#include <mutex>

#include "touchstone/scsi/device_server.hpp"

namespace touchstone::scsi {
namespace {

void append(std::vector<aborted_task>& to, std::vector<aborted_task> from) {
  to.insert(to.end(), from.begin(), from.end());
}

//= spc4#7.5.8 table 429
//# TAS=0: COMMANDS CLEARED BY ANOTHER INITIATOR for each other I_T nexus that lost tasks
void tell_others(logical_unit& lu, const it_nexus& by, const std::vector<aborted_task>& aborted,
                 bool tas) {
  if (tas) return;
  for (const auto& a : aborted) {
    if (a.it != by) lu.establish_ua(a.it, unit_attention::commands_cleared_by_another_initiator);
  }
}

tmf_result clear_task_set(logical_unit& lu, const it_nexus& by) {
  tmf_result r;
  auto lock = lu.lock_execution();
  const bool tas = lu.pages().tas();
  //= sam5#7.4
  //# CLEAR TASK SET aborts every task in the task set, of every I_T nexus
  r.aborted = lu.tasks().abort_all(&by, tas);
  tell_others(lu, by, r.aborted, tas);
  return r;
}

tmf_result logical_unit_reset(logical_unit& lu, const it_nexus& by) {
  tmf_result r;
  auto lock = lu.lock_execution();
  const bool tas = lu.pages().tas();
  //= sam5#7.7
  //# LOGICAL UNIT RESET: abort every task, reset the LU's state, and establish
  //# BUS DEVICE RESET FUNCTION OCCURRED for every I_T nexus
  r.aborted = lu.tasks().abort_all(&by, tas);
  lu.pages().revert_to_saved();
  lu.notify(lu_event{lu_event_kind::logical_unit_reset, nullptr});
  lu.establish_ua_all(unit_attention::bus_device_reset);
  lu.establish_ua(by, unit_attention::bus_device_reset);
  return r;
}

}  // namespace

tmf_result device_server::task_management(const nexus& nx, tmf_function fn, task_tag tag) {
  if (fn == tmf_function::it_nexus_reset) {
    // rfc7144 section 6.3, in our words:
    // every task of the I_T nexus on every LU aborted; I_T NEXUS LOSS OCCURRED
    tmf_result r;
    for (auto& lu : all_lus()) append(r.aborted, lu->tasks().abort_nexus(nx.it));
    it_nexus_lost(nx.it);
    return r;
  }
  auto lu = find_lu(nx.lun);
  tmf_result r;
  if (!lu) {
    r.response = tmf_service_response::incorrect_lun;
    return r;
  }
  switch (fn) {
    case tmf_function::abort_task:
      //= sam5#7.2
      //# ABORT TASK of a task not in the task set is still FUNCTION COMPLETE
      if (auto a = lu->tasks().abort(nx.it, tag)) {
        r.task_found = true;
        r.aborted.push_back(*a);
      }
      return r;
    case tmf_function::query_task:
      //= sam5#7.9
      //# QUERY TASK: FUNCTION SUCCEEDED if the task is in the task set
      r.task_found = lu->tasks().present(nx.it, tag);
      if (r.task_found) r.response = tmf_service_response::function_succeeded;
      return r;
    case tmf_function::abort_task_set:
      //= sam5#7.3
      //# ABORT TASK SET aborts the tasks of this I_T nexus only; no unit attention
      r.aborted = lu->tasks().abort_nexus(nx.it);
      return r;
    case tmf_function::clear_task_set:
      return clear_task_set(*lu, nx.it);
    case tmf_function::logical_unit_reset:
      return logical_unit_reset(*lu, nx.it);
    case tmf_function::it_nexus_reset:
      break;
  }
  r.response = tmf_service_response::function_rejected;
  return r;
}

void device_server::it_nexus_lost(const it_nexus& it) {
  for (auto& lu : all_lus()) {
    (void)lu->tasks().abort_nexus(it);
    auto lock = lu->lock_execution();
    lu->notify(lu_event{lu_event_kind::it_nexus_loss, &it});
    //= sam5#6.3.4
    //# I_T nexus loss: UNIT ATTENTION, I_T NEXUS LOSS OCCURRED for that nexus
    lu->establish_ua(it, unit_attention::it_nexus_loss);
  }
}

void device_server::commands_cleared_by_protocol_event(const it_nexus& it) {
  for (auto& lu : all_lus()) {
    if (lu->tasks().abort_nexus(it).empty()) continue;
    // rfc7143 section 11.14.5, in our words:
    // tasks cleared by an iSCSI protocol event: SOME COMMANDS CLEARED BY ISCSI PROTOCOL EVENT
    lu->establish_ua(it, unit_attention::commands_cleared_by_protocol_event);
  }
}

}  // namespace touchstone::scsi
