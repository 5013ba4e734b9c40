// numbering::follow's task tags (touchstone/fuzz/task_tags.hpp).
#include "touchstone/fuzz/task_tags.hpp"

#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz {
namespace {

using pdu::opcode;

// Byte offsets shared by the initiator opcodes (RFC 7143 section 11).
constexpr std::size_t itt_at = 16;
constexpr std::size_t ttt_at = 20;  // Data-Out, SNACK; a TMF's Referenced Task Tag

std::uint32_t u32(const pdu::pdu& p, std::size_t at) { return pdu::load_be32(&p.bhs[at]); }
void put(pdu::pdu& p, std::size_t at, std::uint32_t v) { pdu::store_be32(&p.bhs[at], v); }

}  // namespace

bool task_tags::creates_task(const pdu::pdu& p) {
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

void task_tags::fresh(pdu::pdu& p, std::size_t index, std::uint32_t itt) {
  // A TMF names its referenced task before it gets a tag of its own.
  if (p.op() == opcode::task_mgmt_request) resolve(p);
  put(p, itt_at, itt);
  if (index < task_itt_.size()) {
    task_itt_[index] = itt;
    step_of_itt_[itt] = index;
  }
}

void task_tags::resolve(pdu::pdu& p) const {
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

void task_tags::on_answer(const pdu::pdu& answer) {
  if (answer.op() != opcode::r2t) return;
  const auto found = step_of_itt_.find(u32(answer, itt_at));
  if (found != step_of_itt_.end()) latest_ttt_[found->second] = u32(answer, ttt_at);
}

std::optional<std::uint32_t> task_tags::itt_of(std::size_t index) const {
  return index < task_itt_.size() ? task_itt_[index] : std::nullopt;
}

}  // namespace touchstone::fuzz
