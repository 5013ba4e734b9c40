// The mutants of task management (mutant_hooks.hpp): the response code of a
// TMF Response about to go out, what a LOGICAL UNIT RESET leaves behind, and
// a status the target must not send after ABORT TASK. tmf.cpp decides as the
// RFC asks; these bend what it decided.
#include "mutant_hooks.hpp"
#include "touchstone/pdu/task_mgmt_request.hpp"
#include "touchstone/scsi/logical_unit.hpp"
#include "touchstone/scsi/sense.hpp"
#include "touchstone/scsi/unit_attention.hpp"
#include "touchstone/target/data_in.hpp"

namespace touchstone::target {

namespace {

constexpr std::uint8_t function_complete = 0;
constexpr std::uint8_t function_rejected = 255;

//= rfc7143#section-11.5.1
//# For the LOGICAL UNIT RESET function, the target MUST behave as
//# dictated by the Logical Unit Reset function in [SAM2].
// (SAM: the reset's unit attention is for the I_T_L nexuses of the LU
// reset.) Mutant lun-reset-unit-attention-everywhere breaks it: every other
// LU of the target gets it too.
void reset_unit_attention_everywhere(const pdu::task_mgmt_request_view& v, scsi::device_server& devices) {
  const auto reset = scsi::decode_lun(v.lun());
  for (const auto lun : devices.luns())
    if (lun != reset)
      if (auto lu = devices.find_lu(lun)) lu->establish_ua_all(scsi::unit_attention::bus_device_reset);
}

}  // namespace

std::uint8_t mutate_tmf_response([[maybe_unused]] const mutant_set& set, [[maybe_unused]] const pdu::pdu& request,
                                 std::uint8_t response, [[maybe_unused]] bool tasks_open,
                                 [[maybe_unused]] scsi::device_server* devices) {
  const pdu::task_mgmt_request_view v(request);
  //= rfc7143#section-11.5.1
  //# For all these functions, the Task Management Function Response MUST be
  //# returned as detailed in Section 11.6.
  // (Function complete for ABORT TASK SET, which SAM has every LU support.)
  // Mutant abort-task-set-empty-rejected breaks it when no task is open.
  if (mutated(set, m::abort_task_set_empty_rejected) && v.function() == pdu::tmf_function::abort_task_set &&
      response == function_complete && !tasks_open)
    return function_rejected;
  if (mutated(set, m::lun_reset_unit_attention_everywhere) && devices &&
      v.function() == pdu::tmf_function::logical_unit_reset && response == function_complete)
    reset_unit_attention_everywhere(v, *devices);
  return response;
}

//= rfc7143#section-11.5.1
//# The iSCSI target MUST ensure that no responses for the
//# tasks covered by a task management function are delivered to the
//# iSCSI initiator after the task management response, except for a task
//# covered by a TASK REASSIGN.
// Mutant status-after-abort breaks it: the aborted task's status follows
// the TMF Response (CHECK CONDITION, ABORTED COMMAND, as a target that lets
// the task end in error would send).
pdu::pdu status_after_abort(const pdu::pdu& request, std::uint32_t stat_sn, std::uint32_t exp_cmd_sn,
                            std::uint32_t max_cmd_sn) {
  const pdu::task_mgmt_request_view v(request);
  const auto sense = scsi::encode_sense(
      scsi::make_sense(scsi::sense_key::aborted_command, scsi::asc::no_additional_sense), scsi::sense_format::fixed);
  return check_condition_response(sense, {v.referenced_task_tag(), v.lun(), stat_sn, exp_cmd_sn, max_cmd_sn});
}

}  // namespace touchstone::target
