#include "field_tables.hpp"

#include <array>

#include "touchstone/pdu/all.hpp"

namespace touchstone::pdu_tool {
namespace {

using namespace touchstone::pdu;
using vs = value_style;

constexpr std::uint8_t off(std::size_t o) { return static_cast<std::uint8_t>(o); }

// Fields several tables share.
constexpr field_spec f_bit{"F", off(bhs_offset::flags), 0, final_bit_mask, vs::bit};
constexpr field_spec lun{"LUN", off(bhs_offset::lun), 8, 0, vs::hex};
constexpr field_spec dec32(std::string_view name, std::size_t o) { return {name, off(o), 4, 0, vs::decimal}; }
constexpr field_spec hex32(std::string_view name, std::size_t o) { return {name, off(o), 4, 0, vs::hex}; }
constexpr field_spec dec16(std::string_view name, std::size_t o) { return {name, off(o), 2, 0, vs::decimal}; }
constexpr field_spec dec8(std::string_view name, std::size_t o, value_namer n = nullptr) {
  return {name, off(o), 1, 0, vs::decimal, n};
}
constexpr field_spec bit(std::string_view name, std::size_t o, std::uint8_t mask) {
  return {name, off(o), 0, mask, vs::bit};
}
constexpr field_spec bits(std::string_view name, std::size_t o, std::uint8_t mask, value_namer n) {
  return {name, off(o), 0, mask, vs::decimal, n};
}

// rfc7143 section 11.2.1, in our words:
// Byte 0: .|I|Opcode; TotalAHSLength 4; DataSegmentLength 5-7; ITT 16-19
constexpr std::array common{
    field_spec{"Opcode", 0, 0, opcode_mask, vs::hex},
    bit("I", 0, immediate_bit),
    dec8("TotalAHSLength", bhs_offset::total_ahs_length),
    field_spec{"DataSegmentLength", off(bhs_offset::data_segment_length), 3, 0, vs::decimal},
    hex32("InitiatorTaskTag", bhs_offset::initiator_task_tag),
};

// rfc7143 section 11.18, in our words:
// NOP-Out: F, LUN, TTT, CmdSN, ExpStatSN
constexpr std::array nop_out{f_bit, lun, hex32("TargetTransferTag", nop_out_offset::target_transfer_tag),
                             dec32("CmdSN", nop_out_offset::cmd_sn),
                             dec32("ExpStatSN", nop_out_offset::exp_stat_sn)};

// rfc7143 section 11.3, in our words:
// SCSI Command: F|R|W|.|.|ATTR, LUN, EDTL, CmdSN, ExpStatSN, CDB
constexpr std::array scsi_command{
    f_bit,
    bit("R", scsi_command_offset::flags, scsi_command_flag::read),
    bit("W", scsi_command_offset::flags, scsi_command_flag::write),
    bits("ATTR", scsi_command_offset::flags, scsi_command_flag::attribute, task_attribute_name),
    lun,
    dec32("ExpectedDataTransferLength", scsi_command_offset::expected_data_transfer_length),
    dec32("CmdSN", scsi_command_offset::cmd_sn),
    dec32("ExpStatSN", scsi_command_offset::exp_stat_sn)};

// rfc7143 section 11.5, in our words:
// TMF Request: 1|Function, LUN, Referenced Task Tag, CmdSN, ExpStatSN, RefCmdSN, ExpDataSN
constexpr std::array task_mgmt_request{
    f_bit,
    bits("Function", task_mgmt_request_offset::function, tmf_function_mask, tmf_function_name),
    lun,
    hex32("ReferencedTaskTag", task_mgmt_request_offset::referenced_task_tag),
    dec32("CmdSN", task_mgmt_request_offset::cmd_sn),
    dec32("ExpStatSN", task_mgmt_request_offset::exp_stat_sn),
    dec32("RefCmdSN", task_mgmt_request_offset::ref_cmd_sn),
    dec32("ExpDataSN", task_mgmt_request_offset::exp_data_sn)};

// rfc7143 section 11.12, in our words:
// Login Request: T|C|.|.|CSG|NSG, Version-max, Version-min, ISID, TSIH, CID, CmdSN, ExpStatSN
constexpr std::array login_request{
    bit("T", login_request_offset::flags, login_flag::transit),
    bit("C", login_request_offset::flags, login_flag::continue_),
    bits("CSG", login_request_offset::flags, login_flag::csg, login_stage_name),
    bits("NSG", login_request_offset::flags, login_flag::nsg, login_stage_name),
    dec8("VersionMax", login_request_offset::version_max),
    dec8("VersionMin", login_request_offset::version_min),
    field_spec{"ISID", off(login_request_offset::isid), 6, 0, vs::hex},
    field_spec{"TSIH", off(login_request_offset::tsih), 2, 0, vs::hex},
    dec16("CID", login_request_offset::cid),
    dec32("CmdSN", login_request_offset::cmd_sn),
    dec32("ExpStatSN", login_request_offset::exp_stat_sn)};

// rfc7143 section 11.10, in our words:
// Text Request: F|C, LUN, TTT, CmdSN, ExpStatSN
constexpr std::array text_request{
    f_bit, bit("C", text_request_offset::flags, text_request_continue_bit), lun,
    hex32("TargetTransferTag", text_request_offset::target_transfer_tag),
    dec32("CmdSN", text_request_offset::cmd_sn), dec32("ExpStatSN", text_request_offset::exp_stat_sn)};

// rfc7143 section 11.7, in our words:
// SCSI Data-Out: F, LUN, TTT, ExpStatSN, DataSN, Buffer Offset
constexpr std::array data_out{f_bit, lun,
                              hex32("TargetTransferTag", data_out_offset::target_transfer_tag),
                              dec32("ExpStatSN", data_out_offset::exp_stat_sn),
                              dec32("DataSN", data_out_offset::data_sn),
                              dec32("BufferOffset", data_out_offset::buffer_offset)};

// rfc7143 section 11.14, in our words:
// Logout Request: 1|Reason Code, CID, CmdSN, ExpStatSN
constexpr std::array logout_request{
    f_bit,
    bits("ReasonCode", logout_request_offset::reason_code, logout_reason_mask, logout_reason_name),
    dec16("CID", logout_request_offset::cid), dec32("CmdSN", logout_request_offset::cmd_sn),
    dec32("ExpStatSN", logout_request_offset::exp_stat_sn)};

// rfc7143 section 11.16, in our words:
// SNACK: 1|.|.|.|Type, LUN, TTT or SNACK Tag, ExpStatSN, BegRun, RunLength
constexpr std::array snack{f_bit,
                           bits("Type", snack_offset::type, snack_type_mask, snack_type_name),
                           lun,
                           hex32("TargetTransferTag/SNACKTag", snack_offset::target_transfer_tag),
                           dec32("ExpStatSN", snack_offset::exp_stat_sn),
                           dec32("BegRun", snack_offset::beg_run),
                           dec32("RunLength", snack_offset::run_length)};

// rfc7143 section 11.19, in our words:
// NOP-In: F, LUN, TTT, StatSN, ExpCmdSN, MaxCmdSN
constexpr std::array nop_in{f_bit, lun, hex32("TargetTransferTag", nop_in_offset::target_transfer_tag),
                            dec32("StatSN", nop_in_offset::stat_sn),
                            dec32("ExpCmdSN", nop_in_offset::exp_cmd_sn),
                            dec32("MaxCmdSN", nop_in_offset::max_cmd_sn)};

// rfc7143 section 11.4, in our words:
// SCSI Response: 1|.|.|o|u|O|U|., Response, Status, SNACK Tag, StatSN, ExpCmdSN,
// MaxCmdSN, ExpDataSN, Bidirectional Read Residual Count, Residual Count
constexpr std::array scsi_response{
    f_bit,
    bit("o", scsi_response_offset::flags, residual_flag::bidi_read_overflow),
    bit("u", scsi_response_offset::flags, residual_flag::bidi_read_underflow),
    bit("O", scsi_response_offset::flags, residual_flag::overflow),
    bit("U", scsi_response_offset::flags, residual_flag::underflow),
    dec8("Response", scsi_response_offset::response, iscsi_response_name),
    field_spec{"Status", off(scsi_response_offset::status), 1, 0, vs::hex, scsi_status_name},
    hex32("SNACKTag", scsi_response_offset::snack_tag),
    dec32("StatSN", scsi_response_offset::stat_sn),
    dec32("ExpCmdSN", scsi_response_offset::exp_cmd_sn),
    dec32("MaxCmdSN", scsi_response_offset::max_cmd_sn),
    dec32("ExpDataSN", scsi_response_offset::exp_data_sn),
    dec32("BidiReadResidualCount", scsi_response_offset::bidi_read_residual_count),
    dec32("ResidualCount", scsi_response_offset::residual_count)};

// rfc7143 section 11.6, in our words:
// TMF Response: Response, StatSN, ExpCmdSN, MaxCmdSN
constexpr std::array task_mgmt_response{
    f_bit, dec8("Response", task_mgmt_response_offset::response, tmf_response_name),
    dec32("StatSN", task_mgmt_response_offset::stat_sn),
    dec32("ExpCmdSN", task_mgmt_response_offset::exp_cmd_sn),
    dec32("MaxCmdSN", task_mgmt_response_offset::max_cmd_sn)};

// rfc7143 section 11.13, in our words:
// Login Response: T|C|.|.|CSG|NSG, Version-max, Version-active, ISID, TSIH, StatSN,
// ExpCmdSN, MaxCmdSN, Status-Class, Status-Detail
constexpr std::array login_response{
    bit("T", login_response_offset::flags, login_flag::transit),
    bit("C", login_response_offset::flags, login_flag::continue_),
    bits("CSG", login_response_offset::flags, login_flag::csg, login_stage_name),
    bits("NSG", login_response_offset::flags, login_flag::nsg, login_stage_name),
    dec8("VersionMax", login_response_offset::version_max),
    dec8("VersionActive", login_response_offset::version_active),
    field_spec{"ISID", off(login_response_offset::isid), 6, 0, vs::hex},
    field_spec{"TSIH", off(login_response_offset::tsih), 2, 0, vs::hex},
    dec32("StatSN", login_response_offset::stat_sn),
    dec32("ExpCmdSN", login_response_offset::exp_cmd_sn),
    dec32("MaxCmdSN", login_response_offset::max_cmd_sn),
    field_spec{"Status", off(login_response_offset::status_class), 2, 0, vs::hex, login_status_name}};

// rfc7143 section 11.11, in our words:
// Text Response: F|C, LUN, TTT, StatSN, ExpCmdSN, MaxCmdSN
constexpr std::array text_response{
    f_bit, bit("C", text_response_offset::flags, text_response_continue_bit), lun,
    hex32("TargetTransferTag", text_response_offset::target_transfer_tag),
    dec32("StatSN", text_response_offset::stat_sn), dec32("ExpCmdSN", text_response_offset::exp_cmd_sn),
    dec32("MaxCmdSN", text_response_offset::max_cmd_sn)};

// rfc7143 section 11.7, in our words:
// SCSI Data-In: F|A|0|0|0|O|U|S, Status, LUN, TTT, StatSN, ExpCmdSN, MaxCmdSN,
// DataSN, Buffer Offset, Residual Count
constexpr std::array data_in{
    f_bit,
    bit("A", data_in_offset::flags, data_in_flag::acknowledge),
    bit("O", data_in_offset::flags, residual_flag::overflow),
    bit("U", data_in_offset::flags, residual_flag::underflow),
    bit("S", data_in_offset::flags, data_in_flag::status),
    field_spec{"Status", off(data_in_offset::status), 1, 0, vs::hex, scsi_status_name},
    lun,
    hex32("TargetTransferTag", data_in_offset::target_transfer_tag),
    dec32("StatSN", data_in_offset::stat_sn),
    dec32("ExpCmdSN", data_in_offset::exp_cmd_sn),
    dec32("MaxCmdSN", data_in_offset::max_cmd_sn),
    dec32("DataSN", data_in_offset::data_sn),
    dec32("BufferOffset", data_in_offset::buffer_offset),
    dec32("ResidualCount", data_in_offset::residual_count)};

// rfc7143 section 11.15, in our words:
// Logout Response: Response, StatSN, ExpCmdSN, MaxCmdSN, Time2Wait, Time2Retain
constexpr std::array logout_response{
    f_bit, dec8("Response", logout_response_offset::response, logout_response_name),
    dec32("StatSN", logout_response_offset::stat_sn),
    dec32("ExpCmdSN", logout_response_offset::exp_cmd_sn),
    dec32("MaxCmdSN", logout_response_offset::max_cmd_sn),
    dec16("Time2Wait", logout_response_offset::time2wait),
    dec16("Time2Retain", logout_response_offset::time2retain)};

// rfc7143 section 11.8, in our words:
// R2T: LUN, TTT, StatSN, ExpCmdSN, MaxCmdSN, R2TSN, Buffer Offset, Desired Data Transfer Length
constexpr std::array r2t{f_bit, lun, hex32("TargetTransferTag", r2t_offset::target_transfer_tag),
                         dec32("StatSN", r2t_offset::stat_sn), dec32("ExpCmdSN", r2t_offset::exp_cmd_sn),
                         dec32("MaxCmdSN", r2t_offset::max_cmd_sn), dec32("R2TSN", r2t_offset::r2t_sn),
                         dec32("BufferOffset", r2t_offset::buffer_offset),
                         dec32("DesiredDataTransferLength", r2t_offset::desired_data_transfer_length)};

// rfc7143 section 11.9, in our words:
// Async Message: LUN, StatSN, ExpCmdSN, MaxCmdSN, AsyncEvent, AsyncVCode, Parameter1-3
constexpr std::array async_message{
    f_bit, lun, dec32("StatSN", async_message_offset::stat_sn),
    dec32("ExpCmdSN", async_message_offset::exp_cmd_sn),
    dec32("MaxCmdSN", async_message_offset::max_cmd_sn),
    dec8("AsyncEvent", async_message_offset::async_event, async_event_name),
    dec8("AsyncVCode", async_message_offset::async_vcode),
    dec16("Parameter1", async_message_offset::parameter1),
    dec16("Parameter2", async_message_offset::parameter2),
    dec16("Parameter3", async_message_offset::parameter3)};

// rfc7143 section 11.17, in our words:
// Reject: Reason, StatSN, ExpCmdSN, MaxCmdSN, DataSN/R2TSN
constexpr std::array reject{f_bit,
                            field_spec{"Reason", off(reject_offset::reason), 1, 0, vs::hex,
                                       reject_reason_name},
                            dec32("StatSN", reject_offset::stat_sn),
                            dec32("ExpCmdSN", reject_offset::exp_cmd_sn),
                            dec32("MaxCmdSN", reject_offset::max_cmd_sn),
                            dec32("DataSN/R2TSN", reject_offset::data_sn_or_r2t_sn)};

//= rfc7143#section-11.2.1
//# 0|.|I| Opcode |F| Opcode-specific fields ... 20/ Opcode-specific fields
// An opcode the codec does not define: its opcode-specific words as they came.
constexpr std::array unknown{
    f_bit, field_spec{"Bytes1-3", 1, 3, 0, vs::hex}, field_spec{"Bytes8-15", 8, 8, 0, vs::hex},
    hex32("Bytes20-23", 20), hex32("Bytes24-27", 24), hex32("Bytes28-31", 28),
    hex32("Bytes32-35", 32), hex32("Bytes36-39", 36), hex32("Bytes40-43", 40),
    hex32("Bytes44-47", 44)};

struct row {
  opcode op;
  std::span<const field_spec> fields;
};

constexpr std::array rows{
    row{opcode::nop_out, nop_out},
    row{opcode::scsi_command, scsi_command},
    row{opcode::task_mgmt_request, task_mgmt_request},
    row{opcode::login_request, login_request},
    row{opcode::text_request, text_request},
    row{opcode::data_out, data_out},
    row{opcode::logout_request, logout_request},
    row{opcode::snack, snack},
    row{opcode::nop_in, nop_in},
    row{opcode::scsi_response, scsi_response},
    row{opcode::task_mgmt_response, task_mgmt_response},
    row{opcode::login_response, login_response},
    row{opcode::text_response, text_response},
    row{opcode::data_in, data_in},
    row{opcode::logout_response, logout_response},
    row{opcode::r2t, r2t},
    row{opcode::async_message, async_message},
    row{opcode::reject, reject},
};

}  // namespace

std::span<const field_spec> common_fields() { return common; }

std::span<const field_spec> opcode_fields(std::uint8_t raw_opcode) {
  for (const auto& r : rows)
    if (static_cast<std::uint8_t>(r.op) == raw_opcode) return r.fields;
  return unknown;
}

}  // namespace touchstone::pdu_tool
