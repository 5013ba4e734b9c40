// Command-numbering helpers shared by the numbering_*.cpp case files: a
// TEST UNIT READY with a chosen CmdSN, and the window a target PDU carries.
#pragma once

#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {

// A TEST UNIT READY carrying `cmd_sn` (the session's own CmdSN untouched)
// and ExpStatSN as given (the session's by default).
inline pdu::pdu unit_ready_at(const case_context& ctx, session& s, std::uint32_t cmd_sn,
                              bool immediate = false, std::optional<std::uint32_t> exp_stat_sn = std::nullopt) {
  return pdu::scsi_command_builder{}
      .immediate(immediate)
      .final_bit()
      .lun(lun_field(ctx.target().lun))
      .initiator_task_tag(s.next_itt())
      .cmd_sn(cmd_sn)
      .exp_stat_sn(exp_stat_sn.value_or(s.exp_stat_sn()))
      .cdb(cdb::test_unit_ready())
      .build();
}

inline std::uint32_t itt_of(const pdu::pdu& p) { return p.header().initiator_task_tag(); }

// Whether the session's window (from the target's last PDUs) has room for
// `n` more non-immediate commands.
inline bool window_holds(const session& s, std::uint32_t n) {
  return !(pdu::serial{s.max_cmd_sn()} < pdu::serial{s.cmd_sn() + n - 1});
}

// The ExpCmdSN and MaxCmdSN fields (bytes 28 and 32) of a target PDU.
inline std::uint32_t exp_cmd_sn_of(const pdu::pdu& p) { return p.header().u32(28); }
inline std::uint32_t max_cmd_sn_of(const pdu::pdu& p) { return p.header().u32(32); }

}  // namespace touchstone::conformance::cases
