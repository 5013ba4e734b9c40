// numbering::follow: the session's numbers written into a step's PDU.
#include "follow_numbering.hpp"

#include <algorithm>

#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz::net {
namespace {

using pdu::opcode;

// Byte offsets shared by the initiator opcodes (RFC 7143 section 11).
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
  if (task_tags::creates_task(p)) tags_.fresh(p, index, s.next_itt());
  tags_.resolve(p);
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

}  // namespace touchstone::fuzz::net
