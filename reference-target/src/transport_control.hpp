// The management control socket: a Unix stream socket where each line is one
// JSON-RPC 2.0 message and each answer one line. Private to the transport.
// Runs on the server's strand; each request is handled with the instance
// lock held.
#pragma once

#include <asio.hpp>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "touchstone/pdu/result.hpp"
#include "touchstone/target/json_rpc.hpp"

namespace touchstone::target {

class control_endpoint {
 public:
  using stream = asio::local::stream_protocol;

  using strand = asio::strand<asio::io_context::executor_type>;

  control_endpoint(asio::io_context& io, strand on, const rpc_dispatcher& rpc, std::mutex& core)
      : io_(io), strand_(on), rpc_(rpc), core_(core), acceptor_(on) {}
  ~control_endpoint();  // closes the clients, removes the socket file
  control_endpoint(const control_endpoint&) = delete;
  control_endpoint& operator=(const control_endpoint&) = delete;

  result<void, std::string> open(const std::string& path);
  void start();
  // Stops accepting, closes the clients, removes the socket file.
  void close();

 private:
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(std::shared_ptr<stream::socket> client);

  asio::io_context& io_;
  strand strand_;
  const rpc_dispatcher& rpc_;
  std::mutex& core_;
  stream::acceptor acceptor_;
  std::string path_;  // set once bound: removed on exit
  std::set<std::shared_ptr<stream::socket>> clients_;
};

}  // namespace touchstone::target
