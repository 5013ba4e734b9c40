// Command numbering on the target side (RFC 7143 section 4.2.2.1).
#include "touchstone/target/cmdsn_window.hpp"

namespace touchstone::target {

//= rfc7143#section-11.12.8
//# If the Login Request is a leading Login Request, the target MUST use the
//# value presented in the CmdSN as the target value for the ExpCmdSN.
cmdsn_window::cmdsn_window(std::uint32_t exp_cmd_sn, std::uint32_t depth)
    : exp_(exp_cmd_sn), depth_(depth == 0 ? 1 : depth) {}

//= rfc7143#section-4.2.2.1
//# iSCSI initiators and targets MUST support the command numbering scheme.
cmdsn_window::verdict cmdsn_window::admit(const pdu::pdu& command, bool immediate,
                                          std::uint32_t cmd_sn) {
  //= rfc7143#section-4.2.2.1
  //# The CmdSN carried by immediate commands may lie outside the
  //# ExpCmdSN-to-MaxCmdSN range.
  if (immediate) return verdict::deliver;
  const pdu::serial sn{cmd_sn};
  //= rfc7143#section-4.2.2.1
  //# The target MUST silently ignore any non-immediate command outside of this
  //# range or non-immediate duplicates within the range.
  if (!pdu::in_window(sn, exp_, pdu::serial{max_cmd_sn()})) return verdict::out_of_window;
  if (plugged_.contains(cmd_sn)) return verdict::duplicate;
  //= rfc7143#section-4.2.2.1
  //# The target iSCSI layer sets the ExpCmdSN to the largest non-immediate CmdSN that it can
  //# deliver for execution "plus 1" per [RFC1982]. There MUST NOT be any holes in the acknowledged
  //# CmdSN sequence.
  if (sn != exp_) {
    if (queued_.contains(cmd_sn)) return verdict::duplicate;
    queued_.emplace(cmd_sn, command);
    return verdict::queued;
  }
  //= rfc7143#section-4.2.2.1
  //# the iSCSI target layer MUST deliver the commands for execution in the
  //# order specified by the CmdSN.
  ++exp_;
  return verdict::deliver;
}

//= rfc7143#section-11.6.1
//# targets must consider the CmdSN as received and return the "Function complete" response.
void cmdsn_window::plug(std::uint32_t cmd_sn) {
  if (!in_window(cmd_sn)) return;
  queued_.erase(cmd_sn);
  plugged_.insert(cmd_sn);
}

//= rfc7143#section-7.3
//# The CmdSN of the rejected command PDU (if it is a non-immediate
//# command) MUST NOT be considered received by the target (i.e., a
//# command sequence gap must be assumed for the CmdSN), even though the
//# CmdSN of the rejected command PDU may be reliably ascertained.
// No response went out since the command was admitted, so the MaxCmdSN
// this lowers was never advertised.
void cmdsn_window::give_back(std::uint32_t cmd_sn) {
  if (exp_.value() == cmd_sn + 1) exp_ = pdu::serial{cmd_sn};
}

//= rfc7143#section-4.2.2.1
//# The queuing capacity of the receiving iSCSI layer is MaxCmdSN - ExpCmdSN + 1.
//= rfc7143#section-4.2.2.1
//# The target MUST NOT transmit a MaxCmdSN that is less than ExpCmdSN - 1.
std::uint32_t cmdsn_window::max_cmd_sn() const {
  const std::uint32_t held = busy_ < depth_ ? busy_ : depth_;
  return (exp_ + (depth_ - held) - 1).value();
}

bool cmdsn_window::in_window(std::uint32_t cmd_sn) const {
  return pdu::in_window(pdu::serial{cmd_sn}, exp_, pdu::serial{max_cmd_sn()});
}

bool cmdsn_window::received_before(std::uint32_t cmd_sn) const {
  return !(exp_ < pdu::serial{cmd_sn});
}

std::vector<pdu::pdu> cmdsn_window::take_ready() {
  std::vector<pdu::pdu> ready;
  for (;;) {
    if (plugged_.erase(exp_.value()) != 0) {
      ++exp_;
      continue;
    }
    const auto it = queued_.find(exp_.value());
    if (it == queued_.end()) break;
    ready.push_back(std::move(it->second));
    queued_.erase(it);
    ++exp_;
  }
  return ready;
}

}  // namespace touchstone::target
