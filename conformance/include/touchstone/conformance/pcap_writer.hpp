// Captures of what a case exchanged, for Wireshark: every connection the
// engine recorded (each write and read, in order, with its time) becomes a
// TCP stream of Ethernet/IPv4/TCP frames with a three-way handshake, correct
// lengths and checksums, sequence and acknowledgement numbers per direction,
// and the real ports, so `tshark -d tcp.port==PORT,iscsi` reassembles and
// names the iSCSI PDUs. Written through libpcap (pcap_open_dead + pcap_dump).
//
// This is the product version of the hand-built capture in
// pdu/tests/interop/tcp_capture.*: several connections per file, real
// timestamps and ports, payloads split into segments an IPv4 frame can hold.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "touchstone/conformance/connection.hpp"

namespace touchstone::conformance {

struct ipv4_pair {
  std::uint32_t initiator = 0x7f000001;  // 127.0.0.1
  std::uint32_t target = 0x7f000001;
};

// The addresses a capture shows for a target at `host`: the host itself when
// it is a dotted IPv4 address, else 192.0.2.1 -> 192.0.2.2 (RFC 5737).
ipv4_pair capture_addresses(const std::string& host);

class pcap_capture {
 public:
  // Largest TCP payload per frame (a recorded read or write is split).
  static constexpr std::size_t max_segment = 16384;

  // One TCP connection: handshake at its first chunk, then its chunks.
  void add_connection(const std::vector<traffic_chunk>& traffic, std::uint16_t initiator_port,
                      std::uint16_t target_port, ipv4_pair addresses = {});

  std::size_t frames() const { return frames_.size(); }
  std::size_t connections() const { return connections_; }

  // Writes every frame, in time order (DLT_EN10MB); false and why on failure.
  bool write(const std::string& path, std::string& why) const;

 private:
  struct frame {
    clock::time_point when;
    std::vector<std::uint8_t> bytes;
  };
  std::vector<frame> frames_;
  std::size_t connections_ = 0;
};

}  // namespace touchstone::conformance
