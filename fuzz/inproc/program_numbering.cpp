// numbering::follow in-process (program_numbering.hpp).
#include "program_numbering.hpp"

#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz::inproc {
namespace {

using pdu::opcode;

// Byte offsets shared by the initiator opcodes (RFC 7143 section 11).
constexpr std::size_t itt_at = 16;
constexpr std::size_t ttt_at = 20;  // Data-Out, SNACK; a TMF's Referenced Task Tag
constexpr std::size_t cmd_sn_at = 24;
constexpr std::size_t exp_stat_sn_at = 28;

std::uint32_t u32(const pdu::pdu& p, std::size_t at) { return pdu::load_be32(&p.bhs[at]); }
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

bool creates_task(const pdu::pdu& p) {
  switch (p.op()) {
    case opcode::scsi_command:
    case opcode::task_mgmt_request:
    case opcode::text_request: return true;
    //= rfc7143#section-11.18.1
    //# The NOP-Out MUST have the Initiator Task Tag set to a valid value
    //# only if a response in the form of a NOP-In is requested (i.e., the
    //# NOP-Out is used as a ping request).
    case opcode::nop_out: return u32(p, itt_at) != pdu::reserved_tag;
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
  if (creates_task(p)) fresh_tag(p, index);
  step_tags(p);
}

void program_numbering::fresh_tag(pdu::pdu& p, std::size_t index) {
  // A TMF names its referenced task before it gets a tag of its own.
  if (p.op() == opcode::task_mgmt_request) step_tags(p);
  const auto itt = next_itt_++;
  put(p, itt_at, itt);
  if (index < task_itt_.size()) {
    task_itt_[index] = itt;
    step_of_itt_[itt] = index;
  }
}

void program_numbering::step_tags(pdu::pdu& p) {
  const auto op = p.op();
  if (op == opcode::task_mgmt_request) {
    const auto v = u32(p, ttt_at);
    if (v < task_itt_.size() && task_itt_[v]) put(p, ttt_at, *task_itt_[v]);
    return;
  }
  if (op != opcode::data_out && op != opcode::snack) return;
  const auto v = u32(p, itt_at);
  if (v >= task_itt_.size() || !task_itt_[v]) return;
  put(p, itt_at, *task_itt_[v]);
  //= rfc7143#section-11.7.4
  //# On outgoing data, the Target Transfer Tag is provided to the target
  //# if the transfer is honoring an R2T.  In this case, the Target
  //# Transfer Tag field is a replica of the Target Transfer Tag provided
  //# with the R2T.
  if (u32(p, ttt_at) != pdu::reserved_tag && latest_ttt_[v]) put(p, ttt_at, *latest_ttt_[v]);
}

void program_numbering::on_answer(const pdu::pdu& answer) {
  if (answer.op() != opcode::r2t) return;
  const auto found = step_of_itt_.find(u32(answer, itt_at));
  if (found != step_of_itt_.end()) latest_ttt_[found->second] = u32(answer, ttt_at);
}

}  // namespace touchstone::fuzz::inproc
