// The trigger proxy: POSIX sockets and poll(), whole PDUs framed from the
// initiator's side so the trigger is found at a PDU boundary.
#include "net_test_target.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>

#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/nop_in.hpp"
#include "touchstone/pdu/bhs.hpp"

namespace touchstone::fuzz::net::test {

struct trigger_proxy::link {
  int initiator = -1;
  int target = -1;  // -1: held silent (a connection accepted after a hang)
  bool silent = false;
  bool doomed = false;  // crash_at_close: its close crashes the target
  pdu::framer framer;
  pdu::byte_buffer pending;
  // depart: the target's side framed too, to find the one answer to break.
  pdu::framer answers;
  pdu::byte_buffer answers_pending;
  // corrupt: the ITTs of READs sent after a WRITE (bounded).
  std::set<std::uint32_t> reads;
  // trickle: holding after the trigger, releasing after the next PDU.
  bool holding = false;
  bool releasing = false;
  std::deque<pdu::byte_buffer> held;
  std::chrono::steady_clock::time_point next_release;

  ~link() {
    if (initiator >= 0) ::close(initiator);
    if (target >= 0) ::close(target);
  }
};

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

bool send_all(int fd, const std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const auto sent = ::send(fd, p, n, MSG_NOSIGNAL);
    if (sent <= 0) return false;
    p += sent;
    n -= static_cast<std::size_t>(sent);
  }
  return true;
}

void need(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("trigger proxy: ") + what + " failed");
}

// Appends bytes to `pending` and hands each whole PDU the framer finds to
// on_pdu (false: stop, the link fails); what is framed is dropped.
template <class OnPdu>
bool frame_answers(pdu::framer& f, pdu::byte_buffer& pending, const std::uint8_t* bytes,
                   std::size_t n, OnPdu on_pdu) {
  pending.insert(pending.end(), bytes, bytes + n);
  std::size_t at = 0;
  while (at < pending.size()) {
    const auto step = f.decode(pdu::bytes_view(pending.data() + at, pending.size() - at));
    at += step.consumed;
    if (step.status == pdu::frame_status::error) return false;
    if (step.status != pdu::frame_status::done) break;
    if (!on_pdu(f.take())) return false;
  }
  pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(at));
  return true;
}

}  // namespace

trigger_proxy::trigger_proxy(std::uint16_t upstream_port, misbehaviour m) : upstream_port_(upstream_port), mode_(m) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  need(listener_ >= 0, "socket");
  const int on = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  auto a = loopback(0);
  need(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0, "bind");
  need(::listen(listener_, 16) == 0, "listen");
  socklen_t length = sizeof a;
  need(::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &length) == 0, "getsockname");
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { run(); });
}

trigger_proxy::~trigger_proxy() { stop(); }

void trigger_proxy::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  close_all();
}

void trigger_proxy::close_all() {
  links_.clear();
  if (listener_ >= 0) ::close(listener_);
  listener_ = -1;
}

void trigger_proxy::accept_one() {
  const int fd = ::accept(listener_, nullptr, nullptr);
  if (fd < 0) return;
  if (links_.size() >= max_connections) {
    ::close(fd);
    return;
  }
  auto l = std::make_unique<link>();
  l->initiator = fd;
  l->silent = hung_;
  // What the initiator sends is framed with generous limits: the proxy
  // judges nothing, it only finds PDU boundaries.
  l->framer.set_limits({{}, 1u << 24});
  l->answers.set_limits({{}, 1u << 24});
  if (!hung_) {
    l->target = ::socket(AF_INET, SOCK_STREAM, 0);
    const auto a = loopback(upstream_port_);
    if (l->target < 0 || ::connect(l->target, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) return;
  }
  links_.push_back(std::move(l));
}

void trigger_proxy::on_trigger(link& l) {
  triggered_ = true;
  switch (mode_) {
    case misbehaviour::none: break;
    case misbehaviour::crash: crash_ = true; break;  // run() closes everything
    case misbehaviour::crash_at_close: l.doomed = true; break;
    case misbehaviour::hang:
      hung_ = true;
      for (auto& other : links_) other->silent = true;
      break;
    case misbehaviour::stall: l.silent = true; break;
    case misbehaviour::stall_once: l.silent = !std::exchange(stalled_once_, true); break;
    case misbehaviour::trickle: l.holding = true; break;
    case misbehaviour::depart:
    case misbehaviour::ping_depart:
    case misbehaviour::corrupt: break;  // pump_answers breaks or adds an answer
  }
}

// False when the link is finished (closed by a side, or by a crash).
bool trigger_proxy::pump_from_initiator(link& l) {
  std::uint8_t chunk[16384];
  const auto n = ::recv(l.initiator, chunk, sizeof chunk, 0);
  if (n <= 0) {
    crash_ = crash_ || l.doomed;  // run() closes everything
    return false;
  }
  if (l.silent) return true;  // read and dropped: nobody answers
  l.pending.insert(l.pending.end(), chunk, chunk + n);
  std::size_t at = 0;
  while (at < l.pending.size()) {
    const auto step = l.framer.decode(pdu::bytes_view(l.pending.data() + at, l.pending.size() - at));
    at += step.consumed;
    if (step.status == pdu::frame_status::error) return false;
    if (step.status != pdu::frame_status::done) break;
    const auto p = l.framer.take();
    if (mode_ == misbehaviour::corrupt) note_command(l, p);
    if (l.holding && p.op() == pdu::opcode::nop_out && p.header().initiator_task_tag() != trigger_itt) {
      l.holding = false;  // the ping: what was held starts to trickle
      l.releasing = true;
      l.next_release = std::chrono::steady_clock::now() + trickle_gap;
    }
    if (p.header().initiator_task_tag() == trigger_itt && mode_ != misbehaviour::none &&
        mode_ != misbehaviour::corrupt) {
      on_trigger(l);
      if (crash_ || l.silent) return !crash_;
      const bool forwarded = mode_ == misbehaviour::depart || mode_ == misbehaviour::ping_depart ||
                             mode_ == misbehaviour::stall_once || mode_ == misbehaviour::crash_at_close;
      if (!forwarded) continue;  // swallowed
    }
    const auto bytes = pdu::encode(p);
    if (!send_all(l.target, bytes.data(), bytes.size())) return false;
  }
  l.pending.erase(l.pending.begin(), l.pending.begin() + static_cast<std::ptrdiff_t>(at));
  return true;
}

// corrupt: a WRITE(10/16) arms it; a READ(10/16) after that is marked.
void trigger_proxy::note_command(link& l, const pdu::pdu& p) {
  if (p.op() != pdu::opcode::scsi_command) return;
  const auto op = p.bhs[32];
  if (op == 0x2a || op == 0x8a) written_ = true;
  if ((op == 0x28 || op == 0x88) && written_) {
    if (l.reads.size() >= 1024) l.reads.clear();
    l.reads.insert(p.header().initiator_task_tag());
  }
}

bool trigger_proxy::pump_from_target(link& l) {
  std::uint8_t chunk[16384];
  const auto n = ::recv(l.target, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  if (l.silent) return true;
  if (mode_ == misbehaviour::depart || mode_ == misbehaviour::ping_depart || mode_ == misbehaviour::corrupt)
    return pump_answers(l, chunk, static_cast<std::size_t>(n));
  if (l.holding || l.releasing) return hold_answers(l, chunk, static_cast<std::size_t>(n));
  return send_all(l.initiator, chunk, static_cast<std::size_t>(n));
}

// depart: whole PDUs from the target, the NOP-In echoing the trigger with
// its F bit cleared, re-encoded (without digests, like the initiator's side).
bool trigger_proxy::pump_answers(link& l, const std::uint8_t* bytes, std::size_t n) {
  return frame_answers(l.answers, l.answers_pending, bytes, n, [&](pdu::pdu p) {
    if (mode_ == misbehaviour::corrupt && p.op() == pdu::opcode::data_in && p.data.size() > 100 &&
        l.reads.count(p.header().initiator_task_tag())) {
      p.data[100] ^= 0x01;
      triggered_ = true;
    }
    const bool echo = p.op() == pdu::opcode::nop_in && p.header().initiator_task_tag() == trigger_itt;
    // 11.19's figure: byte 1 of a NOP-In is 1, then reserved bits.
    if (echo && mode_ == misbehaviour::depart) p.bhs[1] = static_cast<std::uint8_t>(p.bhs[1] & ~pdu::final_bit_mask);
    auto encoded = pdu::encode(p);
    if (echo && mode_ == misbehaviour::ping_depart) {
      // ping_depart: the echo goes as it is, then a ping of the target's own
      // (ITT 0xffffffff, a TTT the initiator must copy, 11.18) with its F
      // bit cleared. An initiator engine answers pings by itself: the
      // oracle must still see this one.
      auto ping = pdu::nop_in_builder{}
                      .target_transfer_tag(0x00c0ffee)
                      .stat_sn(pdu::nop_in_view(p).stat_sn() + 1)
                      .exp_cmd_sn(pdu::nop_in_view(p).exp_cmd_sn())
                      .max_cmd_sn(pdu::nop_in_view(p).max_cmd_sn())
                      .build();
      ping.bhs[1] = static_cast<std::uint8_t>(ping.bhs[1] & ~pdu::final_bit_mask);
      const auto extra = pdu::encode(ping);
      encoded.insert(encoded.end(), extra.begin(), extra.end());
    }
    return send_all(l.initiator, encoded.data(), encoded.size());
  });
}

// trickle: whole PDUs from the target, kept to be released one at a time.
bool trigger_proxy::hold_answers(link& l, const std::uint8_t* bytes, std::size_t n) {
  return frame_answers(l.answers, l.answers_pending, bytes, n, [&](pdu::pdu p) {
    if (l.held.size() >= 4096) return false;  // bounded: a test's answers are few
    l.held.push_back(pdu::encode(p));
    return true;
  });
}

// trickle: the next held PDU, once its time has come.
bool trigger_proxy::release_held(link& l) {
  if (!l.releasing || l.held.empty() || std::chrono::steady_clock::now() < l.next_release) return true;
  const auto& next = l.held.front();
  if (!send_all(l.initiator, next.data(), next.size())) return false;
  l.held.pop_front();
  l.next_release = std::chrono::steady_clock::now() + trickle_gap;
  return true;
}

void trigger_proxy::run() {
  while (!stop_) {
    std::vector<pollfd> fds;
    if (listener_ >= 0) fds.push_back({listener_, POLLIN, 0});
    for (const auto& l : links_) {
      fds.push_back({l->initiator, POLLIN, 0});
      if (l->target >= 0) fds.push_back({l->target, POLLIN, 0});
    }
    // A quiet pass too: trickle releases on time.
    if (::poll(fds.data(), fds.size(), 10) < 0) continue;
    const auto polled = links_.size();
    std::size_t i = 0;
    if (listener_ >= 0 && (fds[i++].revents & POLLIN)) accept_one();
    // One pass over the links poll() was set up with (a link accepted just
    // now is last and has no entry yet); a crash ends the pass, closes all.
    for (std::size_t k = 0; k < polled && !crash_; ++k) {
      auto& l = *links_[k];
      bool alive = true;
      if (fds[i++].revents & (POLLIN | POLLHUP | POLLERR)) alive = pump_from_initiator(l);
      if (l.target >= 0) {
        const bool ready = (fds[i++].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
        if (ready && alive && !crash_) alive = pump_from_target(l);
      }
      if (alive) alive = release_held(l);
      if (!alive) links_[k].reset();
    }
    std::erase(links_, nullptr);
    if (crash_) close_all();
  }
}

proxied_target::proxied_target(misbehaviour m) {
  target::embedded_options o;
  o.lun_sizes = {1u << 20};
  auto started = target::embedded_server::start(o);
  need(static_cast<bool>(started), "starting the reference target");
  server = std::move(*started);
  proxy = std::make_unique<trigger_proxy>(server->port(), m);
}

conformance::target_config proxied_target::config() const {
  conformance::target_config c;
  c.portal = {"127.0.0.1", proxy->port()};
  c.target_name = server->iqn();
  c.lun = 0;
  return c;
}

}  // namespace touchstone::fuzz::net::test
