// The Asio transport (standalone Asio 1.22, C++20 coroutines, error codes):
// TCP acceptors, signals, the control socket and the I/O threads. There is
// one io_context per I/O thread, each run by exactly that thread; a new
// connection is given to the next one in turn and stays on it
// (transport_session.cpp), so its handlers never hop between threads. The
// acceptors, signals, control socket and shutdown run on the first. The
// instance lock (`core`) guards the instance and the connection cores on
// any thread; the connection counts behind the limits
// (connection_admission, part of the instance) too.
//
// An accepted connection is counted against the limits before anything else
// is done with it, and closed at once when over one. A failed accept pauses
// its acceptor on a timer (100 ms doubling to 1 s) instead of retrying at
// once: out of descriptors, a retry fails again, and the loop would spin
// and log every failure (accept_guard.cpp).
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <csignal>
#include <memory>
#include <mutex>
#include <optional>
#include <spdlog/spdlog.h>
#include <thread>

#include "touchstone/target/instance.hpp"
#include "touchstone/target/server.hpp"
#include "accept_guard.hpp"
#include "transport_control.hpp"
#include "transport_session.hpp"

namespace touchstone::target {

using asio::ip::tcp;
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

std::string endpoint_text::portal() const {
  return host.find(':') != std::string::npos ? "[" + host + "]:" + std::to_string(port)
                                             : host + ":" + std::to_string(port);
}

result<endpoint_text, std::string> parse_endpoint(std::string_view text) {
  endpoint_text out;
  std::string_view port_text;
  if (text.starts_with("[")) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return fail(std::string("missing ']' in ") + std::string(text));
    out.host = std::string(text.substr(1, close - 1));
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return fail(std::string("expected ':' after ']'"));
      port_text = text.substr(close + 2);
    }
  } else {
    const auto colon = text.rfind(':');
    out.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) port_text = text.substr(colon + 1);
  }
  //= rfc7143#section-13.8
  //# If the TCP port is not specified, it is assumed to be the IANA-
  //# assigned default port for iSCSI (see Section 14).
  //= rfc7143#section-15
  //# The well-known TCP port number for iSCSI connections assigned by IANA
  //# is 3260, and this is the default iSCSI port.
  //= rfc7143#section-15
  //# Implementations needing a system TCP port number may use port 860, the
  //# port assigned by IANA as the iSCSI system port; however, in order to use
  //# port 860, it MUST be explicitly specified -- implementations MUST NOT
  //# default to the use of port 860, as 3260 is the only allowed default.
  out.port = 3260;
  if (!port_text.empty()) {
    unsigned long v = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return fail(std::string("bad port in ") + std::string(text));
      v = v * 10 + static_cast<unsigned long>(c - '0');
      if (v > 65535) return fail(std::string("port out of range in ") + std::string(text));
    }
    out.port = static_cast<std::uint16_t>(v);
  }
  if (out.host.empty()) return fail(std::string("missing host in ") + std::string(text));
  return out;
}

struct server::impl {
  explicit impl(signal_handling handling) : signals(strand), hangup(strand) {
    if (handling == signal_handling::none) return;
    std::error_code ec;
    signals.add(SIGINT, ec);
    signals.add(SIGTERM, ec);
    hangup.add(SIGHUP, ec);
  }

  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, asio::steady_timer& pause) {
    accept_backoff backoff;
    for (;;) {
      // Round robin over the I/O threads' contexts.
      auto& context = next_context < pool.size() ? *pool[next_context] : io;
      next_context = (next_context + 1) % (pool.size() + 1);
      auto [ec, socket] = co_await acceptor.async_accept(context, use_tuple);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {
        co_await pause_after(ec, acceptor, pause, backoff);
        continue;
      }
      backoff.reset();
      if (const auto from = admitted(socket)) serve_connection(std::move(socket), *targets, core, *from);
    }
  }

  // Counts a new connection in; one over a limit is closed at once (there
  // is no PDU yet to answer) and logged once per interval.
  template <class Socket>
  std::optional<peer_address> admitted(Socket& socket) {
    std::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (ec) return std::nullopt;  // already gone: the socket closes with it
    const auto a = remote.address();
    const peer_address from = a.is_v4() ? asio::ip::make_address_v6(asio::ip::v4_mapped, a.to_v4()).to_bytes()
                                        : a.to_v6().to_bytes();
    std::optional<connection_limit> over;
    std::uint32_t value = 0;
    {
      std::lock_guard lock(core);
      over = targets->admission().admit(from);
      if (over) value = targets->admission().value_of(*over);
    }
    if (!over) return from;
    socket.close(ec);
    guard.refused(*over, value, from);
    return std::nullopt;
  }

  // After a failed accept: counted, logged once per interval, the reserve
  // descriptor used when out of descriptors, then a pause on the timer.
  asio::awaitable<void> pause_after(std::error_code ec, tcp::acceptor& acceptor, asio::steady_timer& pause,
                                    accept_backoff& backoff) {
    const auto failure = guard.failed(acceptor.native_handle(), ec, backoff);
    {
      std::lock_guard lock(core);
      auto& counts = targets->admission();
      counts.accept_failed();
      if (failure.closed_on_reserve) counts.closed_on_reserve();
      counts.pause_started();
    }
    pause.expires_after(failure.pause);
    co_await pause.async_wait(use_tuple);
    std::lock_guard lock(core);
    targets->admission().pause_ended();
  }

  void wait_for_hangup() {
    hangup.async_wait([this](std::error_code ec, int) {
      if (ec) return;
      spdlog::info("SIGHUP: reloading the config");
      std::lock_guard lock(core);
      if (reload) reload();
      wait_for_hangup();
    });
  }

  // Stops accepting, closes every connection, and lets io.run() return once
  // the connections have wound down (at most 5 s).
  void shut_down() {
    std::error_code ec;
    for (auto& a : acceptors) a->close(ec);
    for (auto& p : pauses) p->cancel();
    if (control) control->close();
    signals.cancel(ec);
    hangup.cancel(ec);
    {
      std::lock_guard lock(core);
      const auto n = targets->connections().size();
      if (n > 0)
        spdlog::info("asking {} connection(s) to log out within {} s", n, logout_within.count());
      targets->request_logout_all(logout_within);
    }
    asio::co_spawn(strand, wind_down(), asio::detached);
  }

  std::size_t live_connections() {
    std::lock_guard lock(core);
    return targets->connections().size();
  }

  // Waits for the initiators to log out (the core drops a connection past
  // its deadline), then closes whatever is left and stops.
  asio::awaitable<void> wind_down() {
    const auto give_up = std::chrono::steady_clock::now() + logout_within + std::chrono::seconds(1);
    while (live_connections() > 0 && std::chrono::steady_clock::now() < give_up) {
      deadline.expires_after(std::chrono::milliseconds(50));
      co_await deadline.async_wait(use_tuple);
    }
    if (const auto left = live_connections(); left > 0) {
      spdlog::info("closing {} connection(s)", left);
      {
        std::lock_guard lock(core);
        targets->disconnect_all();
      }
      deadline.expires_after(std::chrono::milliseconds(200));
      co_await deadline.async_wait(use_tuple);
    }
    stop_all();
  }

  void stop_all() {
    for (auto& g : pool_guards) g.reset();
    for (auto& c : pool) c->stop();
    io.stop();
  }

  // The contexts of I/O threads 2..N (the first is `io`), kept running while
  // idle by their guards.
  void add_io_threads(unsigned n) {
    for (unsigned i = 1; i < n; ++i) {
      pool.push_back(std::make_unique<asio::io_context>(1));
      pool_guards.emplace_back(pool.back()->get_executor());
    }
  }

  // Parameter3 of the Async Message "logout request" sent on shutdown.
  static constexpr std::chrono::seconds logout_within{2};

  // Declared before `io`, so destroyed after it: an accept still queued on
  // `io` when it stops holds the pool context its socket was meant for.
  std::vector<std::unique_ptr<asio::io_context>> pool;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> pool_guards;
  std::size_t next_context = 0;  // with pool.size(): `io`
  // The first I/O thread's context: acceptors, signals, the control socket
  // and shutdown run on its strand, connections on the context itself.
  asio::io_context io{1};
  asio::strand<asio::io_context::executor_type> strand = asio::make_strand(io);
  std::mutex core;  // the instance lock
  asio::signal_set signals;
  asio::signal_set hangup;
  asio::steady_timer deadline{strand};
  instance* targets = nullptr;
  std::function<void()> reload;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::vector<std::unique_ptr<asio::steady_timer>> pauses;  // one per acceptor, on the strand
  accept_guard guard;  // on the strand
  std::unique_ptr<control_endpoint> control;
};

namespace {

// An IP address as written, else the first address a host name resolves to
// ("localhost": 127.0.0.1 or ::1, as the resolver orders them).
asio::ip::address address_of(asio::io_context& io, const std::string& host, std::error_code& ec) {
  auto address = asio::ip::make_address(host, ec);
  if (!ec) return address;
  tcp::resolver resolver(io);
  const auto found = resolver.resolve(host, "", tcp::resolver::passive, ec);
  if (ec) return {};
  if (found.empty()) {
    ec = asio::error::host_not_found;
    return {};
  }
  return found.begin()->endpoint().address();
}

}  // namespace

server::server(signal_handling signals) : impl_(std::make_unique<impl>(signals)) {}
server::~server() = default;

result<std::vector<endpoint_text>, std::string> server::listen(
    const std::vector<endpoint_text>& at) {
  std::vector<endpoint_text> bound;
  for (const auto& e : at) {
    std::error_code ec;
    const auto address = address_of(impl_->io, e.host, ec);
    if (ec) return fail("cannot resolve " + e.host + " (expected an IP address or a host name): " + ec.message());
    auto acceptor = std::make_unique<tcp::acceptor>(impl_->strand);
    const tcp::endpoint endpoint(address, e.port);
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && address.is_v6()) acceptor->set_option(asio::ip::v6_only(true), ec);
    if (!ec) acceptor->bind(endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    // The reserve descriptor's accept must not wait (accept_guard.cpp).
    if (!ec) acceptor->native_non_blocking(true, ec);
    if (ec) return fail("cannot listen on " + e.portal() + ": " + ec.message());
    const auto local = acceptor->local_endpoint(ec);
    bound.push_back({local.address().to_string(), local.port()});
    impl_->acceptors.push_back(std::move(acceptor));
  }
  return bound;
}

result<void, std::string> server::open_control(const std::string& path, const rpc_dispatcher& rpc) {
  auto control = std::make_unique<control_endpoint>(impl_->io, impl_->strand, rpc, impl_->core);
  if (auto opened = control->open(path); !opened) return fail(opened.error());
  impl_->control = std::move(control);
  return ok;
}

void server::on_hangup(std::function<void()> reload) { impl_->reload = std::move(reload); }

void server::run(instance& targets, unsigned io_threads) {
  impl_->targets = &targets;
  for (auto& a : impl_->acceptors) {
    impl_->pauses.push_back(std::make_unique<asio::steady_timer>(impl_->strand));
    asio::co_spawn(impl_->strand, impl_->accept_loop(*a, *impl_->pauses.back()), asio::detached);
  }
  if (impl_->control) impl_->control->start();
  impl_->signals.async_wait([this](std::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    impl_->shut_down();
  });
  impl_->wait_for_hangup();
  impl_->add_io_threads(std::max(io_threads, 1u));
  std::vector<std::thread> more;
  for (auto& context : impl_->pool) more.emplace_back([c = context.get()] { c->run(); });
  impl_->io.run();
  for (auto& t : more) t.join();
  // Answers still owed by store threads are posted to the stopped contexts
  // (and dropped with them) before the contexts can go.
  wait_for_storage_jobs();
}

void server::stop() {
  asio::post(impl_->strand, [this] { impl_->shut_down(); });
}

}  // namespace touchstone::target
