// The live sessions of one target node (a member of target_node, so two
// instances in one process never see each other's sessions), for the events
// that reach a session other than the one they arrive on: TARGET COLD RESET,
// session reinstatement (section 6.3.5) and connection reinstatement (6.3.4).
// A connection enrolls when its session enters the Full Feature Phase and
// polls its flag on every input (on_pdu, on_tick).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

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
