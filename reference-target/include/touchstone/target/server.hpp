// The Asio transport: acceptors on the configured portals, one coroutine per
// connection moving bytes between the socket, pdu::framer and the connection
// core, the management control socket (JSON-RPC, a line per message), and
// the signals: SIGINT/SIGTERM stop, SIGHUP reloads. The header stays free of Asio.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "touchstone/pdu/result.hpp"
#include "touchstone/target/config.hpp"

namespace touchstone::target {

class instance;
class rpc_dispatcher;

struct endpoint_text {
  std::string host;  // "127.0.0.1", "::1"
  std::uint16_t port = 0;
  // "127.0.0.1:3260" or "[::1]:3260": the TargetAddress form (appendix C).
  std::string portal() const;
};

// "HOST:PORT", "[V6]:PORT" or "HOST" (port 3260).
result<endpoint_text, std::string> parse_endpoint(std::string_view text);

// An embedding program keeps its own signal dispositions with `none`.
enum class signal_handling : std::uint8_t { install, none };

class server {
 public:
  explicit server(signal_handling signals = signal_handling::install);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Opens one acceptor per endpoint (port 0: an ephemeral port) and returns
  // the endpoints actually bound.
  result<std::vector<endpoint_text>, std::string> listen(const std::vector<endpoint_text>& at);
  // The control socket at `path`: a stale socket file is replaced, one that
  // another instance still answers on is refused. Removed again on exit.
  result<void, std::string> open_control(const std::string& path, const rpc_dispatcher& rpc);
  // Called on SIGHUP, on an I/O thread, with the instance lock held.
  void on_hangup(std::function<void()> reload);

  // Serves the instance's targets until stop() or SIGINT/SIGTERM, then
  // closes every connection. `io_threads` threads (this one and more) run
  // the connections; each connection is served by one of them.
  void run(instance& targets, unsigned io_threads = 1);
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace touchstone::target
