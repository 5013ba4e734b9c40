// The control socket (asio local stream sockets, C++20 coroutines, error codes).
#include "transport_control.hpp"

#include "accept_guard.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

namespace touchstone::target {

namespace {

constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);
constexpr std::size_t max_message = 1 << 20;  // one JSON-RPC line

bool is_socket_file(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

// Another instance still answers on `path`.
bool answered(asio::io_context& io, const std::string& path) {
  control_endpoint::stream::socket probe(io);
  std::error_code ec;
  probe.connect(control_endpoint::stream::endpoint(path), ec);
  return !ec;
}

}  // namespace

control_endpoint::~control_endpoint() { close(); }

void control_endpoint::close() {
  std::error_code ec;
  acceptor_.close(ec);
  for (auto& c : clients_) c->close(ec);
  if (!path_.empty()) ::unlink(path_.c_str());
  path_.clear();
}

result<void, std::string> control_endpoint::open(const std::string& path) {
  if (exists(path)) {
    if (!is_socket_file(path)) return fail(path + " exists and is not a socket");
    if (answered(io_, path)) return fail("another instance is serving on " + path);
    ::unlink(path.c_str());  // left behind by an instance that did not exit cleanly
  }
  std::error_code ec;
  const stream::endpoint endpoint(path);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (ec) return fail("cannot bind the control socket " + path + ": " + ec.message());
  path_ = path;
  ::chmod(path.c_str(), 0600);  // the owner only: the socket can change the targets
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on " + path + ": " + ec.message());
  return ok;
}

void control_endpoint::start() { asio::co_spawn(strand_, accept_loop(), asio::detached); }

asio::awaitable<void> control_endpoint::accept_loop() {
  accept_backoff backoff;
  interval_counter failures(accept_guard::log_interval);
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(strand_, use_tuple);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      // Out of descriptors a retry fails again at once: pause instead of spinning.
      const auto pause = backoff.next();
      if (const auto d = failures.note(accept_clock::now()); d.count > 0)
        spdlog::warn("control socket: accept failed: {}{}; pausing accepts for {} ms", ec.message(),
                     counted(d, "times"), pause.count());
      asio::steady_timer timer(strand_, pause);
      co_await timer.async_wait(use_tuple);
      continue;
    }
    backoff.reset();
    auto client = std::make_shared<stream::socket>(std::move(socket));
    clients_.insert(client);
    asio::co_spawn(strand_, serve(client), asio::detached);
  }
}

// Reads a line, answers it, until the client closes (or sends an over-long line).
asio::awaitable<void> control_endpoint::serve(std::shared_ptr<stream::socket> client) {
  std::string buffer;
  for (;;) {
    auto [ec, n] = co_await asio::async_read_until(*client, asio::dynamic_buffer(buffer, max_message),
                                                   '\n', use_tuple);
    if (ec) break;
    const std::string line = buffer.substr(0, n - 1);
    buffer.erase(0, n);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto answer = [&] {
      std::lock_guard lock(core_);
      return rpc_.handle(line);
    }();
    if (!answer) continue;  // notifications only
    answer->push_back('\n');
    auto [write_ec, written] = co_await asio::async_write(*client, asio::buffer(*answer), use_tuple);
    (void)written;
    if (write_ec) break;
  }
  std::error_code ec;
  client->close(ec);
  clients_.erase(client);
}

}  // namespace touchstone::target
