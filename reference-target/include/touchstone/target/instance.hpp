// One running touchstone-target: its targets (each a target_node with its own
// device server), the live connections as management sees them, traffic
// counters, and the changes management and SIGHUP make at runtime.
//
// Not thread-safe by itself: with several I/O threads the transport holds
// one lock (the instance lock, transport_server.cpp) around every call into
// the instance, from connections, the control socket and the signals.
#pragma once

#include <chrono>
#include <deque>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/target/config_file.hpp"
#include "touchstone/target/connection_admission.hpp"

namespace touchstone::target {

class connection;

// JSON-RPC application error codes (-32000..-32099 are the server's own).
enum class app_error_code : int {
  target_not_found = -32001,
  target_exists = -32002,
  lun_not_found = -32003,
  lun_exists = -32004,
  in_use = -32005,          // retry with "force": true
  store_failed = -32006,    // the backing store could not be opened
  config_refused = -32007,  // a reload found a bad config; the old one stays
};

struct app_error {
  app_error_code code;
  std::string message;
};

template <class T>
using app_result = result<T, app_error>;

struct traffic_counters {
  std::uint64_t pdus_in = 0;
  std::uint64_t pdus_out = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t commands = 0;    // SCSI commands executed
  std::uint64_t errors = 0;      // SCSI commands that ended with a status other than GOOD
  std::uint64_t violations = 0;  // initiator violations the core logged
  void add(const traffic_counters& o);
};

// A live TCP connection; the transport owns the socket and updates it.
struct connection_entry {
  std::uint64_t id = 0;
  std::string local;
  std::string remote;
  std::string target;                 // the target it was routed to; "" before its first PDU
  bool discovery = false;
  const connection* conn = nullptr;   // set once the first PDU chose the target
  traffic_counters traffic;           // violations filled in when read
  std::function<void()> disconnect;   // closes the socket
  // Asks the initiator to log out within the time given (Async Message).
  std::function<void(std::chrono::seconds)> request_logout;
};

struct target_entry {
  target_definition definition;          // as configured or added since
  std::shared_ptr<target_node> node;     // what normal sessions use
  std::shared_ptr<target_node> discovery_node;  // same name, discovery CHAP
  traffic_counters closed;               // of connections that have gone
};

// The sizes of the tables initiators fill, every one bounded (docs/target.md,
// "Bounded state"): for stats and the churn tests.
struct table_sizes {
  std::size_t connections = 0;
  std::size_t sessions = 0;            // session directories: Full Feature Phase sessions
  std::size_t tsihs = 0;               // TSIHs in use (sessions still in login included)
  std::size_t tracked_nexuses = 0;     // unit attention state, every LU
  std::uint64_t forgotten_nexuses = 0;  // forgotten to keep that bound, every LU
  std::size_t tasks = 0;               // task sets, every LU
  std::size_t chap_challenges = 0;     // challenges remembered (section 9.2.1)
  std::size_t removed_target_names = 0;
};

class instance {
 public:
  // `portals`: the bound listening portals (TargetAddress values).
  instance(std::vector<std::string> portals, discovery_settings discovery);

  // Management (and SIGHUP). Opening a store can fail: nothing changes then.
  app_result<bool> create_target(target_definition t);
  app_result<bool> remove_target(std::string_view iqn, bool force);
  app_result<bool> add_lun(std::string_view iqn, lun_definition l);
  app_result<bool> remove_lun(std::string_view iqn, std::uint64_t lun, bool force);

  const std::map<std::string, target_entry, std::less<>>& targets() const { return targets_; }
  const target_entry* find(std::string_view iqn) const;
  const std::vector<std::string>& portals() const { return portals_; }
  // Live normal sessions (full feature phase) of a target.
  std::size_t sessions_of(std::string_view iqn) const;

  // Applies a new config: targets and LUNs added, removed (their sessions
  // closed) or changed; target settings replaced. Returns what it did, one
  // line each. A store that cannot be opened refuses the whole config.
  app_result<std::vector<std::string>> apply(const instance_config& next);

  // Connections, for the transport.
  connection_entry& connected(std::string local, std::string remote, std::function<void()> disconnect);
  // The node that serves a connection whose first PDU is `first`.
  std::shared_ptr<target_node> route(connection_entry& entry, const pdu::pdu& first);
  void disconnected(std::uint64_t id);
  void disconnect_all();
  // Shutdown: every connection asked to log out (or closed before login ends).
  void request_logout_all(std::chrono::seconds within);
  // Violations read from the core.
  std::map<std::uint64_t, connection_entry>& connections();
  traffic_counters totals(std::string_view iqn) const;  // live + closed
  table_sizes tables() const;  // instance_tables.cpp
  // The connection limits and counts (the transport checks them on accept).
  connection_admission& admission() { return admission_; }
  const connection_admission& admission() const { return admission_; }

  // The bound on lines about initiators (config "logging"): the budget is
  // shared by every node and connection; a new interval applies to
  // connections made from now on.
  void set_log_limits(const log_limits& limits) { log_budget_->configure(limits); }
  const std::shared_ptr<log_budget>& peer_log_budget() const { return log_budget_; }

 private:
  std::shared_ptr<target_node> make_node(const target_config& settings,
                                         std::shared_ptr<scsi::device_server> devices,
                                         bool discovery) const;
  void disconnect_target(std::string_view iqn);
  void publish_catalog();  // SendTargets' view of targets_, after every change

  std::vector<std::string> portals_;
  discovery_settings discovery_;
  std::map<std::string, target_entry, std::less<>> targets_;
  std::shared_ptr<target_node> nowhere_;  // answers "not found" to any TargetName
  std::shared_ptr<target_node> removed_node_;  // answers "target removed" to any TargetName
  static constexpr std::size_t max_removed_names = 1024;
  std::deque<std::string> removed_;  // targets removed at runtime, oldest first
  std::map<std::uint64_t, connection_entry> connections_;
  std::uint64_t next_connection_ = 1;
  connection_admission admission_;
  // Shared by every node: challenges issued (section 9.2.1), the target list.
  std::shared_ptr<chap_challenge_log> challenges_ = std::make_shared<chap_challenge_log>();
  std::shared_ptr<target_catalog> catalog_ = std::make_shared<target_catalog>();
  std::shared_ptr<log_budget> log_budget_ = std::make_shared<log_budget>();
};

// Opens the store of one LUN and makes its logical unit.
app_result<std::shared_ptr<scsi::logical_unit>> make_logical_unit(const lun_definition& l);

}  // namespace touchstone::target
