// The Asio transport (standalone Asio 1.22, C++20 coroutines, error codes):
// TCP acceptors, one coroutine per connection, signals.
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <memory>
#include <csignal>
#include <spdlog/spdlog.h>

#include "touchstone/pdu/framer.hpp"
#include "touchstone/target/connection.hpp"
#include "touchstone/target/instance.hpp"
#include "touchstone/target/server.hpp"
#include "transport_control.hpp"
#include "transport_outbox.hpp"

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
  //# the default TCP port 3260
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

namespace {

std::string text_of(const tcp::endpoint& ep) {
  return endpoint_text{ep.address().to_string(), ep.port()}.portal();
}

// One TCP connection. The first PDU picks the target (instance::route);
// the connection core is created then and fed every PDU after it. A tick
// every 250 ms drives the core's clocks (login timeout, NOP-In pings, the
// logout deadline, sessions ended from elsewhere).
//
// Reading and writing overlap: the reader feeds the core and puts what it
// answers in the outbox without waiting; one writer coroutine sends all that
// accumulated in one gather write (several PDUs per syscall under load,
// large data segments without a copy). The reader pauses while more than
// max_backlog bytes wait, so a peer that does not read cannot grow it.
class session_io : public std::enable_shared_from_this<session_io> {
 public:
  session_io(tcp::socket socket, instance& targets)
      : socket_(std::move(socket)),
        targets_(targets),
        tick_timer_(socket_.get_executor()),
        wake_writer_(socket_.get_executor()),
        writer_progress_(socket_.get_executor()) {}

  asio::awaitable<void> run() {
    std::error_code ec;
    local_ = text_of(socket_.local_endpoint(ec));
    remote_ = text_of(socket_.remote_endpoint(ec));
    socket_.set_option(tcp::no_delay(true), ec);
    entry_ = &targets_.connected(local_, remote_, [this] { disconnect(); });
    entry_->request_logout = [this](std::chrono::seconds within) { request_logout(within); };
    const auto id = entry_->id;
    spdlog::info("[{}] connected to {}", remote_, local_);
    first_pdu_deadline_ = clock::now() + std::chrono::seconds(30);
    asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->tick_loop(); },
                   asio::detached);
    asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->write_loop(); },
                   asio::detached);
    co_await read_loop();
    // A read error: the peer is gone, nothing more is sent. Otherwise the core
    // closes the connection: the writer sends what it queued first.
    if (!close_after_flush_) disconnect();
    close_after_flush_ = true;
    wake_writer_.cancel();
    while (!writer_done_) co_await wait_on(writer_progress_);
    closed_ = true;
    tick_timer_.cancel();
    if (conn_) conn_->on_transport_closed();
    targets_.disconnected(id);
    entry_ = nullptr;
    disconnect();
    spdlog::info("[{}] disconnected", remote_);
  }

 private:
  void disconnect() {
    std::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  asio::awaitable<void> tick_loop() {
    while (!closed_) {
      tick_timer_.expires_after(std::chrono::milliseconds(250));
      auto [ec] = co_await tick_timer_.async_wait(use_tuple);
      if (ec || closed_) co_return;
      if (!conn_) {
        if (clock::now() >= first_pdu_deadline_) disconnect();  // not even a first PDU
        continue;
      }
      conn_->on_tick(clock::now());
      co_await flush();
    }
  }

  // Shutdown: the core sends an Async Message asking for a Logout within
  // `within` (and drops the connection past it); before the Full Feature
  // Phase it closes.
  void request_logout(std::chrono::seconds within) {
    if (closed_) return;
    if (!conn_) return disconnect();
    conn_->request_logout(clock::now(), within);
    asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->flush(); },
                   asio::detached);
  }

  // Sends what the core produced outside of reading; if it asked to close,
  // the writer closes after sending what came before.
  asio::awaitable<void> flush() {
    perform();
    co_return;
  }

  // The first PDU chose the target: the core starts with it.
  void start_core(const pdu::pdu& first) {
    node_ = targets_.route(*entry_, first);
    conn_.emplace(node_, connection_info{local_, remote_, 1}, clock::now());
    entry_->conn = &*conn_;
  }

  // Until a read error, or the core (or a fatal framing error) ends the
  // connection: then close_after_flush_ is set.
  asio::awaitable<void> read_loop() {
    // Not zero-filled: pages are touched only as far as reads fill them, so
    // idle connections stay small.
    constexpr std::size_t buffer_size = 256 * 1024;
    const auto buffer = std::make_unique_for_overwrite<std::uint8_t[]>(buffer_size);
    pdu::framer framer;
    for (;;) {
      while (outbox_.size() > max_backlog && !writer_done_) co_await wait_on(writer_progress_);
      auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer.get(), buffer_size),
                                                      use_tuple);
      if (ec) co_return;
      entry_->traffic.bytes_in += n;
      pdu::bytes_view input(buffer.get(), n);
      while (!input.empty()) {
        const auto step = framer.decode(input);
        input = input.subspan(step.consumed);
        if (step.status == pdu::frame_status::need_more) break;
        auto p = framer.take();
        ++entry_->traffic.pdus_in;
        if (!conn_) start_core(p);
        if (step.status == pdu::frame_status::done) conn_->on_pdu(std::move(p), clock::now());
        if (step.status == pdu::frame_status::error) conn_->on_frame_error(step.error, std::move(p));
        if (!perform()) co_return;
        framer.set_limits(conn_->receive_limits());
        if (framer.failed()) {
          close_after_flush_ = true;
          wake_writer_.cancel();
          co_return;
        }
      }
    }
  }

  // Runs every action the core produced: SCSI jobs on this thread, PDUs
  // into the outbox for the writer. False once the connection must close
  // (the writer closes it after sending what came before).
  bool perform() {
    if (closed_ || close_after_flush_ || !entry_ || !conn_) return false;
    bool open = true;
    auto& traffic = entry_->traffic;
    for (auto actions = conn_->take_actions(); !actions.empty(); actions = conn_->take_actions()) {
      for (auto& a : actions) {
        if (auto* s = std::get_if<send_pdu>(&a)) {
          traffic.bytes_out += outbox_.add(std::move(s->pdu), s->digests);
          ++traffic.pdus_out;
        }
        if (auto* j = std::get_if<execute_scsi>(&a)) {
          // The device server runs on the I/O thread (memory and file stores).
          auto response = node_->devices ? node_->devices->execute(j->nexus, j->request())
                                         : scsi::response{};
          ++traffic.commands;
          if (response.status != scsi::status::good) ++traffic.errors;
          conn_->on_scsi_done(j->job, std::move(response));
        }
        if (std::get_if<close_connection>(&a)) open = false;
      }
    }
    if (!open) close_after_flush_ = true;
    if (!outbox_.empty() || !open) wake_writer_.cancel();
    return open;
  }

  // The one writer: sends the outbox whenever it is not empty, then swaps in
  // what accumulated meanwhile. Ends on a write error or, once the outbox is
  // empty, when the connection is closing; it closes the socket then.
  asio::awaitable<void> write_loop() {
    std::vector<asio::const_buffer> pieces;
    for (;;) {
      if (outbox_.empty()) {
        if (close_after_flush_ || closed_) break;
        co_await wait_on(wake_writer_);
        continue;
      }
      std::swap(outbox_, sending_);
      writer_progress_.cancel();
      sending_.gather(pieces);
      auto [ec, written] = co_await asio::async_write(socket_, pieces, use_tuple);
      (void)written;
      sending_.clear();
      if (ec) break;
    }
    disconnect();
    writer_done_ = true;
    writer_progress_.cancel();
  }

  // A timer used as a condition: waits until someone cancels it. Callers
  // re-check their condition in a loop (one I/O thread: no lost wake-up).
  static asio::awaitable<void> wait_on(asio::steady_timer& t) {
    t.expires_at(asio::steady_timer::time_point::max());
    co_await t.async_wait(use_tuple);
  }

  static constexpr std::size_t max_backlog = 8u << 20;

  tcp::socket socket_;
  instance& targets_;
  asio::steady_timer tick_timer_;
  clock::time_point first_pdu_deadline_;
  asio::steady_timer wake_writer_;      // cancelled when the outbox fills or closing starts
  asio::steady_timer writer_progress_;  // cancelled when the writer takes the outbox or ends
  bool closed_ = false;
  bool close_after_flush_ = false;
  bool writer_done_ = false;
  connection_entry* entry_ = nullptr;
  std::shared_ptr<target_node> node_;
  std::optional<connection> conn_;
  std::string local_, remote_;
  outbox outbox_;   // filled by perform()
  outbox sending_;  // being written
};

}  // namespace

struct server::impl {
  explicit impl(signal_handling handling) : signals(io), hangup(io) {
    if (handling == signal_handling::none) return;
    std::error_code ec;
    signals.add(SIGINT, ec);
    signals.add(SIGTERM, ec);
    hangup.add(SIGHUP, ec);
  }

  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {
        spdlog::warn("accept failed: {}", ec.message());
        continue;
      }
      auto io_session = std::make_shared<session_io>(std::move(socket), *targets);
      asio::co_spawn(io, [io_session]() { return io_session->run(); }, asio::detached);
    }
  }

  void wait_for_hangup() {
    hangup.async_wait([this](std::error_code ec, int) {
      if (ec) return;
      spdlog::info("SIGHUP: reloading the config");
      if (reload) reload();
      wait_for_hangup();
    });
  }

  // Stops accepting, closes every connection, and lets io.run() return once
  // the connections have wound down (at most 5 s).
  void shut_down() {
    std::error_code ec;
    for (auto& a : acceptors) a->close(ec);
    if (control) control->close();
    signals.cancel(ec);
    hangup.cancel(ec);
    const auto n = targets->connections().size();
    if (n > 0)
      spdlog::info("asking {} connection(s) to log out within {} s", n, logout_within.count());
    targets->request_logout_all(logout_within);
    asio::co_spawn(io, wind_down(), asio::detached);
  }

  // Waits for the initiators to log out (the core drops a connection past
  // its deadline), then closes whatever is left and stops.
  asio::awaitable<void> wind_down() {
    const auto give_up = std::chrono::steady_clock::now() + logout_within + std::chrono::seconds(1);
    while (!targets->connections().empty() && std::chrono::steady_clock::now() < give_up) {
      deadline.expires_after(std::chrono::milliseconds(50));
      co_await deadline.async_wait(use_tuple);
    }
    if (!targets->connections().empty()) {
      spdlog::info("closing {} connection(s)", targets->connections().size());
      targets->disconnect_all();
      deadline.expires_after(std::chrono::milliseconds(200));
      co_await deadline.async_wait(use_tuple);
    }
    io.stop();
  }

  // Parameter3 of the Async Message "logout request" sent on shutdown.
  static constexpr std::chrono::seconds logout_within{2};

  asio::io_context io;
  asio::signal_set signals;
  asio::signal_set hangup;
  asio::steady_timer deadline{io};
  instance* targets = nullptr;
  std::function<void()> reload;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::unique_ptr<control_endpoint> control;
};

server::server(signal_handling signals) : impl_(std::make_unique<impl>(signals)) {}
server::~server() = default;

result<std::vector<endpoint_text>, std::string> server::listen(
    const std::vector<endpoint_text>& at) {
  std::vector<endpoint_text> bound;
  for (const auto& e : at) {
    std::error_code ec;
    const auto address = asio::ip::make_address(e.host, ec);
    if (ec) return fail("bad address " + e.host + ": " + ec.message());
    auto acceptor = std::make_unique<tcp::acceptor>(impl_->io);
    const tcp::endpoint endpoint(address, e.port);
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && address.is_v6()) acceptor->set_option(asio::ip::v6_only(true), ec);
    if (!ec) acceptor->bind(endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail("cannot listen on " + e.portal() + ": " + ec.message());
    const auto local = acceptor->local_endpoint(ec);
    bound.push_back({local.address().to_string(), local.port()});
    impl_->acceptors.push_back(std::move(acceptor));
  }
  return bound;
}

result<void, std::string> server::open_control(const std::string& path, const rpc_dispatcher& rpc) {
  auto control = std::make_unique<control_endpoint>(impl_->io, rpc);
  if (auto opened = control->open(path); !opened) return fail(opened.error());
  impl_->control = std::move(control);
  return ok;
}

void server::on_hangup(std::function<void()> reload) { impl_->reload = std::move(reload); }

void server::run(instance& targets) {
  impl_->targets = &targets;
  for (auto& a : impl_->acceptors) asio::co_spawn(impl_->io, impl_->accept_loop(*a), asio::detached);
  if (impl_->control) impl_->control->start();
  impl_->signals.async_wait([this](std::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    impl_->shut_down();
  });
  impl_->wait_for_hangup();
  impl_->io.run();
}

void server::stop() {
  asio::post(impl_->io, [this] { impl_->shut_down(); });
}

}  // namespace touchstone::target
