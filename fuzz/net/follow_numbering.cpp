// numbering::follow: the session's numbers written into a step's PDU.
#include "follow_numbering.hpp"

#include <algorithm>

#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz::net {
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
    case opcode::login_request:
    case opcode::text_request:
    case opcode::logout_request: return true;
    default: return false;
  }
}

bool carries_exp_stat_sn(opcode op) {
  return carries_cmd_sn(op) || op == opcode::data_out || op == opcode::snack;
}

// Steps that start a task the program may name later.
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

bool follow_numbering::takes_cmd_sn(const pdu::pdu& p) {
  //= rfc7143#section-4.2.2.1
  //# the CmdSN MUST be incremented by 1 in a Serial
  //# Number Arithmetic sense, as defined in [RFC1982], for every
  //# non-immediate command issued afterwards.
  return carries_cmd_sn(p.op()) && p.op() != opcode::login_request && !p.header().immediate();
}

void follow_numbering::apply(pdu::pdu& p, std::size_t index, conformance::session& s) {
  const auto op = p.op();
  //= rfc7143#section-4.2.2.1
  //# Whenever the
  //# CmdSN for an outgoing PDU is not specified by an explicit rule, the
  //# CmdSN will carry the current value of the local CmdSN variable
  if (carries_cmd_sn(op)) put(p, cmd_sn_at, takes_cmd_sn(p) ? s.take_cmd_sn() : s.cmd_sn());
  if (carries_exp_stat_sn(op)) put(p, exp_stat_sn_at, s.exp_stat_sn());
  if (creates_task(p)) fresh_tag(p, index, s);
  step_tags(p);
}

void follow_numbering::fresh_tag(pdu::pdu& p, std::size_t index, conformance::session& s) {
  // A TMF names its referenced task before it gets a tag of its own.
  if (p.op() == opcode::task_mgmt_request) step_tags(p);
  const auto itt = s.next_itt();
  put(p, itt_at, itt);
  if (index < task_itt_.size()) {
    task_itt_[index] = itt;
    step_of_itt_[itt] = index;
  }
}

void follow_numbering::step_tags(pdu::pdu& p) {
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

void follow_numbering::plug_gap(const pdu::pdu& reject, conformance::session& s) {
  if (reject.op() != opcode::reject || reject.data.size() < pdu::bhs_size) return;
  pdu::pdu rejected;
  std::copy_n(reject.data.begin(), pdu::bhs_size, rejected.bhs.begin());
  //= rfc7143#section-7.3
  //# The CmdSN of the rejected command PDU (if it is a non-immediate
  //# command) MUST NOT be considered received by the target (i.e., a
  //# command sequence gap must be assumed for the CmdSN), even though the
  //# CmdSN of the rejected command PDU may be reliably ascertained.  Upon
  //# receiving the Reject, the initiator MUST plug the CmdSN gap in order
  //# to continue to use the session.  The gap may be plugged by either
  //# transmitting a command PDU with the same CmdSN
  if (!takes_cmd_sn(rejected)) return;
  const auto sn = u32(rejected, cmd_sn_at);
  if (sn + 1 == s.cmd_sn()) s.set_cmd_sn(sn);
}

void follow_numbering::on_answer(const pdu::pdu& answer) {
  if (answer.op() != opcode::r2t) return;
  const auto found = step_of_itt_.find(u32(answer, itt_at));
  if (found != step_of_itt_.end()) latest_ttt_[found->second] = u32(answer, ttt_at);
}

std::optional<std::uint32_t> follow_numbering::itt_of(std::size_t index) const {
  return index < task_itt_.size() ? task_itt_[index] : std::nullopt;
}

}  // namespace touchstone::fuzz::net
