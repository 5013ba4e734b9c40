// The connection: synchronous waits over Asio's asynchronous operations, each
// bounded by io_context::run_until(deadline); an operation still pending at
// the deadline is cancelled and reported as asio::error::timed_out.
#include "touchstone/conformance/connection.hpp"

#include <asio.hpp>
#include <algorithm>
#include <cstring>
#include <memory>

namespace touchstone::conformance {

struct connection::io {
  asio::io_context context;
  asio::ip::tcp::socket socket{context};
};

namespace {

// Starts an operation with a completion callback, runs the io_context until
// it completes or the deadline passes, and cancels it in the second case.
template <class Start>
std::error_code run_until(asio::io_context& context, asio::ip::tcp::socket& socket,
                          deadline until, Start start) {
  bool done = false;
  std::error_code outcome;
  context.restart();
  start([&](std::error_code ec) {
    outcome = ec;
    done = true;
  });
  context.run_until(until);
  if (done) return outcome;
  std::error_code ignored;
  socket.cancel(ignored);
  context.restart();
  context.run();  // the cancelled handler runs here
  if (done && !outcome) return outcome;  // completed just as the deadline fell
  return asio::error::timed_out;
}

constexpr std::size_t read_chunk = 64 * 1024;

}  // namespace

bool ended_by_target(const std::error_code& ec) {
  return ec == asio::error::connection_reset || ec == asio::error::broken_pipe || ec == asio::error::eof;
}

connection::connection() : io_(std::make_unique<io>()) {}
connection::~connection() { close(); }

std::error_code connection::connect(const endpoint& where, deadline until) {
  auto& socket = io_->socket;
  // A numeric address needs no resolver: asio resolves asynchronously on a
  // thread of its own per io_context, which is one thread created and joined
  // per connection (a fuzzing campaign opens thousands a minute).
  std::error_code parse_ec;
  const auto address = asio::ip::make_address(where.host, parse_ec);
  if (!parse_ec) return finish_connect(run_until(io_->context, socket, until, [&](auto complete) {
    socket.async_connect({address, where.port}, [complete](std::error_code connect_ec) { complete(connect_ec); });
  }));
  asio::ip::tcp::resolver resolver(io_->context);
  const auto ec = run_until(io_->context, socket, until, [&](auto complete) {
    resolver.async_resolve(
        where.host, std::to_string(where.port),
        [&, complete](std::error_code resolve_ec, asio::ip::tcp::resolver::results_type found) {
          if (resolve_ec) return complete(resolve_ec);
          asio::async_connect(socket, found,
                              [complete](std::error_code connect_ec, const auto&) {
                                complete(connect_ec);
                              });
        });
  });
  if (ec) resolver.cancel();
  return finish_connect(ec);
}

std::error_code connection::finish_connect(std::error_code ec) {
  if (ec) {
    close();
    return ec;
  }
  auto& socket = io_->socket;
  std::error_code ignored;
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  local_port_ = socket.local_endpoint(ignored).port();
  remote_port_ = socket.remote_endpoint(ignored).port();
  return {};
}

bool connection::is_open() const { return io_->socket.is_open(); }

void connection::note_end(bool from_initiator, tcp_end how) {
  bool& ended = from_initiator ? initiator_ended_ : target_ended_;
  if (ended) return;
  ended = true;
  traffic_.push_back({clock::now(), from_initiator, {}, how});
}

void connection::close() {
  if (!io_->socket.is_open()) return;
  // A reset from the target ended both directions; otherwise ours is a FIN.
  if (!target_ended_ || traffic_.empty() || traffic_.back().end != tcp_end::rst) note_end(true, tcp_end::fin);
  std::error_code ignored;
  io_->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  io_->socket.close(ignored);
}

pdu::byte_buffer connection::encode(const pdu::pdu& p) const {
  return pdu::encode(p, send_digests_);
}

std::error_code connection::send(const pdu::pdu& p, deadline until) {
  const auto bytes = encode(p);
  return send_bytes(bytes, until);
}

std::error_code connection::send_bytes(pdu::bytes_view bytes, deadline until) {
  if (!is_open()) return asio::error::not_connected;
  // Once a write found the connection ended by the target, every later one
  // would too: answer at once (asio would wait for a writable event that an
  // ended socket never raises again, and the case would time out).
  if (write_ended_) return write_ended_;
  if (record_traffic_) traffic_.push_back({clock::now(), true, pdu::byte_buffer(bytes.begin(), bytes.end())});
  auto& socket = io_->socket;
  const auto ec = run_until(io_->context, socket, until, [&](auto complete) {
    asio::async_write(socket, asio::buffer(bytes.data(), bytes.size()),
                      [complete](std::error_code write_ec, std::size_t) { complete(write_ec); });
  });
  // A write cut short leaves the stream in an unknown state: end it.
  if (ec == asio::error::timed_out) close();
  if (ended_by_target(ec)) {
    write_ended_ = ec;
    note_end(false, ec == asio::error::eof ? tcp_end::fin : tcp_end::rst);
  }
  return ec;
}

void connection::make_room() {
  const std::size_t unframed = pending_end_ - pending_offset_;
  // The framed prefix goes: a long Data-In stream almost always leaves part
  // of a PDU behind, so waiting for an empty buffer let it grow without end.
  if (pending_offset_ > 0 && unframed > 0) std::memmove(buffer_.get(), buffer_.get() + pending_offset_, unframed);
  pending_offset_ = 0;
  pending_end_ = unframed;
  if (capacity_ - pending_end_ >= read_chunk) return;
  // The first read allocates one read's worth. Growing past that is not
  // expected: a read follows only once the framer took all there was (it
  // keeps a PDU in progress itself), so nothing is left unframed.
  const std::size_t grown = std::max(capacity_ * 2, pending_end_ + read_chunk);
  auto bigger = std::make_unique_for_overwrite<std::uint8_t[]>(grown);
  if (pending_end_ > 0) std::memcpy(bigger.get(), buffer_.get(), pending_end_);
  buffer_ = std::move(bigger);
  capacity_ = grown;
}

std::error_code connection::read_more(deadline until) {
  if (!is_open()) return asio::error::not_connected;
  make_room();
  std::uint8_t* const into = buffer_.get() + pending_end_;
  const std::size_t room = capacity_ - pending_end_;
  std::size_t got = 0;
  auto& socket = io_->socket;
  const auto ec = run_until(io_->context, socket, until, [&](auto complete) {
    socket.async_read_some(asio::buffer(into, room), [&got, complete](std::error_code read_ec, std::size_t n) {
      got = n;
      complete(read_ec);
    });
  });
  if (got > 0) {
    if (record_traffic_) traffic_.push_back({clock::now(), false, pdu::byte_buffer(into, into + got)});
    pending_end_ += got;
  }
  return got > 0 ? std::error_code{} : ec;
}

// Frames what is buffered: a PDU, a framing error, or nothing yet.
std::optional<observation> connection::frame_buffered() {
  while (pending_offset_ < pending_end_) {
    const pdu::bytes_view input(buffer_.get() + pending_offset_, pending_end_ - pending_offset_);
    const auto step = framer_.decode(input);
    pending_offset_ += step.consumed;
    if (step.status == pdu::frame_status::done) return observation{observed::pdu, framer_.take(), {}};
    if (step.status == pdu::frame_status::error) {
      if (step.error == pdu::frame_error::data_digest)
        return observation{observed::data_digest_error, framer_.take(), "data digest mismatch"};
      stream_broken_ = true;
      auto partial = framer_.take();
      auto what = pdu::describe(step.error, partial, framer_.limits()) + " at stream offset " +
                  std::to_string(framer_.pdu_offset());
      return observation{observed::stream_error, std::move(partial), std::move(what)};
    }
    if (step.consumed == 0) break;
  }
  return std::nullopt;
}

observation connection::receive(deadline until) {
  if (stream_broken_)
    return {observed::stream_error, {}, "the stream broke earlier; no PDU can follow"};
  for (;;) {
    if (auto framed = frame_buffered()) return std::move(*framed);
    if (peer_closed_) return {observed::closed, {}, close_detail_};
    const auto ec = read_more(until);
    if (!ec) continue;
    if (ec == asio::error::timed_out) return {observed::timeout, {}, {}};
    if (ec == asio::error::eof || ec == asio::error::connection_reset ||
        ec == asio::error::broken_pipe) {
      peer_closed_ = true;
      close_detail_ = ec == asio::error::eof ? "the target closed the connection (FIN)"
                                             : "the target reset the connection (" + ec.message() + ")";
      note_end(false, ec == asio::error::eof ? tcp_end::fin : tcp_end::rst);
      close();
      continue;  // a PDU may still be buffered
    }
    return {observed::io_error, {}, ec.message()};
  }
}

}  // namespace touchstone::conformance
