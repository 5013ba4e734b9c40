// numbering::follow in-process (program_numbering.hpp).
#include "program_numbering.hpp"

#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz::inproc {
namespace {

using pdu::opcode;

// Byte offsets shared by the initiator opcodes (RFC 7143 section 11).
constexpr std::size_t cmd_sn_at = 24;
constexpr std::size_t exp_stat_sn_at = 28;

void put(pdu::pdu& p, std::size_t at, std::uint32_t v) { pdu::store_be32(&p.bhs[at], v); }

bool carries_cmd_sn(opcode op) {
  switch (op) {
    case opcode::nop_out:
    case opcode::scsi_command:
    case opcode::task_mgmt_request:
    case opcode::text_request:
    case opcode::logout_request: return true;
    default: return false;
  }
}

}  // namespace

void program_numbering::apply(pdu::pdu& p, std::size_t index, std::uint32_t exp_cmd_sn,
                              std::uint32_t exp_stat_sn) {
  const auto op = p.op();
  // The target's ExpCmdSN is the CmdSN of the next command it expects, for
  // an immediate command as much as for a queued one (a login keeps the
  // CmdSN it was written with: it sets the session's first).
  if (carries_cmd_sn(op)) put(p, cmd_sn_at, exp_cmd_sn);
  if (carries_cmd_sn(op) || op == opcode::login_request || op == opcode::data_out ||
      op == opcode::snack)
    put(p, exp_stat_sn_at, exp_stat_sn);
  if (task_tags::creates_task(p)) tags_.fresh(p, index, next_itt_++);
  tags_.resolve(p);
}

}  // namespace touchstone::fuzz::inproc
