#include "tcp_capture.hpp"

#include <pcap/pcap.h>

#include <memory>

namespace touchstone::pdu::test {
namespace {

constexpr std::size_t ethernet_size = 14;
constexpr std::size_t ipv4_size = 20;
constexpr std::size_t tcp_size = 20;
constexpr std::uint8_t tcp_syn = 0x02, tcp_ack = 0x10, tcp_psh = 0x08;

// The Internet checksum (RFC 1071) of bytes, continuing from sum.
std::uint16_t inet_checksum(bytes_view bytes, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) sum += load_be16(&bytes[i]);
  if (bytes.size() % 2) sum += std::uint32_t{bytes.back()} << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

void put_ethernet(std::uint8_t* p) {
  const std::uint8_t dst[6] = {0x02, 0, 0, 0, 0, 0x02}, src[6] = {0x02, 0, 0, 0, 0, 0x01};
  std::copy(dst, dst + 6, p);
  std::copy(src, src + 6, p + 6);
  store_be16(p + 12, 0x0800);
}

void put_ipv4(std::uint8_t* p, std::uint32_t src, std::uint32_t dst, std::size_t total) {
  p[0] = 0x45;
  store_be16(p + 2, static_cast<std::uint16_t>(total));
  store_be16(p + 6, 0x4000);  // DF
  p[8] = 64;
  p[9] = 6;  // TCP
  store_be32(p + 12, src);
  store_be32(p + 16, dst);
  store_be16(p + 10, inet_checksum({p, ipv4_size}));
}

// The TCP checksum over the pseudo-header and the segment.
std::uint16_t tcp_checksum(std::uint32_t src, std::uint32_t dst, bytes_view segment) {
  std::uint32_t sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6 +
                      static_cast<std::uint32_t>(segment.size());
  return inet_checksum(segment, sum);
}

}  // namespace

tcp_capture::tcp_capture(std::uint16_t target_port)
    : initiator_{0xc0000201, 50000, 1000}, target_{0xc0000202, target_port, 900000} {
  segment(direction::to_target, tcp_syn, {});
  segment(direction::to_initiator, tcp_syn | tcp_ack, {});
  segment(direction::to_target, tcp_ack, {});
}

void tcp_capture::send(direction d, bytes_view payload) { segment(d, tcp_psh | tcp_ack, payload); }

void tcp_capture::segment(direction d, std::uint8_t flags, bytes_view payload) {
  side& from = d == direction::to_target ? initiator_ : target_;
  const side& to = d == direction::to_target ? target_ : initiator_;
  byte_buffer f(ethernet_size + ipv4_size + tcp_size + payload.size());
  put_ethernet(f.data());
  put_ipv4(f.data() + ethernet_size, from.ip, to.ip, ipv4_size + tcp_size + payload.size());
  std::uint8_t* t = f.data() + ethernet_size + ipv4_size;
  store_be16(t, from.port);
  store_be16(t + 2, to.port);
  store_be32(t + 4, from.next_seq);
  // The ACK of a SYN from the initiator is 0; otherwise it acknowledges all.
  store_be32(t + 8, (flags & tcp_ack) ? to.next_seq : 0);
  t[12] = 5 << 4;
  t[13] = flags;
  store_be16(t + 14, 65535);
  std::copy(payload.begin(), payload.end(), t + tcp_size);
  store_be16(t + 16, tcp_checksum(from.ip, to.ip, {t, tcp_size + payload.size()}));
  from.next_seq += static_cast<std::uint32_t>(payload.size()) + ((flags & tcp_syn) ? 1 : 0);
  frames_.push_back(std::move(f));
}

bool tcp_capture::write(const std::string& path) const {
  std::unique_ptr<pcap_t, void (*)(pcap_t*)> dead(pcap_open_dead(DLT_EN10MB, 262144), pcap_close);
  if (!dead) return false;
  std::unique_ptr<pcap_dumper_t, void (*)(pcap_dumper_t*)> out(pcap_dump_open(dead.get(), path.c_str()),
                                                               pcap_dump_close);
  if (!out) return false;
  std::uint32_t usec = 0;
  for (const auto& f : frames_) {
    pcap_pkthdr h{};
    h.ts.tv_sec = 1700000000;
    h.ts.tv_usec = usec += 1000;
    h.caplen = h.len = static_cast<bpf_u_int32>(f.size());
    pcap_dump(reinterpret_cast<u_char*>(out.get()), &h, f.data());
  }
  return true;
}

}  // namespace touchstone::pdu::test
