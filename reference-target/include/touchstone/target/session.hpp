// An iSCSI session on the target (RFC 7143 section 4.4 and 6.3): what
// belongs to the session rather than to one of its connections. It holds
// the task set (by ITT), CmdSN ordering and the command window, the pending
// multi-task TMF, TSIH and ISID, the session-wide negotiated values, the
// session's links in the node's session directory, and its connections by
// CID.
//
// A connection (connection.hpp) owns its transport, phase, StatSN and the
// ExpStatSN the initiator acknowledged, its connection-only keys, its
// outgoing actions, its text exchange, NOP pings and asked-for logout, and
// the PDU exchange of its allegiant tasks. The connections of one session
// share it (std::shared_ptr<session>); no lock of its own is needed: the
// instance lock serialises every connection core of a node, so two
// connections of a session never run their cores at once
// (docs/architecture.md, "Threads").
//
// A session has up to MaxConnections connections (session_continuation.cpp
// joins a new CID to it); a connection reinstatement of a session's only
// connection makes a new session object under the same TSIH (its old
// connection's tasks end with that connection).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "touchstone/pdu/session_parameters.hpp"
#include "touchstone/target/cmdsn_window.hpp"
#include "touchstone/target/session_directory.hpp"
#include "touchstone/target/task.hpp"

namespace touchstone::target {

class connection;

class session {
 public:
  // MaxConnections as the leading login negotiated it (login_checks.cpp:
  // at most limits.max_connections_per_session; 1 for a Discovery session).
  std::size_t max_connections() const { return std::max<std::uint32_t>(1, params_.max_connections); }

  // `params` as the leading login negotiated them; their connection-only
  // values (digests, MaxRecvDataSegmentLength) are each connection's and
  // are not kept here (session_wide()).
  session(std::uint16_t tsih, std::uint64_t isid, const pdu::session_parameters& params, cmdsn_window window);

  // A copy for a connection copied onto another node (connection_copy.cpp):
  // every member as it is, with `only` as its one connection.
  std::shared_ptr<session> copy_for(std::uint16_t cid, connection* only) const;

  std::uint16_t tsih() const { return tsih_; }
  // The TSIH the node's registry gave a copy, or 0 once the session ended.
  void set_tsih(std::uint16_t tsih) { tsih_ = tsih; }
  std::uint64_t isid() const { return isid_; }
  const pdu::session_parameters& params() const { return params_; }

  // Connections by CID (at most max_connections; not owned: a connection
  // leaves before it goes). join is false when the CID is taken or the
  // session is full.
  bool join(std::uint16_t cid, connection* c);
  // How many connections remain; a CID not in the session changes nothing.
  std::size_t leave(std::uint16_t cid);
  connection* find_connection(std::uint16_t cid) const;
  std::size_t connection_count() const { return connections_.size(); }
  std::vector<connection*> connections() const {
    std::vector<connection*> out;
    for (const auto& m : connections_) out.push_back(m.conn);
    return out;
  }

  // CmdSN ordering and the command window (section 4.2.2.1).
  cmdsn_window& window() { return window_; }
  const cmdsn_window& window() const { return window_; }
  // The CID each command the window holds came on, by CmdSN: it runs on
  // that connection when the gap before it closes (cross_connection_delivery.cpp).
  std::map<std::uint32_t, std::uint16_t>& queued_on() { return queued_on_; }

  // The task set. A non-immediate command's task holds a slot of the
  // command window from add_task to end_task.
  std::map<std::uint32_t, task>& tasks() { return tasks_; }
  const std::map<std::uint32_t, task>& tasks() const { return tasks_; }
  task& add_task(task t);
  void end_task(std::uint32_t itt);
  task* find_task_by_job(std::uint64_t job);
  template <class Pred>
  bool any_task(Pred pred) const {
    return std::any_of(tasks_.begin(), tasks_.end(), [&](const auto& kv) { return pred(kv.second); });
  }
  // The SCSI job number of a task about to execute: unique in the session,
  // so a completion finds its task whatever connection it came back on.
  std::uint64_t next_job() { return next_job_++; }

  // The multi-task TMF whose response waits (tmf.cpp), and whether its
  // response ends the session (TARGET COLD RESET, I_T NEXUS RESET).
  std::optional<pending_tmf>& waiting_tmf() { return pending_tmf_; }
  bool close_after_tmf = false;

  // The session's place in the node's session directory.
  struct directory_links {
    session_directory::flag terminate;      // set by another session's event
    std::shared_ptr<abort_notice> aborts;   // other sessions' TMFs' aborts (tmf_third_party.cpp)
    bool reinstated = false;                // ended by a session reinstatement
  };
  directory_links& directory() { return directory_; }
  const directory_links& directory() const { return directory_; }

 private:
  struct member {
    std::uint16_t cid = 0;
    connection* conn = nullptr;
  };

  std::uint16_t tsih_ = 0;
  std::uint64_t isid_ = 0;
  pdu::session_parameters params_;
  std::vector<member> connections_;
  cmdsn_window window_;
  std::map<std::uint32_t, std::uint16_t> queued_on_;
  std::map<std::uint32_t, task> tasks_;  // by ITT
  std::optional<pending_tmf> pending_tmf_;
  std::uint64_t next_job_ = 1;
  directory_links directory_;
};

// `p` less its connection-only values (back at their defaults): what a
// session keeps of a login's negotiation (RFC 7143 section 13: "Key scope
// is indicated as session-wide (SW) or connection-only (CO)").
pdu::session_parameters session_wide(const pdu::session_parameters& p);

}  // namespace touchstone::target
