// A pcap of one TCP connection, hand-built for tests: Ethernet + IPv4 + TCP
// headers with correct lengths, checksums and sequence numbers per direction,
// so that Wireshark reassembles the stream it carries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "touchstone/pdu/wire.hpp"

namespace touchstone::pdu::test {

enum class direction : std::uint8_t { to_target, to_initiator };

class tcp_capture {
 public:
  // Initiator 192.0.2.1:50000, target 192.0.2.2:target_port; starts with
  // the three-way handshake.
  explicit tcp_capture(std::uint16_t target_port = 3260);

  // One TCP segment (PSH|ACK) carrying payload in the given direction.
  void send(direction d, bytes_view payload);

  // Writes the frames through libpcap (DLT_EN10MB); false on failure.
  bool write(const std::string& path) const;

  std::size_t frames() const { return frames_.size(); }

 private:
  struct side {
    std::uint32_t ip;
    std::uint16_t port;
    std::uint32_t next_seq;
  };
  void segment(direction d, std::uint8_t flags, bytes_view payload);

  side initiator_;
  side target_;
  std::vector<byte_buffer> frames_;
};

}  // namespace touchstone::pdu::test
