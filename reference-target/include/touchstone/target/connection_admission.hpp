// Connection limits: how many TCP connections the target keeps at once, in
// total, per source address, and still in login (not yet in the Full
// Feature Phase). The transport asks right after accept, before it reads a
// byte or allocates anything for the connection; a connection over a limit
// is closed at once (there is no PDU to answer yet).
//
// Not thread-safe by itself: like the rest of the instance it is used with
// the instance lock held (transport_server.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace touchstone::target {

// The defaults fit under the soft RLIMIT_NOFILE that touchstone-target
// raises itself to (docs/target.md, "Under load"); 0 means no limit.
struct connection_limits {
  std::uint32_t max_connections = 1024;
  std::uint32_t max_connections_per_address = 256;
  std::uint32_t max_login_connections = 256;
  friend bool operator==(const connection_limits&, const connection_limits&) = default;
};

enum class connection_limit : std::uint8_t { total, per_address, login };
// The config key of the limit: "max_connections", ...
std::string_view key_of(connection_limit l);

// A source address as 16 bytes: IPv6, or IPv4 mapped (::ffff:a.b.c.d).
using peer_address = std::array<std::uint8_t, 16>;

class connection_admission {
 public:
  connection_admission() { set_limits({}); }
  struct counts {
    std::uint64_t connections = 0;  // admitted and not yet closed
    std::uint64_t in_login = 0;     // of those, not yet in the Full Feature Phase
    std::array<std::uint64_t, 3> refused{};  // by connection_limit
    std::uint64_t accept_errors = 0;        // failed accept calls
    std::uint64_t closed_on_reserve = 0;    // accepted on the reserve descriptor and closed
    std::uint32_t paused_listeners = 0;     // acceptors waiting out a backoff now
  };

  // Lowering a limit below the current count refuses new connections only.
  void set_limits(const connection_limits& l);
  const connection_limits& limits() const { return limits_; }
  std::uint32_t value_of(connection_limit l) const;

  // A new connection from `from`: counted (in login) and nullopt, or the
  // limit it would exceed (counted as refused).
  std::optional<connection_limit> admit(const peer_address& from);
  // The admitted connection reached the Full Feature Phase.
  void left_login();
  // The admitted connection closed; `in_login` if it never left login.
  void release(const peer_address& from, bool in_login);

  void accept_failed() { ++counts_.accept_errors; }
  void closed_on_reserve() { ++counts_.closed_on_reserve; }
  void pause_started() { ++counts_.paused_listeners; }
  void pause_ended();

  const counts& current() const { return counts_; }
  std::size_t addresses() const { return per_address_.size(); }

 private:
  connection_limits limits_;
  counts counts_;
  // Live connections per source address, sorted; capacity reserved for
  // max_connections entries so that admitting does not allocate.
  std::vector<std::pair<peer_address, std::uint32_t>> per_address_;
};

// The `admission` object of the management `stats` method.
nlohmann::json to_json(const connection_admission& a);

}  // namespace touchstone::target
