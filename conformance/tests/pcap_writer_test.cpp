// The pcap writer: frames read back through libpcap have the handshake, the
// payload split into segments, per-direction sequence numbers that add up,
// acknowledgements of everything the other side sent, valid checksums, and
// connections interleaved by time.
#include <pcap/pcap.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "touchstone/conformance/pcap_writer.hpp"
#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/wire.hpp"

using namespace touchstone;
using namespace touchstone::conformance;

namespace {

struct tcp_frame {
  std::uint32_t src_ip, dst_ip;
  std::uint16_t src_port, dst_port;
  std::uint32_t seq, ack;
  std::uint8_t flags;
  std::vector<std::uint8_t> payload;
  bool ip_checksum_ok, tcp_checksum_ok;
};

std::uint16_t fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(sum);
}

std::uint32_t add_bytes(const std::uint8_t* p, std::size_t n, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < n; i += 2) sum += pdu::load_be16(p + i);
  if (n % 2) sum += std::uint32_t{p[n - 1]} << 8;
  return sum;
}

std::vector<tcp_frame> read_back(const std::string& path) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* in = pcap_open_offline(path.c_str(), err);
  REQUIRE(in != nullptr);
  CHECK(pcap_datalink(in) == DLT_EN10MB);
  std::vector<tcp_frame> out;
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(in, &h, &data) == 1) {
    REQUIRE(h->caplen == h->len);
    const std::uint8_t* ip = data + 14;
    const std::uint8_t* t = ip + 20;
    const std::size_t total = pdu::load_be16(ip + 2);
    REQUIRE(total + 14 == h->len);
    tcp_frame f;
    f.src_ip = pdu::load_be32(ip + 12);
    f.dst_ip = pdu::load_be32(ip + 16);
    f.src_port = pdu::load_be16(t);
    f.dst_port = pdu::load_be16(t + 2);
    f.seq = pdu::load_be32(t + 4);
    f.ack = pdu::load_be32(t + 8);
    f.flags = t[13];
    f.payload.assign(t + 20, data + h->len);
    f.ip_checksum_ok = fold(add_bytes(ip, 20)) == 0xffff;
    const auto segment = static_cast<std::uint32_t>(total - 20);
    const std::uint32_t pseudo = (f.src_ip >> 16) + (f.src_ip & 0xffff) + (f.dst_ip >> 16) +
                                 (f.dst_ip & 0xffff) + 6 + segment;
    f.tcp_checksum_ok = fold(add_bytes(t, segment, pseudo)) == 0xffff;
    out.push_back(std::move(f));
  }
  pcap_close(in);
  return out;
}

std::string temp_path() {
  char name[] = "/tmp/touchstone-pcap-XXXXXX";
  const int fd = ::mkstemp(name);
  REQUIRE(fd >= 0);
  ::close(fd);
  return name;
}

traffic_chunk chunk(clock::time_point when, bool from_initiator, std::size_t size, std::uint8_t fill) {
  return {when, from_initiator, pdu::byte_buffer(size, fill)};
}

}  // namespace

TEST_CASE("pcap: one connection with handshake, split segments and running numbers", "[conformance][pcap]") {
  const auto t0 = clock::now();
  const auto login = pdu::encode(pdu::nop_out_builder{}.immediate().initiator_task_tag(1).build());
  std::vector<traffic_chunk> traffic{{t0, true, login},
                                     chunk(t0 + std::chrono::milliseconds(1), false, 40000, 0xab),
                                     chunk(t0 + std::chrono::milliseconds(2), true, 10, 0xcd)};
  pcap_capture capture;
  capture.add_connection(traffic, 40001, 3260, capture_addresses("127.0.0.1"));
  const auto path = temp_path();
  std::string why;
  REQUIRE(capture.write(path, why));
  const auto frames = read_back(path);
  std::remove(path.c_str());

  // SYN, SYN-ACK, ACK; 48 bytes; 40000 bytes in 16384 + 16384 + 7232; 10 bytes.
  REQUIRE(frames.size() == 3 + 1 + 3 + 1);
  CHECK(frames[0].flags == 0x02);
  CHECK(frames[1].flags == 0x12);
  CHECK(frames[2].flags == 0x10);
  const auto isn_i = frames[0].seq, isn_t = frames[1].seq;
  CHECK(frames[1].ack == isn_i + 1);
  CHECK(frames[3].seq == isn_i + 1);
  CHECK(frames[3].payload == login);
  CHECK(frames[4].seq == isn_t + 1);
  CHECK(frames[4].ack == isn_i + 1 + 48);
  CHECK(frames[5].seq == isn_t + 1 + 16384);
  CHECK(frames[6].seq == isn_t + 1 + 32768);
  CHECK(frames[6].payload.size() == 40000 - 32768);
  CHECK(frames[7].seq == isn_i + 1 + 48);
  CHECK(frames[7].ack == isn_t + 1 + 40000);
  for (const auto& f : frames) {
    CHECK(f.ip_checksum_ok);
    CHECK(f.tcp_checksum_ok);
    CHECK(f.src_ip == 0x7f000001);
    CHECK((f.src_port == 40001 || f.src_port == 3260));
  }
}

TEST_CASE("pcap: connections interleave by time, each in its own order", "[conformance][pcap]") {
  const auto t0 = clock::now();
  using std::chrono::milliseconds;
  std::vector<traffic_chunk> a{chunk(t0, true, 48, 1), chunk(t0 + milliseconds(10), false, 48, 2)};
  std::vector<traffic_chunk> b{chunk(t0 + milliseconds(5), true, 48, 3)};
  pcap_capture capture;
  capture.add_connection(a, 40001, 3260);
  capture.add_connection(b, 40002, 3260);
  capture.add_connection({}, 40003, 3260);  // never connected: left out
  CHECK(capture.connections() == 2);
  const auto path = temp_path();
  std::string why;
  REQUIRE(capture.write(path, why));
  const auto frames = read_back(path);
  std::remove(path.c_str());
  REQUIRE(frames.size() == 5 + 4);
  std::vector<std::uint16_t> initiator_ports;
  for (const auto& f : frames) initiator_ports.push_back(f.src_port == 3260 ? f.dst_port : f.src_port);
  // a's handshake and first write at t0, b's at t0+5 ms, a's answer at t0+10 ms.
  CHECK(initiator_ports ==
        std::vector<std::uint16_t>{40001, 40001, 40001, 40001, 40002, 40002, 40002, 40002, 40001});
  CHECK(frames[4].src_port == 40002);
  CHECK(frames[4].flags == 0x02);
}

TEST_CASE("pcap: addresses shown for a target host", "[conformance][pcap]") {
  CHECK(capture_addresses("127.0.0.1").target == 0x7f000001);
  CHECK(capture_addresses("127.0.0.1").initiator == 0x7f000001);
  CHECK(capture_addresses("10.1.2.3").target == 0x0a010203);
  CHECK(capture_addresses("10.1.2.3").initiator == 0xc0000201);
  CHECK(capture_addresses("target.example").target == 0xc0000202);
  CHECK(capture_addresses("::1").target == 0xc0000202);
}

TEST_CASE("pcap: an unwritable path is a reason, not a crash", "[conformance][pcap]") {
  pcap_capture capture;
  capture.add_connection({chunk(clock::now(), true, 48, 0)}, 40001, 3260);
  std::string why;
  CHECK_FALSE(capture.write("/nonexistent-dir/x.pcap", why));
  CHECK_FALSE(why.empty());
}

TEST_CASE("pcap: a connection's end shows as the FIN or reset each side sent", "[conformance][pcap]") {
  const auto t0 = clock::now();
  using std::chrono::milliseconds;
  const bool reset = GENERATE(false, true);
  CAPTURE(reset);
  std::vector<traffic_chunk> traffic{chunk(t0, true, 48, 1), chunk(t0 + milliseconds(1), false, 48, 2),
                                     {t0 + milliseconds(2), false, {}, reset ? tcp_end::rst : tcp_end::fin}};
  if (!reset) traffic.push_back({t0 + milliseconds(3), true, {}, tcp_end::fin});
  pcap_capture capture;
  capture.add_connection(traffic, 40001, 3260);
  const auto path = temp_path();
  std::string why;
  REQUIRE(capture.write(path, why));
  const auto frames = read_back(path);
  std::remove(path.c_str());
  // Handshake, 2 data frames, then the target's FIN (and ours) or its RST.
  REQUIRE(frames.size() == (reset ? 6u : 7u));
  CHECK(frames[5].src_port == 3260);
  CHECK(frames[5].flags == (reset ? 0x14 : 0x11));
  CHECK(frames[5].seq == frames[1].seq + 1 + 48);
  if (!reset) {
    CHECK(frames[6].src_port == 40001);
    CHECK(frames[6].flags == 0x11);
    CHECK(frames[6].ack == frames[5].seq + 1);  // the FIN took a sequence number
  }
  for (const auto& f : frames) CHECK(f.tcp_checksum_ok);
}
