// Task Management Function Request validation rules.
#include "touchstone/pdu/task_mgmt_request.hpp"

#include "validators.hpp"

namespace touchstone::pdu::detail {
namespace {

// Which of the function-dependent fields a function uses; the others are
// reserved (or, for the Referenced Task Tag, must hold 0xffffffff).
struct tmf_fields {
  bool lun;
  bool referenced_task_tag;
  bool ref_cmd_sn;
  bool exp_data_sn;
};

// One row per assigned function (RFC 7143 11.5.3-11.5.6, RFC 7144 6.3.1-6.3.3).
constexpr tmf_fields fields_of(std::uint8_t function) {
  switch (static_cast<tmf_function>(function)) {
    case tmf_function::abort_task: return {true, true, true, false};
    case tmf_function::abort_task_set: return {true, false, false, false};
    case tmf_function::clear_aca: return {true, false, false, false};
    case tmf_function::clear_task_set: return {true, false, false, false};
    case tmf_function::logical_unit_reset: return {true, false, false, false};
    case tmf_function::target_warm_reset: return {false, false, false, false};
    case tmf_function::target_cold_reset: return {false, false, false, false};
    case tmf_function::task_reassign: return {false, true, false, true};
    case tmf_function::query_task: return {true, true, true, false};
    case tmf_function::query_task_set: return {true, false, false, false};
    case tmf_function::i_t_nexus_reset: return {false, false, false, false};
    case tmf_function::query_asynchronous_event: return {true, false, false, false};
  }
  // Unassigned codes: nothing to say about their fields.
  return {true, true, true, true};
}

void check_layout(const pdu& p, const task_mgmt_request_view& v, violations& out) {
  // rfc7143 section 11.5, in our words:
  // byte 1 is 1|Function: the F bit is always 1
  check::require(out, v.final_bit(), "rfc7143#section-11.5/f-bit-set", severity::protocol_error,
                 "Task Management Function Request F bit is not 1");
  check::reserved_bytes(out, p, 2, 4, "rfc7143#section-11.5/bytes2-3-reserved",
                        "Task Management Function Request bytes 2-3 reserved and set");
  check::reserved_bytes(out, p, 40, 48, "rfc7143#section-11.5/bytes40-47-reserved",
                        "Task Management Function Request bytes 40-47 reserved and set");
  //= rfc7143#section-11.5.2
  //# For this PDU, TotalAHSLength and DataSegmentLength MUST be 0.
  check::require(out, v.total_ahs_length() == 0, "rfc7143#section-11.5.2/total-ahs-length-zero",
                 severity::protocol_error, "Task Management Function Request carries AHS");
  check::require(out, v.data_segment_length() == 0,
                 "rfc7143#section-11.5.2/data-segment-length-zero", severity::protocol_error,
                 "Task Management Function Request carries a data segment");
  //= rfc7143#section-11.2.1.8
  //# An ITT value of 0xffffffff is reserved and MUST NOT be assigned for a task by the initiator.
  check::require(out, v.initiator_task_tag() != reserved_tag,
                 "rfc7143#section-11.2.1.8/task-mgmt-request-itt-not-reserved",
                 severity::protocol_error, "Task Management Function Request uses ITT 0xffffffff");
}

void check_function(const task_mgmt_request_view& v, violations& out) {
  //= rfc7143#section-11.5.1
  //# Values 9-12 are assigned in [RFC7144]. All other possible values for the Function field are
  // unassigned.
  check::require(out, is_assigned(v.function()), "rfc7143#section-11.5.1/function-unassigned",
                 severity::protocol_error, "Task Management function code is unassigned");
  //= rfc7143#section-11.5.1
  //# TASK REASSIGN MUST be issued as an immediate command.
  check::require(out, v.function() != tmf_function::task_reassign || v.immediate(),
                 "rfc7143#section-11.5.1/task-reassign-immediate", severity::protocol_error,
                 "TASK REASSIGN is not marked immediate");
}

void check_function_fields(const task_mgmt_request_view& v, violations& out) {
  const auto used = fields_of(v.raw_function());
  //= rfc7143#section-11.5.3
  //# This field is required for functions that address a specific LU (ABORT TASK, CLEAR
  //# TASK SET, ABORT TASK SET, CLEAR ACA, LOGICAL UNIT RESET) and is reserved in all others.
  //= rfc7144#section-6.3.1
  //# (i.e., ABORT TASK, CLEAR TASK SET, ABORT TASK SET, CLEAR ACA, LOGICAL UNIT RESET,
  //# QUERY TASK, QUERY TASK SET, and QUERY ASYNCHRONOUS EVENT) and is reserved in all others.
  check::require(out, used.lun || v.lun() == 0, "rfc7143#section-11.5.3/lun-reserved",
                 severity::reserved_field, "LUN is reserved for this task management function");
  //= rfc7143#section-11.5.4
  //# For all the other functions, this field MUST be set to the reserved value 0xffffffff.
  //= rfc7144#section-6.3.2
  //# For all other functions, this field MUST be set to the reserved value 0xffffffff.
  check::require(out, used.referenced_task_tag || v.referenced_task_tag() == reserved_tag,
                 "rfc7143#section-11.5.4/rtt-reserved-value", severity::protocol_error,
                 "Referenced Task Tag is not 0xffffffff for this function");
  //= rfc7143#section-11.5.4
  //# This is the Initiator Task Tag of the task to be aborted for the ABORT TASK function
  //# or reassigned for the TASK REASSIGN function.
  // A task tag is never 0xffffffff (11.2.1.8), so that value names no task.
  check::require(out, !used.referenced_task_tag || v.referenced_task_tag() != reserved_tag,
                 "rfc7143#section-11.5.4/rtt-names-a-task", severity::protocol_error,
                 "Referenced Task Tag 0xffffffff names no task");
  //= rfc7143#section-11.5.5
  //# Otherwise, this field is reserved.
  check::require(out, used.ref_cmd_sn || v.ref_cmd_sn() == 0,
                 "rfc7143#section-11.5.5/ref-cmd-sn-reserved", severity::reserved_field,
                 "RefCmdSN is reserved for this task management function");
  //= rfc7143#section-11.5.6
  //# For other functions, this field is reserved.
  check::require(out, used.exp_data_sn || v.exp_data_sn() == 0,
                 "rfc7143#section-11.5.6/exp-data-sn-reserved", severity::reserved_field,
                 "ExpDataSN is reserved for this task management function");
}

}  // namespace

void validate_task_mgmt_request(const pdu& p, violations& out) {
  const task_mgmt_request_view v{p};
  check_layout(p, v, out);
  check_function(v, out);
  check_function_fields(v, out);
}

}  // namespace touchstone::pdu::detail
