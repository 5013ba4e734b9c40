// One legal PDU of every type, built with the real builders: the stream the
// framer, round-trip and external-oracle tests share.
#pragma once

#include <string_view>
#include <vector>

#include "touchstone/pdu/all.hpp"

namespace touchstone::pdu::test {

inline byte_buffer text_bytes(std::string_view kv) {
  return byte_buffer(kv.begin(), kv.end());
}

inline byte_buffer filled(std::size_t n, std::uint8_t seed) {
  byte_buffer b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 13);
  return b;
}

// Initiator PDUs, in a plausible order.
inline std::vector<pdu> sample_initiator_pdus() {
  using namespace std::string_view_literals;
  const byte_buffer read10 = {0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0};
  const byte_buffer write16 = {0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0};
  std::vector<pdu> out;
  out.push_back(login_request_builder{}
                    .transit_to(login_stage::full_feature_phase)
                    .csg(login_stage::operational_negotiation)
                    .isid(0x400001370000)
                    .initiator_task_tag(1)
                    .data(text_bytes("InitiatorName=iqn.2026-11.org.touchstone:init\0"
                                     "TargetName=iqn.2026-11.org.touchstone:target\0"
                                     "SessionType=Normal\0"sv))
                    .build());
  out.push_back(scsi_command_builder{}
                    .read(true)
                    .final_bit()
                    .expected_data_transfer_length(4096)
                    .cmd_sn(1)
                    .cdb(read10)
                    .initiator_task_tag(2)
                    .build());
  out.push_back(scsi_command_builder{}
                    .write(true)
                    .final_bit(false)
                    .expected_data_transfer_length(512)
                    .cmd_sn(2)
                    .cdb(write16)
                    .initiator_task_tag(3)
                    .data(filled(256, 1))
                    .build());
  out.push_back(data_out_builder{}.final_bit().initiator_task_tag(3).target_transfer_tag(7)
                    .buffer_offset(256).data(filled(256, 2)).build());
  out.push_back(nop_out_builder{}.initiator_task_tag(4).cmd_sn(3).data(filled(5, 3)).build());
  out.push_back(text_request_builder{}.final_bit().initiator_task_tag(5).target_transfer_tag(0xffffffff)
                    .cmd_sn(3).data(text_bytes("SendTargets=All\0"sv)).build());
  out.push_back(task_mgmt_request_builder{}.function(tmf_function::abort_task).initiator_task_tag(6)
                    .referenced_task_tag(2).cmd_sn(4).ref_cmd_sn(1).immediate().build());
  out.push_back(snack_builder{}.type(snack_type::status).initiator_task_tag(0xffffffff)
                    .beg_run(1).run_length(1).build());
  out.push_back(logout_request_builder{}.reason(logout_reason::close_session).initiator_task_tag(8)
                    .cmd_sn(4).build());
  return out;
}

// Target PDUs, in a plausible order.
inline std::vector<pdu> sample_target_pdus() {
  using namespace std::string_view_literals;
  const byte_buffer sense = {0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x24, 0, 0, 0, 0, 0};
  std::vector<pdu> out;
  out.push_back(login_response_builder{}
                    .transit_to(login_stage::full_feature_phase)
                    .csg(login_stage::operational_negotiation)
                    .isid(0x400001370000)
                    .tsih(1)
                    .initiator_task_tag(1)
                    .exp_cmd_sn(1)
                    .max_cmd_sn(32)
                    .data(text_bytes("TargetPortalGroupTag=1\0"sv))
                    .build());
  out.push_back(data_in_builder{}.final_bit().has_status(true).initiator_task_tag(2)
                    .stat_sn(1).exp_cmd_sn(2).max_cmd_sn(33).data(filled(4096, 4)).build());
  out.push_back(r2t_builder{}.initiator_task_tag(3).target_transfer_tag(7).stat_sn(2)
                    .exp_cmd_sn(3).max_cmd_sn(34).buffer_offset(256)
                    .desired_data_transfer_length(256).build());
  out.push_back(scsi_response_builder{}.status(scsi_status::check_condition).initiator_task_tag(3)
                    .stat_sn(2).exp_cmd_sn(3).max_cmd_sn(34).sense_data(sense).build());
  out.push_back(nop_in_builder{}.initiator_task_tag(4).target_transfer_tag(0xffffffff).stat_sn(3)
                    .exp_cmd_sn(3).max_cmd_sn(34).data(filled(5, 3)).build());
  out.push_back(text_response_builder{}.final_bit().initiator_task_tag(5).target_transfer_tag(0xffffffff)
                    .stat_sn(4).exp_cmd_sn(3).max_cmd_sn(34)
                    .data(text_bytes("TargetName=iqn.2026-11.org.touchstone:target\0"
                                     "TargetAddress=127.0.0.1:3260,1\0"sv))
                    .build());
  out.push_back(task_mgmt_response_builder{}.initiator_task_tag(6).stat_sn(5).exp_cmd_sn(4)
                    .max_cmd_sn(35).build());
  out.push_back(async_message_builder{}.event(async_event::logout_request).stat_sn(6)
                    .exp_cmd_sn(4).max_cmd_sn(35).parameter3(10).build());
  out.push_back(reject_builder{}.reason(reject_reason::protocol_error).stat_sn(7).exp_cmd_sn(4)
                    .max_cmd_sn(35).rejected_pdu(sample_initiator_pdus()[7]).build());
  out.push_back(logout_response_builder{}.initiator_task_tag(8).stat_sn(8).exp_cmd_sn(5)
                    .max_cmd_sn(36).time2wait(2).time2retain(20).build());
  return out;
}

inline std::vector<pdu> sample_pdus() {
  auto out = sample_initiator_pdus();
  for (auto& p : sample_target_pdus()) out.push_back(std::move(p));
  return out;
}

}  // namespace touchstone::pdu::test
