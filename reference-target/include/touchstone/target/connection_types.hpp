// The types a connection's interface speaks (connection.hpp): where its
// TCP connection runs, its phase, its connection-only keys and the
// initiator's violations on it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "touchstone/pdu/session_parameters.hpp"

namespace touchstone::target {

struct connection_info {
  std::string local_portal;   // "127.0.0.1:3260" / "[::1]:3260": for SendTargets
  std::string remote;         // for logs
  std::uint32_t initial_stat_sn = 1;
};

// Where the connection is; the dispatch table is keyed by it.
enum class phase : std::uint8_t {
  awaiting_login,  // TCP up, nothing received
  login,           // Login Phase started
  ffp_normal,      // Full Feature Phase of a Normal session
  ffp_discovery,   // Full Feature Phase of a Discovery session
  closing,         // Logout answered or a fatal error: nothing more is read
};
std::string_view name(phase p);

// The connection-only keys (RFC 7143 section 13, scope CO) as this
// connection's login negotiated them; the session-wide ones are the session's.
struct connection_keys {
  pdu::digest_type header_digest = pdu::digest_type::none;
  pdu::digest_type data_digest = pdu::digest_type::none;
  std::uint32_t max_recv_data_segment_length = 8192;  // what this target receives
  std::uint32_t max_send_data_segment_length = 8192;  // the initiator's: what this target sends
};

// The initiator's violations on this connection, by the requirement id
// logged with each.
struct violation_counts {
  std::uint64_t total = 0;
  std::map<std::string, std::uint64_t, std::less<>> by_requirement;
  // The part of by_requirement a leniency let pass (strict_mode.cpp).
  std::map<std::string, std::uint64_t, std::less<>> allowed;
};

}  // namespace touchstone::target
