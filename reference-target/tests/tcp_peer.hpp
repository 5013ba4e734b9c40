// A small blocking iSCSI initiator over a real TCP socket for the negative
// tests: sends PDUs built with pdu/ (or raw bytes), frames what the target
// answers, and logs in a Normal or Discovery session in one step. A receive
// timeout guards against a hung target only; no assertion depends on time.
#pragma once

#include <asio.hpp>
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>

#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/text.hpp"

namespace touchstone::target::test {

class tcp_peer {
 public:
  // `from`: the local address to connect from ("127.0.0.2": another source
  // address on loopback); empty: the system's choice.
  tcp_peer(const std::string& host, std::uint16_t port, const std::string& from = "") : socket_(io_) {
    std::error_code ec;
    const auto to = asio::ip::make_address(host);
    if (!from.empty()) {
      socket_.open(to.is_v4() ? asio::ip::tcp::v4() : asio::ip::tcp::v6(), ec);
      if (!ec) socket_.bind({asio::ip::make_address(from), 0}, ec);
      REQUIRE_FALSE(ec);
    }
    socket_.connect({to, port}, ec);
    REQUIRE_FALSE(ec);
    const timeval guard{20, 0};  // a hung target fails the test instead of hanging it
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    limits_.max_recv_data_segment_length = 1u << 24;
    framer_.set_limits(limits_);
  }

  // Encodes with the digests in force (both directions use the same).
  void send(const pdu::pdu& p) { send_raw(encode(p)); }
  pdu::byte_buffer encode(const pdu::pdu& p) const { return pdu::encode(p, limits_.digests); }
  void send_raw(pdu::bytes_view bytes) {
    std::error_code ec;
    asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
    REQUIRE_FALSE(ec);
  }

  // The next PDU from the target; nullopt once the target closed (or reset) the connection.
  std::optional<pdu::pdu> receive() {
    for (;;) {
      while (!pending_.empty()) {
        const auto step = framer_.decode(pdu::bytes_view(pending_));
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(step.consumed));
        if (step.status == pdu::frame_status::done) return framer_.take();
        REQUIRE(step.status != pdu::frame_status::error);
        if (step.consumed == 0) break;
      }
      std::array<std::uint8_t, 65536> chunk{};
      std::error_code ec;
      const auto n = socket_.read_some(asio::buffer(chunk), ec);
      // A thread that tore down an io_uring ring (a file LUN's, in process)
      // sees one timed read interrupted by the ring's leftover task work.
      if (ec == asio::error::interrupted) continue;
      if (ec == asio::error::eof || ec == asio::error::connection_reset) return std::nullopt;
      REQUIRE_FALSE(ec);  // the timeout guard: the target neither answered nor closed
      pending_.insert(pending_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }
  pdu::pdu expect() {
    auto p = receive();
    REQUIRE(p.has_value());
    track_stat_sn(*p);
    return std::move(*p);
  }
  // The next StatSN after the statuses received: what an initiator's
  // ExpStatSN acknowledges (an ABORT TASK SET's response waits for it).
  std::uint32_t exp_stat_sn = 0;
  // True if the target has sent something not yet received (never waits).
  bool has_input() {
    std::error_code ec;
    return !pending_.empty() || socket_.available(ec) > 0;
  }
  // True when the target closes the connection without sending anything more.
  bool closed_silently() { return !receive().has_value(); }

  // A one-step login (CSG operational, T=1 to the Full Feature Phase) with
  // CmdSN 1; digests negotiated in it apply from the next PDU on.
  pdu::pdu login(const std::string& target, pdu::text_pairs extra = {}, std::uint64_t isid = 0x80000000001ULL) {
    pdu::text_pairs keys{{"InitiatorName", "iqn.2026-11.org.touchstone:negative"}};
    if (target.empty()) keys.push_back({"SessionType", "Discovery"});
    else keys.insert(keys.end(), {{"TargetName", target}, {"SessionType", "Normal"}});
    keys.insert(keys.end(), extra.begin(), extra.end());
    pdu::login_request_builder b;
    b.csg(pdu::login_stage::operational_negotiation).transit_to(pdu::login_stage::full_feature_phase)
        .isid(isid).initiator_task_tag(0).cmd_sn(1).cid(1).data(pdu::encode_text(keys));
    send(b.build());
    auto r = expect();
    REQUIRE(r.op() == pdu::opcode::login_response);
    const pdu::login_response_view v(r);
    REQUIRE(v.status() == pdu::login_status::success);
    REQUIRE(v.is_final_response());
    const auto answers = pdu::parse_text(pdu::bytes_view(r.data));
    REQUIRE(answers);
    for (const auto& kv : *answers) {
      if (kv.key == "HeaderDigest") limits_.digests.header = kv.value == "CRC32C";
      if (kv.key == "DataDigest") limits_.digests.data = kv.value == "CRC32C";
    }
    framer_.set_limits(limits_);
    cmd_sn = 1;
    return r;
  }

  // A ping (immediate NOP-Out) answered by the NOP-In with its ITT: proof the
  // target is still reading this connection and answered nothing in between.
  void ping(std::uint32_t itt) {
    send(pdu::nop_out_builder().initiator_task_tag(itt).cmd_sn(cmd_sn).exp_stat_sn(exp_stat_sn).immediate().build());
    const auto echo = expect();
    REQUIRE(echo.op() == pdu::opcode::nop_in);
    CHECK(echo.header().initiator_task_tag() == itt);
  }

  pdu::digest_config digests() const { return limits_.digests; }

  std::uint32_t cmd_sn = 1;

 private:
  void track_stat_sn(const pdu::pdu& p) {
    using pdu::opcode;
    const auto h = p.header();
    const bool status = p.op() == opcode::scsi_response || p.op() == opcode::task_mgmt_response ||
                        p.op() == opcode::text_response || p.op() == opcode::login_response ||
                        p.op() == opcode::logout_response || p.op() == opcode::reject ||
                        p.op() == opcode::async_message ||
                        (p.op() == opcode::nop_in && h.initiator_task_tag() != pdu::reserved_tag) ||
                        (p.op() == opcode::data_in && (p.bhs[1] & 0x01) != 0);
    if (status) exp_stat_sn = h.u32(24) + 1;
  }

  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  pdu::framer framer_;
  pdu::framer_limits limits_;
  pdu::byte_buffer pending_;
};

// The status of a command: from the Data-In carrying it or the SCSI Response.
inline pdu::pdu final_pdu(tcp_peer& p) {
  for (;;) {
    auto in = p.expect();
    if (in.op() == pdu::opcode::scsi_response) return in;
    REQUIRE(in.op() == pdu::opcode::data_in);
    if (pdu::data_in_view(in).has_status()) return in;
  }
}
inline pdu::scsi_status status_of(const pdu::pdu& p) {
  return p.op() == pdu::opcode::data_in ? pdu::data_in_view(p).status() : pdu::scsi_response_view(p).status();
}

// The first commands of a new I_T nexus report its unit attentions (POWER ON
// OCCURRED and the like): TEST UNIT READY until GOOD.
inline void clear_unit_attentions(tcp_peer& p) {
  for (std::uint32_t i = 0; i < 4; ++i) {
    p.send(pdu::scsi_command_builder().initiator_task_tag(0x100 + i).cmd_sn(p.cmd_sn++)
               .cdb(pdu::byte_buffer(6, 0)).build());
    if (status_of(final_pdu(p)) == pdu::scsi_status::good) return;
  }
  FAIL("TEST UNIT READY never came back GOOD");
}

}  // namespace touchstone::target::test
