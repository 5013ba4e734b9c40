// The accept path's backoff, reserve descriptor and once-per-interval log
// lines (accept_guard.hpp). A flood of failing accepts or refused
// connections costs a few lines per interval, not one per event: the exact
// numbers are in `stats` (connection_admission).
#include "accept_guard.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

namespace touchstone::target {

namespace {

peer_address address_of(const sockaddr_storage& ss) {
  peer_address a{};
  if (ss.ss_family == AF_INET6) {
    std::memcpy(a.data(), &reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr, a.size());
  } else if (ss.ss_family == AF_INET) {
    a[10] = a[11] = 0xff;  // ::ffff:a.b.c.d
    std::memcpy(a.data() + 12, &reinterpret_cast<const sockaddr_in&>(ss).sin_addr, 4);
  }
  return a;
}

int open_reserve() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

}  // namespace

std::string counted(const interval_counter::due& d, std::string_view what) {
  if (d.count <= 1) return "";
  return fmt::format(" ({} {} in the last {} s)", d.count, what, d.since.count());
}

interval_counter::due interval_counter::note(accept_clock::time_point now) {
  ++pending_;
  if (logged_ && now - last_line_ < interval_) return {};
  const due d{pending_, logged_ ? std::chrono::duration_cast<std::chrono::seconds>(now - last_line_)
                                : std::chrono::seconds(0)};
  pending_ = 0;
  last_line_ = now;
  logged_ = true;
  return d;
}

std::chrono::milliseconds accept_backoff::next() {
  pause_ = pause_.count() == 0 ? first : std::min(pause_ * 2, longest);
  return pause_;
}

reserve_descriptor::reserve_descriptor() : fd_(open_reserve()) {
  if (fd_ < 0) spdlog::warn("cannot open /dev/null as the reserve descriptor: {}", std::strerror(errno));
}

reserve_descriptor::~reserve_descriptor() {
  if (fd_ >= 0) ::close(fd_);
}

std::string reserve_descriptor::accept_and_close(int listener) {
  if (fd_ < 0) fd_ = open_reserve();  // lost at the last attempt: maybe free again
  if (fd_ < 0) return "";
  ::close(fd_);
  sockaddr_storage ss{};
  socklen_t length = sizeof ss;
  // The listener is non-blocking (server::listen): no waiting connection is EAGAIN.
  const int taken = ::accept4(listener, reinterpret_cast<sockaddr*>(&ss), &length,
                              SOCK_CLOEXEC | SOCK_NONBLOCK);
  std::string who;
  if (taken >= 0) {
    who = address_text(address_of(ss));
    ::close(taken);
  }
  fd_ = open_reserve();
  return who;
}

accept_guard::failure accept_guard::failed(int listener, std::error_code ec, accept_backoff& backoff) {
  failure out;
  out.pause = backoff.next();
  // By value: Asio's system category does not map its codes to std::errc.
  const bool out_of_descriptors = ec.value() == EMFILE || ec.value() == ENFILE;
  const auto now = accept_clock::now();
  if (const auto d = failures_.note(now); d.count > 0)
    spdlog::warn("accept failed: {}{}; pausing accepts for {} ms", ec.message(), counted(d, "times"),
                 out.pause.count());
  if (!out_of_descriptors) return out;
  const auto who = reserve_.accept_and_close(listener);
  out.closed_on_reserve = !who.empty();
  if (!out.closed_on_reserve) return out;
  if (const auto d = reserve_closes_.note(now); d.count > 0)
    spdlog::warn("out of descriptors: closed a connection from {} at once on the reserve descriptor{}",
                 who, counted(d, "such"));
  return out;
}

void accept_guard::refused(connection_limit which, std::uint32_t value, const peer_address& from) {
  auto& counter = refusals_[static_cast<std::size_t>(which)];
  if (const auto d = counter.note(accept_clock::now()); d.count > 0)
    spdlog::warn("refused a connection from {}: {} ({}) reached, closed at once{}", address_text(from),
                 key_of(which), value, counted(d, "refused by this limit"));
}

std::string address_text(const peer_address& a) {
  char text[INET6_ADDRSTRLEN] = {};
  const bool mapped = std::all_of(a.begin(), a.begin() + 10, [](std::uint8_t b) { return b == 0; }) &&
                      a[10] == 0xff && a[11] == 0xff;
  if (mapped) ::inet_ntop(AF_INET, a.data() + 12, text, sizeof text);
  else ::inet_ntop(AF_INET6, a.data(), text, sizeof text);
  return text;
}

}  // namespace touchstone::target
