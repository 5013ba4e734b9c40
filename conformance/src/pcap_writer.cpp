// Ethernet/IPv4/TCP framing of recorded connections, written with libpcap.
#include "touchstone/conformance/pcap_writer.hpp"

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <memory>

#include "touchstone/pdu/wire.hpp"

namespace touchstone::conformance {

namespace {

constexpr std::size_t ethernet_size = 14;
constexpr std::size_t ipv4_size = 20;
constexpr std::size_t tcp_size = 20;
constexpr std::uint8_t tcp_fin = 0x01, tcp_syn = 0x02, tcp_rst = 0x04, tcp_psh = 0x08, tcp_ack = 0x10;
constexpr std::uint32_t initiator_isn = 0x10000000, target_isn = 0x20000000;

// The Internet checksum (RFC 1071) of bytes, continuing from `sum`.
std::uint16_t inet_checksum(const std::uint8_t* p, std::size_t n, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < n; i += 2) sum += pdu::load_be16(p + i);
  if (n % 2) sum += std::uint32_t{p[n - 1]} << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

struct tcp_side {
  std::uint32_t ip;
  std::uint16_t port;
  std::uint32_t next_seq;
  std::uint8_t mac_last;
};

std::vector<std::uint8_t> make_frame(const tcp_side& from, const tcp_side& to, std::uint8_t flags,
                                     const std::uint8_t* payload, std::size_t length) {
  std::vector<std::uint8_t> f(ethernet_size + ipv4_size + tcp_size + length);
  std::uint8_t* e = f.data();
  // Locally administered MACs, one per side.
  const std::uint8_t dst[6] = {0x02, 0, 0, 0, 0, to.mac_last}, src[6] = {0x02, 0, 0, 0, 0, from.mac_last};
  std::copy(dst, dst + 6, e);
  std::copy(src, src + 6, e + 6);
  pdu::store_be16(e + 12, 0x0800);

  std::uint8_t* ip = e + ethernet_size;
  ip[0] = 0x45;
  pdu::store_be16(ip + 2, static_cast<std::uint16_t>(ipv4_size + tcp_size + length));
  pdu::store_be16(ip + 6, 0x4000);  // DF
  ip[8] = 64;
  ip[9] = 6;  // TCP
  pdu::store_be32(ip + 12, from.ip);
  pdu::store_be32(ip + 16, to.ip);
  pdu::store_be16(ip + 10, inet_checksum(ip, ipv4_size));

  std::uint8_t* t = ip + ipv4_size;
  pdu::store_be16(t, from.port);
  pdu::store_be16(t + 2, to.port);
  pdu::store_be32(t + 4, from.next_seq);
  // Everything the other side sent so far is acknowledged (0 on the first SYN).
  pdu::store_be32(t + 8, (flags & tcp_ack) ? to.next_seq : 0);
  t[12] = 5 << 4;
  t[13] = flags;
  pdu::store_be16(t + 14, 65535);
  if (length > 0) std::copy(payload, payload + length, t + tcp_size);
  // The pseudo-header: addresses, protocol, TCP length.
  const auto segment = static_cast<std::uint32_t>(tcp_size + length);
  const std::uint32_t pseudo =
      (from.ip >> 16) + (from.ip & 0xffff) + (to.ip >> 16) + (to.ip & 0xffff) + 6 + segment;
  pdu::store_be16(t + 16, inet_checksum(t, segment, pseudo));
  return f;
}

timeval wall_time(clock::time_point when, clock::time_point steady_now,
                  std::chrono::system_clock::time_point wall_now) {
  const auto at = wall_now - std::chrono::duration_cast<std::chrono::system_clock::duration>(steady_now - when);
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(us / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(us % 1000000);
  return tv;
}

}  // namespace

ipv4_pair capture_addresses(const std::string& host) {
  in_addr a{};
  if (::inet_pton(AF_INET, host.c_str(), &a) == 1) {
    const std::uint32_t target = ntohl(a.s_addr);
    // A loopback target is reached from loopback; otherwise from a
    // documentation address (the real local address is not recorded).
    return {(target >> 24) == 127 ? 0x7f000001u : 0xc0000201u, target};
  }
  return {0xc0000201, 0xc0000202};
}

void pcap_capture::add_connection(const std::vector<traffic_chunk>& traffic, std::uint16_t initiator_port,
                                  std::uint16_t target_port, ipv4_pair addresses) {
  if (traffic.empty()) return;
  ++connections_;
  tcp_side initiator{addresses.initiator, initiator_port, initiator_isn, 0x01};
  tcp_side target{addresses.target, target_port, target_isn, 0x02};
  const auto start = traffic.front().when;
  frames_.push_back({start, make_frame(initiator, target, tcp_syn, nullptr, 0)});
  ++initiator.next_seq;
  frames_.push_back({start, make_frame(target, initiator, tcp_syn | tcp_ack, nullptr, 0)});
  ++target.next_seq;
  frames_.push_back({start, make_frame(initiator, target, tcp_ack, nullptr, 0)});
  for (const auto& chunk : traffic) {
    tcp_side& from = chunk.from_initiator ? initiator : target;
    const tcp_side& to = chunk.from_initiator ? target : initiator;
    if (chunk.end != tcp_end::none) {
      const bool fin = chunk.end == tcp_end::fin;
      frames_.push_back({chunk.when, make_frame(from, to, (fin ? tcp_fin : tcp_rst) | tcp_ack, nullptr, 0)});
      if (fin) ++from.next_seq;  // a FIN takes a sequence number
      continue;
    }
    for (std::size_t at = 0; at < chunk.bytes.size(); at += max_segment) {
      const auto n = std::min(max_segment, chunk.bytes.size() - at);
      frames_.push_back({chunk.when, make_frame(from, to, tcp_psh | tcp_ack, chunk.bytes.data() + at, n)});
      from.next_seq += static_cast<std::uint32_t>(n);
    }
  }
}

bool pcap_capture::write(const std::string& path, std::string& why) const {
  const int snaplen = static_cast<int>(ethernet_size + ipv4_size + tcp_size + max_segment);
  std::unique_ptr<pcap_t, void (*)(pcap_t*)> dead(pcap_open_dead(DLT_EN10MB, snaplen), pcap_close);
  if (!dead) {
    why = "pcap_open_dead failed";
    return false;
  }
  std::unique_ptr<pcap_dumper_t, void (*)(pcap_dumper_t*)> out(pcap_dump_open(dead.get(), path.c_str()),
                                                               pcap_dump_close);
  if (!out) {
    why = pcap_geterr(dead.get());
    return false;
  }
  // Connections interleave by time; each one's own frames keep their order.
  std::vector<const frame*> ordered;
  ordered.reserve(frames_.size());
  for (const auto& f : frames_) ordered.push_back(&f);
  std::stable_sort(ordered.begin(), ordered.end(), [](const frame* a, const frame* b) { return a->when < b->when; });
  const auto steady_now = clock::now();
  const auto wall_now = std::chrono::system_clock::now();
  for (const auto* f : ordered) {
    pcap_pkthdr h{};
    h.ts = wall_time(f->when, steady_now, wall_now);
    h.caplen = h.len = static_cast<bpf_u_int32>(f->bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(out.get()), &h, f->bytes.data());
  }
  if (pcap_dump_flush(out.get()) != 0) {
    why = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace touchstone::conformance
