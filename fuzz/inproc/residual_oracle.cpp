// Residual Count and U/O bits against EDTL and the data moved (11.4.5).
#include "touchstone/fuzz/inproc/residual_oracle.hpp"

#include "touchstone/pdu/data_in.hpp"
#include "touchstone/pdu/scsi_command.hpp"
#include "touchstone/pdu/scsi_response.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz::inproc {

namespace {
std::string num(std::uint64_t v) { return std::to_string(v); }
}  // namespace

void residual_oracle::on_command(const pdu::pdu& command) {
  if (command.op() != pdu::opcode::scsi_command) return;
  const pdu::scsi_command_view c(command);
  const auto itt = c.initiator_task_tag();
  if (auto it = tasks_.find(itt); it != tasks_.end()) {
    ++it->second.outstanding;
    it->second.ambiguous = true;
    return;
  }
  if (tasks_.size() >= max_tasks) return;
  tasks_.emplace(itt, task{c.expected_data_transfer_length(), c.read(), c.write(), 1, false, 0});
}

void residual_oracle::answered(std::uint32_t itt) {
  const auto it = tasks_.find(itt);
  if (it != tasks_.end() && --it->second.outstanding == 0) tasks_.erase(it);
}

std::string residual_oracle::on_sent(const pdu::pdu& p) {
  status s;
  std::uint32_t itt = 0;
  if (p.op() == pdu::opcode::data_in) {
    const pdu::data_in_view d(p);
    itt = d.initiator_task_tag();
    const auto it = tasks_.find(itt);
    if (it == tasks_.end()) return {};
    // The furthest byte reached, so a retransmitted Data-In is not counted twice.
    const std::uint64_t end = std::uint64_t{d.buffer_offset()} + p.data.size();
    if (end > it->second.moved) it->second.moved = end;
    if (!d.has_status()) return {};
    s = {d.residual_overflow(), d.residual_underflow(), d.status() == pdu::scsi_status::good,
         d.residual_count()};
  } else if (p.op() == pdu::opcode::scsi_response) {
    const pdu::scsi_response_view r(p.bhs);
    itt = r.initiator_task_tag();
    //= rfc7143#section-11.4.1 type=test
    //# For a response other than "Command Completed at Target", bits 3-6
    //# MUST be 0.
    if (r.response() != pdu::iscsi_response::command_completed &&
        (r.flags() & 0x1e) != 0)
      return "U/O/u/o bits set in a response other than Command Completed at Target";
    s = {r.residual_overflow(), r.residual_underflow(), r.status() == pdu::scsi_status::good,
         r.residual_count()};
  } else if (p.op() == pdu::opcode::reject && p.data.size() >= pdu::bhs_size &&
             (p.data[0] & 0x3f) == static_cast<std::uint8_t>(pdu::opcode::scsi_command)) {
    // A rejected command is answered: its header comes back in the data.
    answered(pdu::load_be32(&p.data[16]));
    return {};
  } else {
    return {};
  }
  const auto it = tasks_.find(itt);
  if (it == tasks_.end()) return {};
  const task t = it->second;
  answered(itt);
  return t.ambiguous ? std::string{} : judge(t, s);
}

std::string residual_oracle::judge(const task& t, const status& s) const {
  //= rfc7143#section-11.4.1 type=test
  //# Bits O and U and bits o and u are mutually exclusive
  if (s.overflow && s.underflow) return "both O and U set";
  //= rfc7143#section-11.4.5.2 type=test
  //# If SPDTL > EDTL for a task, iSCSI Overflow MUST be signaled in the
  //# SCSI Response PDU as specified in Section 11.4.5.1.  The Residual
  //# Count MUST be set to the numerical value of (SPDTL - EDTL).
  if (s.overflow && s.residual == 0) return "O set with a Residual Count of 0 (SPDTL - EDTL > 0)";
  //= rfc7143#section-11.4.5.2 type=test
  //# If SPDTL < EDTL for a task, iSCSI Underflow MUST be signaled in the
  //# SCSI Response PDU as specified in Section 11.4.5.1.  The Residual
  //# Count MUST be set to the numerical value of (EDTL - SPDTL).
  if (s.underflow && (s.residual == 0 || s.residual > t.edtl))
    return "U set with Residual Count " + num(s.residual) + " outside [1, EDTL " + num(t.edtl) + "]";
  // A bidirectional command's residual is its write's; a write moves no Data-In.
  if (!t.read || t.write) return {};
  //= rfc7143#section-11.4.1 type=test
  //# the Residual
  //# Count indicates the number of bytes that were not transferred
  //# because the initiator's Expected Data Transfer Length was not
  //# sufficient.
  if (t.moved > t.edtl) return num(t.moved) + " Data-In bytes for EDTL " + num(t.edtl);
  //= rfc7143#section-11.4.5.1 type=test
  //# If
  //# the U bit is set, the Residual Count indicates the number of bytes
  //# that were not transferred out of the number of bytes expected to be
  //# transferred.
  if (s.underflow && s.residual != t.edtl - t.moved)
    return "U set, Residual Count " + num(s.residual) + " where EDTL " + num(t.edtl) + " - " +
           num(t.moved) + " bytes moved = " + num(t.edtl - t.moved);
  //= rfc7143#section-11.4.5.2 type=test
  //# When SPDTL = EDTL for a task, the target iSCSI layer completes the
  //# task with no residuals.
  if (s.good && !s.underflow && t.moved != t.edtl)
    return (s.overflow ? std::string("O set") : std::string("no residual")) + " but " +
           num(t.moved) + " of EDTL " + num(t.edtl) + " bytes moved";
  return {};
}

}  // namespace touchstone::fuzz::inproc
