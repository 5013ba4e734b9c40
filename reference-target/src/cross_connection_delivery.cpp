// CmdSN ordering across the connections of a session (RFC 7143 section
// 4.2.2.1): the command window is the session's, so a command that closes a
// gap on one connection may release commands that came on others. Each runs
// on the connection it came on (its task's allegiance, section 4.2.5.1), in
// CmdSN order, from the core that closed the gap: the instance lock
// serialises every core of a node, so that core may run another's handler;
// the other's answers wait in its actions until its waker has its own
// thread take them (docs/architecture.md, "Threads").
#include <algorithm>
#include <iterator>

#include "touchstone/target/connection.hpp"

namespace touchstone::target {

namespace {
// Entries older than ExpCmdSN were delivered or dropped (a plugged CmdSN):
// the map holds at most the window's queued commands.
void forget_passed(std::map<std::uint32_t, std::uint16_t>& queued_on, std::uint32_t exp_cmd_sn) {
  for (auto it = queued_on.begin(); it != queued_on.end();)
    it = pdu::serial(it->first) < pdu::serial(exp_cmd_sn) ? queued_on.erase(it) : std::next(it);
}
}  // namespace

void connection::note_queued_here(std::uint32_t cmd_sn) {
  auto& queued_on = session_->queued_on();
  forget_passed(queued_on, window().exp_cmd_sn());
  queued_on[cmd_sn] = cid_;
}

void connection::run_queued_commands() {
  //= rfc7143#section-4.2.2.1
  //# the iSCSI target layer MUST deliver the commands for execution in the
  //# order specified by the CmdSN.
  for (auto& queued : window().take_ready()) {
    if (phase_ == phase::closing) return;
    auto& queued_on = session_->queued_on();
    const auto it = queued_on.find(queued.header().u32(24));
    const std::uint16_t cid = it == queued_on.end() ? cid_ : it->second;
    if (it != queued_on.end()) queued_on.erase(it);
    if (cid == cid_) {
      run_delivered(queued);
      continue;
    }
    //= rfc7143#section-4.2.5.1
    //# For any iSCSI request issued over a TCP connection, the corresponding
    //# response and/or other related PDU(s) MUST be sent over the same
    //# connection.
    // The command's connection runs it and sends its answers; one that has
    // left the session took its commands with it (its tasks end with it).
    auto* other = session_->find_connection(cid);
    if (other == nullptr || other->phase_ == phase::closing) continue;
    other->run_delivered(queued);
    if (other->waker_) other->waker_();
  }
}

void connection::run_delivered(const pdu::pdu& queued) {
  const auto rows = phase_table();
  const auto row = std::find_if(rows.begin(), rows.end(), [&](const phase_row& r) {
    return r.phase == phase_ && r.op == queued.op();
  });
  if (row != rows.end()) (this->*(row->run))(queued);
}

}  // namespace touchstone::target
