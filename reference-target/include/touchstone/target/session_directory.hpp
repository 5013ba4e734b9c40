// The live sessions of one target node (a member of target_node, so two
// instances in one process never see each other's sessions), for the events
// that reach a session other than the one they arrive on: TARGET COLD RESET,
// session reinstatement (section 6.3.5), connection reinstatement (6.3.4) and
// the tasks a multi-task TMF of another session aborted (4.2.3.2).
// A connection enrolls when its session enters the Full Feature Phase and
// polls its flag and its abort notice on every input (on_pdu, on_tick,
// on_scsi_done).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "touchstone/pdu/session_parameters.hpp"

namespace touchstone::target {

// Why another session (or connection) asked this one to end.
enum class termination : std::uint8_t {
  none,
  target_reset,
  reinstated,              // a new session with the same key took over (6.3.5)
  connection_reinstated,   // a new connection with the same CID took over (6.3.4)
};

// What a new connection needs of the session it logs into.
struct live_session {
  std::uint64_t isid = 0;
  std::uint16_t cid = 0;  // the session's one connection (MaxConnections=1)
  pdu::session_parameters params;  // as negotiated by the leading login
};

// What another session's LOGICAL UNIT RESET, CLEAR TASK SET or TARGET WARM
// RESET did to this session's tasks: every task on `lun` (a SCSI LUN, as
// scsi::decode_lun gives it) is aborted.
struct task_abort {
  std::uint64_t lun = 0;
  // CLEAR TASK SET: the SCSI layer's COMMANDS CLEARED BY ANOTHER INITIATOR is
  // due to a session that lost tasks the SCSI layer did not hold (tmf_third_party.cpp).
  bool clear_task_set = false;
  friend bool operator==(const task_abort&, const task_abort&) = default;
};

// The task aborts posted to one connection and not yet taken. Posted by
// another connection (any thread), taken by the connection's own core; it
// holds each distinct abort once, so it is bounded by the node's LUs.
class abort_notice {
 public:
  void post(task_abort what);
  // Every abort posted since the last take (cheap when there is none: one
  // atomic load, as it runs on every input).
  std::vector<task_abort> take();

 private:
  std::atomic<bool> pending_{false};
  std::mutex mutex_;
  std::vector<task_abort> aborts_;
};

class session_directory {
 public:
  using flag = std::shared_ptr<std::atomic<termination>>;
  // Runs the connection's core on its own thread soon (it posts; any thread
  // may call it): a termination asked by another connection takes effect
  // then, not at the connection's next tick or PDU.
  using waker = std::function<void()>;

  // `key` names the session as section 6.3.5 does: InitiatorName, ISID,
  // TargetName and portal group tag (see session_key()).
  flag enroll(std::uint16_t tsih, std::string key, live_session session, waker wake = {});
  // The connection holding `mine` leaves; a connection already replaced by a
  // connection reinstatement leaves the session in place.
  void leave(std::uint16_t tsih, const flag& mine);
  std::optional<live_session> find(std::uint16_t tsih) const;
  // Asks every other session to terminate; returns how many were asked.
  std::size_t terminate_all_except(std::uint16_t tsih);
  // Asks the live session with `key` (other than `tsih`) to end as reinstated;
  // the kind of the session ended, if one was.
  std::optional<pdu::session_kind> reinstate(const std::string& key, std::uint16_t tsih);
  // Connection reinstatement: the connection of session `tsih` is told to end
  // (its flag), and the session's new flag is returned for the new connection.
  // Empty when the session has gone meanwhile.
  flag replace_connection(std::uint16_t tsih, std::uint16_t cid, waker wake = {});
  // A multi-task TMF on session `tsih` aborted the tasks of every session on
  // one LU: each other Normal session's connection is told (its notice) and
  // woken. Returns how many were told.
  std::size_t abort_tasks_except(std::uint16_t tsih, task_abort what);
  // The notice of session `tsih`'s current connection: new with each enroll
  // and replace_connection (a new connection has no task of the old one).
  // Null when the session is not enrolled.
  std::shared_ptr<abort_notice> notice(std::uint16_t tsih) const;
  std::size_t size() const;
  // Live Normal sessions a login with `key` would not reinstate (Discovery
  // sessions are enrolled for reinstatement, not counted: limits.max_sessions).
  std::size_t others(const std::string& key) const;

 private:
  struct entry {
    std::string key;
    flag state;
    live_session session;
    waker wake;
    std::shared_ptr<abort_notice> aborts = std::make_shared<abort_notice>();
  };
  static void end(entry& e, termination why);
  mutable std::mutex mutex_;
  std::map<std::uint16_t, entry> sessions_;
};

// An Unnamed Discovery session's key (section 7.4.2.1): the portal (the
// TargetAddress the connection reached) in place of TargetName and the tag.
std::string unnamed_discovery_key(std::string_view initiator, std::uint64_t isid, std::string_view portal);
std::string session_key(std::string_view initiator, std::uint64_t isid, std::string_view target,
                        std::uint16_t tpgt);

}  // namespace touchstone::target
