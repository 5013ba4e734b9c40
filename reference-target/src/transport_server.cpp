// The Asio transport (standalone Asio 1.22, C++20 coroutines, error codes).
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <csignal>
#include <spdlog/spdlog.h>

#include "touchstone/pdu/framer.hpp"
#include "touchstone/target/connection.hpp"
#include "touchstone/target/server.hpp"

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

class session_io {
 public:
  session_io(tcp::socket socket, std::shared_ptr<target_node> node)
      : socket_(std::move(socket)), node_(std::move(node)) {}

  asio::awaitable<void> run() {
    std::error_code ec;
    const auto local = socket_.local_endpoint(ec);
    const auto remote = socket_.remote_endpoint(ec);
    socket_.set_option(tcp::no_delay(true), ec);
    connection conn(node_, connection_info{text_of(local), text_of(remote), 1}, clock::now());
    spdlog::info("[{}] connected to {}", text_of(remote), text_of(local));
    asio::steady_timer login_timer(socket_.get_executor());
    login_timer.expires_after(node_->config.limits.login_timeout);
    login_timer.async_wait([&](std::error_code e) {
      if (e) return;
      conn.on_tick(clock::now());
      if (conn.current_phase() == phase::closing) socket_.close(e);
    });
    co_await read_loop(conn);
    login_timer.cancel();
    conn.on_transport_closed();
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    spdlog::info("[{}] disconnected", text_of(remote));
  }

 private:
  asio::awaitable<void> read_loop(connection& conn) {
    std::vector<std::uint8_t> buffer(256 * 1024);
    pdu::framer framer;
    for (;;) {
      auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer), use_tuple);
      if (ec) co_return;
      pdu::bytes_view input(buffer.data(), n);
      while (!input.empty()) {
        const auto step = framer.decode(input);
        input = input.subspan(step.consumed);
        if (step.status == pdu::frame_status::done) conn.on_pdu(framer.take(), clock::now());
        if (step.status == pdu::frame_status::error) conn.on_frame_error(step.error, framer.take());
        if (!co_await perform(conn)) co_return;
        framer.set_limits(conn.receive_limits());
        if (framer.failed()) co_return;
        if (step.status == pdu::frame_status::need_more) break;
      }
    }
  }

  // Runs every action the core produced; false once the connection must close.
  asio::awaitable<bool> perform(connection& conn) {
    bool open = true;
    for (auto actions = conn.take_actions(); !actions.empty(); actions = conn.take_actions()) {
      out_.clear();
      for (auto& a : actions) {
        if (auto* s = std::get_if<send_pdu>(&a)) pdu::encode_into(s->pdu, s->digests, out_);
        if (auto* j = std::get_if<execute_scsi>(&a)) {
          // The device server runs on the I/O thread for now (memory and
          // file stores); a worker pool comes with the performance work.
          conn.on_scsi_done(j->job, node_->devices->execute(j->nexus, j->request()));
        }
        if (std::get_if<close_connection>(&a)) open = false;
      }
      if (!out_.empty()) {
        auto [ec, written] = co_await asio::async_write(socket_, asio::buffer(out_), use_tuple);
        (void)written;
        if (ec) co_return false;
      }
    }
    co_return open;
  }

  tcp::socket socket_;
  std::shared_ptr<target_node> node_;
  pdu::byte_buffer out_;
};

}  // namespace

struct server::impl {
  explicit impl(std::shared_ptr<target_node> n) : node(std::move(n)), signals(io, SIGINT, SIGTERM) {}

  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {
        spdlog::warn("accept failed: {}", ec.message());
        continue;
      }
      auto io_session = std::make_shared<session_io>(std::move(socket), node);
      asio::co_spawn(io, [io_session]() { return io_session->run(); }, asio::detached);
    }
  }

  std::shared_ptr<target_node> node;
  asio::io_context io;
  asio::signal_set signals;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
};

server::server(std::shared_ptr<target_node> node) : impl_(std::make_unique<impl>(std::move(node))) {}
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

void server::run() {
  for (auto& a : impl_->acceptors) {
    asio::co_spawn(impl_->io, impl_->accept_loop(*a), asio::detached);
  }
  impl_->signals.async_wait([this](std::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    stop();
  });
  impl_->io.run();
}

void server::stop() {
  asio::post(impl_->io, [this] {
    std::error_code ec;
    for (auto& a : impl_->acceptors) a->close(ec);
    impl_->io.stop();
  });
}

}  // namespace touchstone::target
