// What the accept loop (transport_server.cpp) does when a connection is over
// a limit or accept fails, kept free of Asio: a backoff instead of a spin, a
// reserve descriptor, and log lines at most once per interval with a count.
// Private to the transport; used on the server's strand only, without the
// instance lock (the caller counts in connection_admission under it).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "touchstone/target/connection_admission.hpp"

namespace touchstone::target {

using accept_clock = std::chrono::steady_clock;

// Events logged at most once per interval: the first at once, the rest
// counted and reported by the next line due.
class interval_counter {
 public:
  struct due {
    std::uint64_t count = 0;  // events since the last line, this one included
    std::chrono::seconds since{0};  // since the last line (0: the first line)
  };
  explicit interval_counter(accept_clock::duration interval) : interval_(interval) {}
  // Counts one event at `now`; a line is due when the result's count is not 0.
  due note(accept_clock::time_point now);

 private:
  accept_clock::duration interval_;
  accept_clock::time_point last_line_{};
  bool logged_ = false;
  std::uint64_t pending_ = 0;
};

// " (N WHAT in the last S s)" when the line stands for more than one event, else "".
std::string counted(const interval_counter::due& d, std::string_view what);

// The pause after a failed accept: 100 ms, doubling up to 1 s; back to the
// start after an accept succeeds.
class accept_backoff {
 public:
  static constexpr std::chrono::milliseconds first{100};
  static constexpr std::chrono::milliseconds longest{1000};
  std::chrono::milliseconds next();
  void reset() { pause_ = std::chrono::milliseconds(0); }

 private:
  std::chrono::milliseconds pause_{0};
};

// A descriptor (/dev/null) held open from the start, so that a process out
// of descriptors can still take one connection off the queue and close it:
// the peer learns at once instead of waiting on a target that never answers.
class reserve_descriptor {
 public:
  reserve_descriptor();
  ~reserve_descriptor();
  reserve_descriptor(const reserve_descriptor&) = delete;
  reserve_descriptor& operator=(const reserve_descriptor&) = delete;
  // Closes the reserve, accepts one waiting connection on the (non-blocking)
  // listening socket and closes it, reopens the reserve. The address of the
  // connection closed, or "" when there was none (or no reserve).
  std::string accept_and_close(int listener);

 private:
  int fd_ = -1;
};

class accept_guard {
 public:
  static constexpr std::chrono::seconds log_interval{10};

  struct failure {
    std::chrono::milliseconds pause{0};  // before the next accept
    bool closed_on_reserve = false;      // a waiting connection was closed
  };
  // A failed accept on `listener`: the reserve is used on EMFILE/ENFILE;
  // a line is logged once per interval.
  failure failed(int listener, std::error_code ec, accept_backoff& backoff);
  // A connection over `which` (of `value`) was closed at once: a line once
  // per interval per limit.
  void refused(connection_limit which, std::uint32_t value, const peer_address& from);

 private:
  reserve_descriptor reserve_;
  interval_counter failures_{log_interval};
  interval_counter reserve_closes_{log_interval};
  interval_counter refusals_[3]{interval_counter{log_interval}, interval_counter{log_interval},
                                interval_counter{log_interval}};
};

// "192.0.2.1" for IPv4 mapped, "2001:db8::1" otherwise.
std::string address_text(const peer_address& a);

}  // namespace touchstone::target
