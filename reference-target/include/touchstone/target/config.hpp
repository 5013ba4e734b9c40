// What one target node is made of: its name, portal group, CHAP accounts and
// the limits it negotiates with. Shared read-only by every connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/scsi/device_server.hpp"
#include "touchstone/target/chap_challenges.hpp"
#include "touchstone/target/log_throttle.hpp"
#include "touchstone/target/mutant.hpp"
#include "touchstone/target/session_directory.hpp"

namespace touchstone::target {

class session;

inline constexpr std::string_view default_iqn = "iqn.2026-11.org.touchstone:target";

struct chap_account {
  std::string user;
  std::string secret;
};

// The values this target offers or accepts at most (section 13 keys).
struct target_limits {
  std::uint32_t max_recv_data_segment_length = 262144;  // what we accept per PDU
  std::uint32_t max_burst_length = 1048576;
  std::uint32_t first_burst_length = 262144;
  std::uint32_t max_outstanding_r2t = 1;
  bool immediate_data = true;
  bool initial_r2t = false;  // we accept unsolicited Data-Out (InitialR2T=No)
  std::uint32_t queue_depth = 64;  // MaxCmdSN - ExpCmdSN + 1
  std::chrono::seconds login_timeout{30};
  // Added for the config file; the core honours them as it grows.
  std::uint32_t max_sessions = 0;  // 0: no limit
  // MaxConnections this target accepts at most for a Normal session (the
  // negotiated value is the minimum of it and the offer, section 13.2).
  // Named apart from the top level's max_connections (TCP connections).
  std::uint32_t max_connections_per_session = 1;
  // The HeaderDigest / DataDigest values offered, in order: "None,CRC32C",
  // "CRC32C" (required: libiscsi offers "None,CRC32C" and must pick CRC32C),
  // or "None".
  std::string header_digest = "None,CRC32C";
  std::string data_digest = "None,CRC32C";
  std::chrono::seconds nop_in_interval{0};  // 0: no NOP-In pings
  std::chrono::seconds nop_in_timeout{30};  // no answer to a ping: drop the connection
  // I_T nexuses each LU keeps unit attention state for (scsi::lu_config::
  // max_tracked_nexuses); past it the least recently used departed one is
  // forgotten and returns as a new nexus would.
  std::uint32_t max_tracked_nexuses = scsi::unit_attention_queue::default_max_nexuses;
  // The highest ErrorRecoveryLevel offered (the result is the minimum of the
  // two sides'): 0 or 1; level 2 is not implemented yet.
  std::uint32_t max_erl = 0;
};

// Status class 01: logins to this target are sent elsewhere (section 11.13.5).
struct redirect_config {
  // TargetAddress values "host[:port]" / "[v6][:port]", without a portal
  // group tag (section 13.8: omitted in a redirect).
  std::vector<std::string> addresses;
  bool permanent = false;       // 0102 "moved permanently", else 0101 "temporarily"
  bool after_security = false;  // redirect once security negotiation is complete
};

struct target_config {
  std::string iqn = std::string(default_iqn);
  std::uint16_t portal_group_tag = 1;
  // TargetAddress values for SendTargets, "host:port" or "[v6]:port"; a
  // wildcard address is replaced by the address the initiator connected to.
  std::vector<std::string> portals;
  std::optional<chap_account> chap;         // the initiator must authenticate
  std::optional<chap_account> mutual_chap;  // the target's own, for mutual CHAP
  target_limits limits;
  // Added for the config file; the core honours them as it grows.
  std::string alias;                            // TargetAlias, empty: none
  std::vector<std::string> allowed_initiators;  // empty: every initiator
  std::optional<redirect_config> redirect;      // empty: logins are served here
  bool strict = true;                           // every violation answered per the RFC
  std::set<std::string> leniencies;             // named rules relaxed (--allow NAME)
  // Deliberate departures (--mutant NAME; mutant.hpp): none unless the build
  // has TOUCHSTONE_MUTANTS and someone asked for them.
  mutant_set mutants;
};

// TSIH allocation: a TSIH is unique among the live sessions of the node.
class session_registry {
 public:
  std::uint16_t allocate();
  void release(std::uint16_t tsih);
  bool exists(std::uint16_t tsih) const;
  std::size_t count() const;  // live sessions, discovery ones included

 private:
  mutable std::mutex mutex_;
  std::set<std::uint16_t> live_;
  std::uint16_t next_ = 1;
};

// One target as SendTargets reports it (appendix C).
struct target_listing {
  std::string iqn;
  std::uint16_t portal_group_tag = 1;
  std::vector<std::string> portals;             // TargetAddress values, "host:port" / "[v6]:port"
  std::vector<std::string> allowed_initiators;  // empty: every initiator
  bool allows(std::string_view initiator) const;
};

// Every target of an instance, shared by its nodes; the instance replaces
// the list when targets come and go, connections read a copy.
class target_catalog {
 public:
  void set(std::vector<target_listing> targets);
  std::vector<target_listing> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::vector<target_listing> targets_;
};

// What every connection of the node shares.
struct target_node {
  target_config config;
  std::shared_ptr<scsi::device_server> devices;
  session_registry sessions;
  session_directory directory;  // the node's live sessions (per node, never global)
  // The live Normal sessions' objects by TSIH, for a login that adds a
  // connection to one (session_continuation.cpp). Read and written by
  // connection cores only, which the instance lock serialises.
  std::map<std::uint16_t, std::weak_ptr<session>> session_objects;
  // Challenges issued by any node of the instance (section 9.2.1 reflection).
  std::shared_ptr<chap_challenge_log> chap_challenges = std::make_shared<chap_challenge_log>();
  // The instance's bound on lines about initiators, and the interval of each
  // connection's log_throttle (shared by every node of the instance).
  std::shared_ptr<log_budget> peer_log_budget = std::make_shared<log_budget>();
  // Every target of the instance for SendTargets; null: this node only.
  std::shared_ptr<const target_catalog> catalog;
  // The stand-in for targets removed at runtime: a Normal login naming a
  // target it does not serve is answered "target removed" (0204), not 0203.
  bool removed = false;
};

}  // namespace touchstone::target
