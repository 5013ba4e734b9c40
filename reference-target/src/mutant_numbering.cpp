// The mutants of command and status numbering (mutant_hooks.hpp): the
// target's cmdsn_window and StatSN counter stay as the RFC asks; these bend
// what goes out, or what a hook in admit_command lets through.
#include "mutant_hooks.hpp"
#include "touchstone/pdu/data_in.hpp"
#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::target {

namespace {

constexpr std::size_t exp_cmd_sn_at = 28;  // every target PDU of the Full Feature Phase
constexpr std::size_t exp_stat_sn_at = 28;  // every initiator PDU
// The unacknowledged statuses exp-stat-sn-lag-rejected tolerates.
constexpr std::int32_t tolerated_lag = 2;

}  // namespace

void mutate_status_numbers([[maybe_unused]] const mutant_set& set, [[maybe_unused]] pdu::pdu& p) {
  //= rfc7143#section-4.2.2.1
  //# A target command response or Data-In PDU with status MUST NOT precede
  //# the command acknowledgment.
  // Mutant status-before-acknowledgment breaks it: the status carries the
  // ExpCmdSN from before its command (nothing acknowledged it earlier).
  if (!mutated(set, m::status_before_acknowledgment)) return;
  const bool status = p.op() == pdu::opcode::scsi_response ||
                      (p.op() == pdu::opcode::data_in && (p.bhs[1] & pdu::data_in_flag::status) != 0);
  if (status) pdu::store_be32(&p.bhs[exp_cmd_sn_at], pdu::load_be32(&p.bhs[exp_cmd_sn_at]) - 1);
}

bool outside_plain_window([[maybe_unused]] const mutant_set& set, [[maybe_unused]] std::uint32_t exp_cmd_sn,
                          [[maybe_unused]] std::uint32_t max_cmd_sn, [[maybe_unused]] std::uint32_t cmd_sn) {
  // What a target without serial number arithmetic checks: at the wrap
  // (MaxCmdSN numerically below ExpCmdSN) no CmdSN passes both.
  return mutated(set, m::cmdsn_plain_arithmetic) && !(exp_cmd_sn <= cmd_sn && cmd_sn <= max_cmd_sn);
}

bool exp_stat_sn_lag_refused([[maybe_unused]] const mutant_set& set, [[maybe_unused]] const pdu::pdu& p,
                             [[maybe_unused]] std::uint32_t next_stat_sn) {
  if (!mutated(set, m::exp_stat_sn_lag_rejected) || p.op() != pdu::opcode::scsi_command) return false;
  const auto unacknowledged =
      static_cast<std::int32_t>(next_stat_sn - pdu::load_be32(&p.bhs[exp_stat_sn_at]));
  return unacknowledged > tolerated_lag;
}

}  // namespace touchstone::target
