// The session's command window (RFC 7143 section 4.2.2.1): ExpCmdSN, MaxCmdSN
// and the commands that arrived ahead of ExpCmdSN, delivered in CmdSN order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/pdu/serial.hpp"

namespace touchstone::target {

class cmdsn_window {
 public:
  cmdsn_window() = default;
  // The leading login's CmdSN becomes ExpCmdSN; depth = MaxCmdSN - ExpCmdSN + 1.
  cmdsn_window(std::uint32_t exp_cmd_sn, std::uint32_t depth);

  enum class verdict : std::uint8_t {
    deliver,       // deliver now (immediate, or the next in order)
    queued,        // ahead of ExpCmdSN: held until the gap closes
    out_of_window, // silently ignored
    duplicate,     // silently ignored
  };

  // Classifies a command PDU; on deliver, a non-immediate CmdSN is consumed.
  verdict admit(const pdu::pdu& command, bool immediate, std::uint32_t cmd_sn);
  // Commands that became deliverable after the last admit (in CmdSN order).
  std::vector<pdu::pdu> take_ready();
  // A delivered non-immediate command that keeps its queue slot until its
  // task ends (a SCSI command); vacate() frees the slot and opens MaxCmdSN.
  void occupy() { ++busy_; }
  void vacate() { if (busy_ > 0) --busy_; }
  // Considers `cmd_sn` received without a command (an ABORT TASK of a
  // command that never arrived, section 11.6.1 b): a queued command with
  // that CmdSN is dropped, a later one is ignored as a duplicate.
  void plug(std::uint32_t cmd_sn);
  // A non-immediate command delivered and then rejected was not received
  // (section 7.3): ExpCmdSN goes back to its CmdSN when it was the last one
  // delivered (a command taken from the queue with others after it keeps it).
  void give_back(std::uint32_t cmd_sn);
  // True when every CmdSN before `cmd_sn` has been received.
  bool received_before(std::uint32_t cmd_sn) const;
  bool in_window(std::uint32_t cmd_sn) const;

  std::uint32_t exp_cmd_sn() const { return exp_.value(); }
  // ExpCmdSN + depth - 1 less the slots still held: at least ExpCmdSN - 1
  // (a closed window), and never lower than a value sent before, since
  // delivering a command moves ExpCmdSN and a slot together.
  std::uint32_t max_cmd_sn() const;
  std::uint32_t depth() const { return depth_; }
  std::uint32_t busy() const { return busy_; }
  std::size_t queued_count() const { return queued_.size(); }

 private:
  pdu::serial exp_{0};
  std::uint32_t depth_ = 1;
  std::uint32_t busy_ = 0;  // slots held by delivered commands still running
  std::map<std::uint32_t, pdu::pdu> queued_;  // keyed by CmdSN
  std::set<std::uint32_t> plugged_;            // received without a command
};

}  // namespace touchstone::target
