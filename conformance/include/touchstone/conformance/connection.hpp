// One TCP connection to a target, synchronous with a deadline on every wait:
// standalone Asio driven by run_until(), so a silent or vanished target gives
// an observation (timeout, closed), never a hang. Bytes go out exactly as given
// (send_bytes) or encoded with the digests in force (send); bytes come in
// through the pdu framer. Every byte either way is kept in the traffic record.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "touchstone/conformance/observation.hpp"
#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/pdu.hpp"

namespace touchstone::conformance {

struct endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3260;
};

// How a side ended the TCP connection, as far as the engine saw it.
enum class tcp_end : std::uint8_t { none, fin, rst };

// One write or read of the connection, for captures and reports; or, with
// no bytes, the end of one side (a FIN or a reset), so a capture shows how
// the connection ended.
struct traffic_chunk {
  clock::time_point when;
  bool from_initiator = true;
  pdu::byte_buffer bytes;
  tcp_end end = tcp_end::none;
};

// Whether a send or read error says the target ended the connection (a
// reset, a broken pipe, end of stream). Compare with asio's own codes: asio
// 1.22's system category maps no code to std::errc (its mapping hangs on
// ASIO_HAS_STD_ERROR_CODE, which nothing defines), so ec == std::errc::...
// is false for its errors.
bool ended_by_target(const std::error_code& ec);

class connection {
 public:
  connection();
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  std::error_code connect(const endpoint& where, deadline until);
  bool is_open() const;
  void close();

  // Encodes p with the digests in force and sends it whole.
  std::error_code send(const pdu::pdu& p, deadline until);
  // Sends raw bytes: corrupted digests, truncated PDUs, anything.
  std::error_code send_bytes(pdu::bytes_view bytes, deadline until);
  // The bytes send(p) would write, for a case to alter before send_bytes.
  pdu::byte_buffer encode(const pdu::pdu& p) const;

  // The next PDU of the stream, or why there is none.
  observation receive(deadline until);

  // Digests for what we send, and the framer limits for what we receive
  // (applied from the next PDU boundary).
  void set_send_digests(pdu::digest_config d) { send_digests_ = d; }
  pdu::digest_config send_digests() const { return send_digests_; }
  void set_receive_limits(pdu::framer_limits limits) { framer_.set_limits(limits); }

  const std::vector<traffic_chunk>& traffic() const { return traffic_; }
  // The traffic record, moved out (the connection's is left empty).
  std::vector<traffic_chunk> take_traffic() { return std::move(traffic_); }
  // Whether bytes are recorded in traffic() (default yes; a caller that
  // never reads the record saves a copy of every byte).
  void set_record_traffic(bool on) { record_traffic_ = on; }
  // Local and remote ports, for captures.
  std::uint16_t local_port() const { return local_port_; }
  std::uint16_t remote_port() const { return remote_port_; }

 private:
  struct io;
  std::error_code read_more(deadline until);
  // Moves the unframed bytes to the front and makes room for one read.
  void make_room();
  // After the connect's outcome: closes on failure, else sets TCP_NODELAY
  // and notes the ports.
  std::error_code finish_connect(std::error_code ec);
  // Records a side's end once (traffic_chunk::end).
  void note_end(bool from_initiator, tcp_end how);
  std::optional<observation> frame_buffered();

  std::unique_ptr<io> io_;
  pdu::framer framer_;
  pdu::digest_config send_digests_;
  // Received bytes: [pending_offset_, pending_end_) are not framed yet; a
  // read fills the space after them. Allocated once (grown only for a PDU
  // longer than a read), never zero-filled: reads land here, not in a
  // buffer of their own copied over.
  std::unique_ptr<std::uint8_t[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t pending_offset_ = 0;
  std::size_t pending_end_ = 0;
  bool record_traffic_ = true;
  bool stream_broken_ = false;
  bool peer_closed_ = false;
  std::error_code write_ended_;  // a write found the target had ended it
  std::string close_detail_;
  std::vector<traffic_chunk> traffic_;
  bool initiator_ended_ = false;
  bool target_ended_ = false;
  std::uint16_t local_port_ = 0;
  std::uint16_t remote_port_ = 0;
};

}  // namespace touchstone::conformance
