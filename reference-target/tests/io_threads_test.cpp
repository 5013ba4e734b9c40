// Several I/O threads (server::run with io_threads > 1) over real TCP: many
// sessions write and read back in parallel while other connections come and
// go, and a session reinstated from another connection ends the old one.
// Worker threads use a small initiator that returns errors as text (Catch2
// assertions are made on the test's own thread only).
#include <atomic>
#include <thread>

#include "support.hpp"
#include "tcp_peer.hpp"
#include "touchstone/target/embedded_server.hpp"

using namespace touchstone;
using namespace touchstone::target;
using namespace touchstone::target::test;

namespace {

constexpr std::uint32_t block = 512;
constexpr std::uint16_t blocks_per_io = 8;

// A blocking initiator for worker threads: one Normal session, commands one
// at a time, every failure reported as text.
class plain_initiator {
 public:
  explicit plain_initiator(const embedded_server& s) : socket_(io_), iqn_(s.iqn()) {
    std::error_code ec;
    socket_.connect({asio::ip::make_address(s.host()), s.port()}, ec);
    if (ec) error = "connect: " + ec.message();
    const timeval guard{20, 0};  // a hung target ends the worker with an error
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    pdu::framer_limits limits;
    limits.max_recv_data_segment_length = 1u << 24;
    framer_.set_limits(limits);
  }

  bool login(std::uint64_t isid) {
    const pdu::text_pairs keys{{"InitiatorName", "iqn.2026-11.org.touchstone:threads"},
                               {"TargetName", iqn_}, {"SessionType", "Normal"},
                               {"ImmediateData", "Yes"}, {"InitialR2T", "No"}};
    pdu::login_request_builder b;
    b.csg(pdu::login_stage::operational_negotiation).transit_to(pdu::login_stage::full_feature_phase)
        .isid(isid).initiator_task_tag(0).cmd_sn(1).cid(1).data(pdu::encode_text(keys));
    if (!send(b.build())) return false;
    auto r = receive();
    if (!r || r->op() != pdu::opcode::login_response ||
        pdu::login_response_view(*r).status() != pdu::login_status::success)
      return fail("login refused");
    return true;
  }

  // One command, answered by its status (Data-In with S, or SCSI Response);
  // read data is collected. Returns the SCSI status, or nullopt on error.
  std::optional<pdu::scsi_status> command(pdu::byte_buffer cdb, pdu::byte_buffer out,
                                          std::uint32_t read_length, pdu::byte_buffer* in = nullptr) {
    pdu::scsi_command_builder b;
    b.initiator_task_tag(++itt_).cmd_sn(cmd_sn_++).cdb(std::move(cdb));
    if (!out.empty()) b.write().expected_data_transfer_length(static_cast<std::uint32_t>(out.size())).data(std::move(out));
    if (read_length > 0) b.read().expected_data_transfer_length(read_length);
    if (!send(b.build())) return std::nullopt;
    for (;;) {
      auto p = receive();
      if (!p) return std::nullopt;
      if (p->op() == pdu::opcode::scsi_response) return pdu::scsi_response_view(*p).status();
      if (p->op() != pdu::opcode::data_in) {
        fail("unexpected opcode in answer to a command");
        return std::nullopt;
      }
      if (in) in->insert(in->end(), p->data.begin(), p->data.end());
      if (pdu::data_in_view(*p).has_status()) return pdu::data_in_view(*p).status();
    }
  }

  bool logout() {
    if (!send(pdu::logout_request_builder().initiator_task_tag(++itt_).cmd_sn(cmd_sn_++).immediate().build()))
      return false;
    auto r = receive();
    if (!r || r->op() != pdu::opcode::logout_response) return fail("no Logout Response");
    return true;
  }

  std::string error;

 private:
  bool fail(std::string why) {
    if (error.empty()) error = std::move(why);
    return false;
  }
  bool send(const pdu::pdu& p) {
    const auto bytes = pdu::encode(p, {});
    std::error_code ec;
    asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
    return !ec || fail("send: " + ec.message());
  }
  std::optional<pdu::pdu> receive() {
    for (;;) {
      if (!pending_.empty()) {
        const auto step = framer_.decode(pdu::bytes_view(pending_));
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(step.consumed));
        if (step.status == pdu::frame_status::done) return framer_.take();
        if (step.status == pdu::frame_status::error) return fail("bad PDU from the target"), std::nullopt;
      }
      std::array<std::uint8_t, 65536> chunk{};
      std::error_code ec;
      const auto n = socket_.read_some(asio::buffer(chunk), ec);
      if (ec) return fail("receive: " + ec.message()), std::nullopt;
      pending_.insert(pending_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }

  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  std::string iqn_;
  pdu::framer framer_;
  pdu::byte_buffer pending_;
  std::uint32_t itt_ = 0;
  std::uint32_t cmd_sn_ = 1;
};

pdu::byte_buffer pattern(unsigned worker, unsigned round) {
  pdu::byte_buffer b(block * blocks_per_io);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(worker * 31 + round * 7 + i);
  return b;
}

// Writes and reads back its own blocks `rounds` times; returns the number
// of verified reads, or sets `error`.
unsigned write_read_worker(const embedded_server& s, unsigned worker, unsigned rounds, std::string& error) {
  plain_initiator c(s);
  if (!c.error.empty() || !c.login(0x80'0000'7000'00ULL + worker)) return error = c.error, 0;
  // The new I_T nexus reports its unit attentions first.
  for (int i = 0; i < 4 && c.command(pdu::byte_buffer(6, 0), {}, 0) != pdu::scsi_status::good; ++i) {}
  unsigned verified = 0;
  for (unsigned r = 0; r < rounds; ++r) {
    const auto lba = worker * 64 + (r % 8) * blocks_per_io;
    const auto data = pattern(worker, r);
    if (c.command(write10(lba, blocks_per_io), data, 0) != pdu::scsi_status::good)
      return error = "WRITE failed: " + c.error, verified;
    pdu::byte_buffer back;
    if (c.command(read10(lba, blocks_per_io), {}, block * blocks_per_io, &back) != pdu::scsi_status::good)
      return error = "READ failed: " + c.error, verified;
    if (back != data) return error = "read back other data at LBA " + std::to_string(lba), verified;
    ++verified;
  }
  if (!c.logout()) error = c.error;
  return verified;
}

// Connections that log in and vanish without a logout, as fast as they can.
void churn(const embedded_server& s, const std::atomic<bool>& stop, unsigned& logins) {
  for (unsigned i = 0; !stop; ++i) {
    plain_initiator c(s);
    if (c.login(0x80'0000'9000'00ULL + i % 16)) ++logins;
  }
}

std::unique_ptr<embedded_server> start(unsigned threads) {
  embedded_options o;
  o.lun_sizes = {8u << 20};
  o.io_threads = threads;
  auto started = embedded_server::start(o);
  REQUIRE(started);
  return std::move(*started);
}

}  // namespace

TEST_CASE("io threads: eight sessions write and read back in parallel while others come and go",
          "[target][transport][threads]") {
  auto server = start(4);
  constexpr unsigned workers = 8, rounds = 150;
  std::vector<std::string> errors(workers);
  std::vector<unsigned> verified(workers, 0);
  std::atomic<bool> stop_churn{false};
  unsigned churned = 0;
  std::thread churner([&] { churn(*server, stop_churn, churned); });
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w)
    threads.emplace_back([&, w] { verified[w] = write_read_worker(*server, w, rounds, errors[w]); });
  for (auto& t : threads) t.join();
  stop_churn = true;
  churner.join();
  for (unsigned w = 0; w < workers; ++w) {
    INFO("worker " << w);
    CHECK(errors[w] == "");
    CHECK(verified[w] == rounds);
  }
  CHECK(churned > 0);
  server->stop();  // every thread joins; sessions still open are closed
}

TEST_CASE("io threads: a session reinstated on another connection ends the old one",
          "[target][transport][threads][reinstatement]") {
  //= rfc7143#section-6.3.5
  //= type=test
  //# Session reinstatement is the process of an initiator logging in with an
  //# ISID that is possibly active from the target's perspective for that
  //# initiator, thus implicitly logging out the session that corresponds to the ISID
  auto server = start(4);
  tcp_peer old_session(server->host(), server->port());
  old_session.login(server->iqn(), {}, 0x80'0000'5000'01ULL);
  tcp_peer new_session(server->host(), server->port());
  new_session.login(server->iqn(), {}, 0x80'0000'5000'01ULL);
  CHECK(old_session.closed_silently());
  new_session.ping(0x55);
}
