#include "session.hpp"

#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/text.hpp"

namespace touchstone::pdu::test {
namespace {

constexpr std::uint64_t isid = 0x80'1234'5600'01;  // random format (T=2)
constexpr std::uint64_t lun1 = 0x0001'0000'0000'0000;
constexpr std::uint32_t max_cmd_sn = 64;

byte_buffer text(const text_pairs& pairs) { return encode_text(pairs); }

byte_buffer block(std::size_t n, std::uint8_t seed) {
  byte_buffer b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7);
  return b;
}

std::string digest_value(bool on) { return on ? "CRC32C" : "None"; }

void login(std::vector<pdu>& s, bool digests) {
  const std::string offer = digests ? "CRC32C,None" : "None";
  s.push_back(login_request_builder{}
                  .csg(login_stage::operational_negotiation)
                  .transit_to(login_stage::full_feature_phase)
                  .isid(isid)
                  .initiator_task_tag(0)
                  .cmd_sn(1)
                  .data(text({{"InitiatorName", "iqn.2024-01.org.example:host1"},
                              {"TargetName", "iqn.2024-01.org.example:disk1"},
                              {"SessionType", "Normal"},
                              {"HeaderDigest", offer},
                              {"DataDigest", offer}}))
                  .build());
  s.push_back(login_response_builder{}
                  .csg(login_stage::operational_negotiation)
                  .transit_to(login_stage::full_feature_phase)
                  .isid(isid)
                  .tsih(1)
                  .initiator_task_tag(0)
                  .stat_sn(0)
                  .exp_cmd_sn(1)
                  .max_cmd_sn(max_cmd_sn)
                  .status(login_status::success)
                  .data(text({{"HeaderDigest", digest_value(digests)},
                              {"DataDigest", digest_value(digests)},
                              {"TargetPortalGroupTag", "1"}}))
                  .build());
}

void discovery(std::vector<pdu>& s) {
  s.push_back(text_request_builder{}.initiator_task_tag(1).cmd_sn(1).exp_stat_sn(1)
                  .data(text({{"SendTargets", "All"}})).build());
  s.push_back(text_response_builder{}.initiator_task_tag(1).stat_sn(1).exp_cmd_sn(2)
                  .max_cmd_sn(max_cmd_sn)
                  .data(text({{"TargetName", "iqn.2024-01.org.example:disk1"},
                              {"TargetAddress", "192.0.2.2:3260,1"}}))
                  .build());
}

// READ(10) of one 512-byte block, answered by one Data-In carrying status.
void read_one_block(std::vector<pdu>& s) {
  const byte_buffer read10{0x28, 0, 0, 0, 0, 8, 0, 0, 1, 0};
  s.push_back(scsi_command_builder{}.read().lun(lun1).initiator_task_tag(2)
                  .expected_data_transfer_length(512).cmd_sn(2).exp_stat_sn(2).cdb(read10).build());
  s.push_back(data_in_builder{}.final_bit().has_status().status(scsi_status::good)
                  .initiator_task_tag(2).stat_sn(2).exp_cmd_sn(3).max_cmd_sn(max_cmd_sn + 1)
                  .data_sn(0).buffer_offset(0).data(block(512, 1)).build());
}

// WRITE(10) of one block: R2T, Data-Out, SCSI Response.
void write_one_block(std::vector<pdu>& s) {
  const byte_buffer write10{0x2a, 0, 0, 0, 0, 8, 0, 0, 1, 0};
  s.push_back(scsi_command_builder{}.write().lun(lun1).initiator_task_tag(3)
                  .expected_data_transfer_length(512).cmd_sn(3).exp_stat_sn(3).cdb(write10).build());
  s.push_back(r2t_builder{}.lun(lun1).initiator_task_tag(3).target_transfer_tag(0x1000)
                  .stat_sn(3).exp_cmd_sn(4).max_cmd_sn(max_cmd_sn + 2).r2t_sn(0).buffer_offset(0)
                  .desired_data_transfer_length(512).build());
  s.push_back(data_out_builder{}.lun(lun1).initiator_task_tag(3).target_transfer_tag(0x1000)
                  .exp_stat_sn(3).data_sn(0).buffer_offset(0).data(block(512, 2)).build());
  s.push_back(scsi_response_builder{}.status(scsi_status::good).initiator_task_tag(3).stat_sn(3)
                  .exp_cmd_sn(4).max_cmd_sn(max_cmd_sn + 3).exp_data_sn(1).build());
}

void ping(std::vector<pdu>& s) {
  const byte_buffer payload{'p', 'i', 'n', 'g', '!'};
  s.push_back(nop_out_builder{}.immediate().initiator_task_tag(4).cmd_sn(4).exp_stat_sn(4)
                  .data(payload).build());
  s.push_back(nop_in_builder{}.initiator_task_tag(4).stat_sn(4).exp_cmd_sn(4)
                  .max_cmd_sn(max_cmd_sn + 3).data(payload).build());
}

void task_management(std::vector<pdu>& s) {
  s.push_back(task_mgmt_request_builder{tmf_function::abort_task}.lun(lun1).initiator_task_tag(5)
                  .referenced_task_tag(3).cmd_sn(4).exp_stat_sn(5).ref_cmd_sn(3).build());
  s.push_back(task_mgmt_response_builder{}.response(tmf_response::task_does_not_exist)
                  .initiator_task_tag(5).stat_sn(5).exp_cmd_sn(4).max_cmd_sn(max_cmd_sn + 3).build());
}

// A Data/R2T SNACK the target cannot honour (ErrorRecoveryLevel 0): Reject.
void snack_and_reject(std::vector<pdu>& s) {
  const pdu snack = snack_builder{snack_type::data_r2t}.initiator_task_tag(2).exp_stat_sn(6)
                        .beg_run(0).run_length(1).build();
  s.push_back(snack);
  s.push_back(reject_builder{}.reason(reject_reason::protocol_error).stat_sn(6).exp_cmd_sn(4)
                  .max_cmd_sn(max_cmd_sn + 3).data_sn_or_r2t_sn(1).rejected_pdu(snack).build());
}

void async_and_logout(std::vector<pdu>& s) {
  s.push_back(async_message_builder{}.event(async_event::logout_request).stat_sn(7).exp_cmd_sn(4)
                  .max_cmd_sn(max_cmd_sn + 3).parameter3(10).build());
  s.push_back(logout_request_builder{logout_reason::close_session}.immediate().initiator_task_tag(6)
                  .cmd_sn(4).exp_stat_sn(8).build());
  s.push_back(logout_response_builder{}.response(logout_response_code::closed_successfully)
                  .initiator_task_tag(6).stat_sn(8).exp_cmd_sn(4).max_cmd_sn(max_cmd_sn + 3)
                  .time2wait(0).time2retain(0).build());
}

}  // namespace

std::vector<pdu> every_type_session(bool negotiate_digests) {
  std::vector<pdu> s;
  login(s, negotiate_digests);
  discovery(s);
  read_one_block(s);
  write_one_block(s);
  ping(s);
  task_management(s);
  snack_and_reject(s);
  async_and_logout(s);
  return s;
}

}  // namespace touchstone::pdu::test
