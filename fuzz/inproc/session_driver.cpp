// The in-process connection driver and its per-PDU oracles (session_driver.hpp).
#include "session_driver.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/serial.hpp"
#include "touchstone/pdu/validate.hpp"

namespace touchstone::fuzz::inproc {

using pdu::opcode;

void oracle(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "target_session oracle failed: %s\n", what);
  std::abort();
}

std::shared_ptr<target::target_node> make_node(const ts::scenario& s) {
  auto node = std::make_shared<target::target_node>();
  auto& c = node->config;
  c.portals = {"127.0.0.1:3260"};
  if (s.chap) c.chap = target::chap_account{std::string(ts::chap_user), std::string(ts::chap_secret)};
  c.limits.max_recv_data_segment_length = ts::target_mrdsl;
  c.limits.first_burst_length = 16384;
  c.limits.max_burst_length = 65536;
  c.limits.immediate_data = s.immediate_data;
  c.limits.initial_r2t = s.initial_r2t;
  c.limits.queue_depth = s.queue_depth;
  c.limits.header_digest = s.header_digest ? "CRC32C" : "None,CRC32C";
  c.limits.data_digest = s.data_digest ? "CRC32C" : "None,CRC32C";
  // The SCSI command table is configuration, never written after set-up:
  // every device server shares the one built-in table (registering every
  // command family per input was 5% of the run time, copying it 2.5%).
  node->devices = std::make_shared<scsi::device_server>();
  scsi::lu_config lu;
  lu.lun = 0;
  node->devices->add_lu(std::make_shared<scsi::logical_unit>(
      lu, std::shared_ptr<scsi::block_store>(scsi::make_memory_store(512, ts::lu_blocks))));
  return node;
}

namespace {

bool carries_window(opcode op) {
  switch (op) {
    case opcode::nop_in: case opcode::scsi_response: case opcode::task_mgmt_response:
    case opcode::text_response: case opcode::data_in: case opcode::logout_response:
    case opcode::r2t: case opcode::async_message: case opcode::reject:
      return true;
    default:
      return false;  // a login response numbers the login request's CmdSN
  }
}

// Re-framed with the digests it was sent with, the PDU comes back unchanged.
void check_frames(const pdu::pdu& p, pdu::digest_config digests) {
  const auto bytes = pdu::encode(p, digests);
  pdu::framer f{pdu::framer_limits{digests, 1u << 24}};
  const auto r = f.decode(pdu::bytes_view(bytes));
  oracle(r.status == pdu::frame_status::done && r.consumed == bytes.size(),
         "a sent PDU does not frame");
  oracle(f.take() == p, "a sent PDU's lengths disagree with its segments");
}

}  // namespace

session_driver::session_driver(const ts::scenario& s, std::shared_ptr<target::target_node> node,
                               target::clock::time_point* clock)
    : s_(s), node_(std::move(node)), now_(clock ? clock : &own_clock_), stat_sn_(s.initial_stat_sn) {
  conn_.emplace(node_, target::connection_info{"127.0.0.1:3260", "fuzz", s.initial_stat_sn}, *now_);
  // Called by the session directory (under its lock) when another
  // connection ends this one's session or replaces it: noted only.
  conn_->set_waker([this] { woken_ = true; });
  if (s.pings) conn_->set_nop_ping(std::chrono::milliseconds(1000), std::chrono::milliseconds(2000));
  framer_.set_limits(conn_->receive_limits());
}

session_driver::session_driver(const session_driver& from, std::shared_ptr<target::target_node> node)
    : s_(from.s_),
      node_(std::move(node)),
      framer_(from.framer_),
      own_clock_(*from.now_),
      now_(&own_clock_),
      woken_(from.woken_),
      stat_sn_(from.stat_sn_),
      closed_(from.closed_),
      held_(from.held_),
      last_sent_(from.last_sent_),
      residuals_(from.residuals_) {
  conn_.emplace(*from.conn_, node_, [this] { woken_ = true; });
}

void session_driver::feed(pdu::pdu p) {
  auto held = std::move(held_);
  held_.clear();
  last_sent_.clear();
  residuals_.on_command(p);
  conn_->on_pdu(std::move(p), *now_);
  step();
  // Deferred mode: the jobs of the previous step finish after this PDU.
  for (auto& j : held) complete(j);
  step();
  framer_.set_limits(conn_->receive_limits());
}

void session_driver::frame_error(pdu::frame_error e, pdu::pdu partial) {
  last_sent_.clear();
  // A command with a data digest error arrives whole and may be answered.
  residuals_.on_command(partial);
  conn_->on_frame_error(e, std::move(partial));
  step();
  framer_.set_limits(conn_->receive_limits());
}

void session_driver::finish() {
  settle();
  // Long enough for the ping timeout, the login timeout and a logout deadline.
  for (int seconds : {5, 40, 100}) age(seconds);
  close_transport();
  oracle(node_->sessions.count() == 0, "a session outlives its only connection");
}

void session_driver::settle() {
  s_.defer_jobs = false;
  for (auto& j : held_) complete(j);
  held_.clear();
  step();
}

void session_driver::age(int seconds) {
  *now_ += std::chrono::seconds(seconds);
  step();
}

void session_driver::close_transport() {
  conn_->on_transport_closed();
  step();
  conn_.reset();
}

void session_driver::poll() {
  last_sent_.clear();
  drain();
  framer_.set_limits(conn_->receive_limits());
}

void session_driver::complete(target::execute_scsi& j) {
  conn_->on_scsi_done(j.job, node_->devices->execute(j.nexus, j.request()));
}

void session_driver::step() {
  *now_ += std::chrono::milliseconds(100);
  drain();
}

void session_driver::drain() {
  conn_->on_tick(*now_);
  for (auto actions = conn_->take_actions(); !actions.empty(); actions = conn_->take_actions()) {
    for (auto& a : actions) {
      if (auto* sp = std::get_if<target::send_pdu>(&a)) {
        check_sent(sp->pdu, sp->digests);
        if (transcript_) transcript_->push_back(sp->pdu);
        last_sent_.push_back(std::move(sp->pdu));
      } else if (auto* j = std::get_if<target::execute_scsi>(&a)) {
        if (s_.defer_jobs) {
          held_.push_back(std::move(*j));
          continue;
        }
        complete(*j);
      } else if (std::get_if<target::close_connection>(&a)) {
        closed_ = true;
      }
    }
  }
  check_bounds();
}

void session_driver::check_sent(const pdu::pdu& p, pdu::digest_config digests) {
  oracle(!closed_, "a PDU after close_connection");
  for (const auto& v : pdu::validate(p)) {
    if (v.level == pdu::severity::should) continue;
    std::fprintf(stderr, "opcode %#x: %.*s (%.*s)\n", static_cast<unsigned>(p.op()),
                 static_cast<int>(v.requirement.size()), v.requirement.data(),
                 static_cast<int>(v.summary.size()), v.summary.data());
    oracle(false, "the target emitted a PDU the validator refuses");
  }
  check_frames(p, digests);
  check_stat_sn(p);
  if (carries_window(p.op())) {
    const pdu::serial exp{p.header().u32(28)};
    const pdu::serial max{p.header().u32(32)};
    //= rfc7143#section-4.2.2.1 type=test
    //# The target MUST NOT transmit a MaxCmdSN that is less than
    //# ExpCmdSN - 1.
    oracle(max + 1 >= exp, "MaxCmdSN below ExpCmdSN - 1");
  }
  if (const auto departure = residuals_.on_sent(p); !departure.empty()) {
    std::fprintf(stderr, "ITT %#x: %s\n", p.header().initiator_task_tag(), departure.c_str());
    oracle(false, "Residual Count or U/O bits disagree with EDTL and the data moved (11.4.5)");
  }
}

void session_driver::check_stat_sn(const pdu::pdu& p) {
  const auto h = p.header();
  bool advances = true;
  switch (p.op()) {
    case opcode::data_in:
      //= rfc7143#section-11.7.3 type=test
      //# The fields StatSN, Status, and Residual Count only have meaningful
      //# content if the S bit is set to 1.
      if ((h.flags() & 0x01) == 0) return;
      break;
    case opcode::r2t:
      //= rfc7143#section-11.8.3 type=test
      //# The StatSN for this connection is not advanced after this PDU is sent.
      advances = false;
      break;
    case opcode::nop_in:
      //= rfc7143#section-11.19.2 type=test
      //# when the Initiator Task Tag is set to 0xffffffff, the StatSN for the
      //# connection is not advanced after this PDU is sent.
      advances = h.initiator_task_tag() != pdu::reserved_tag;
      break;
    case opcode::login_response:
      // A login reject ends the connection: nothing follows to number.
      advances = pdu::login_response_view(p).status() == pdu::login_status::success;
      break;
    default:
      break;
  }
  //= rfc7143#section-11.13.4 type=test
  //# The next response of any kind -- including the next Login Response, if
  //# any, in the same Login Phase -- will carry this number + 1.
  oracle(h.u32(24) == stat_sn_, "StatSN is not the next one");
  if (advances) ++stat_sn_;
  check_segment_size(p);
}

void session_driver::check_segment_size(const pdu::pdu& p) {
  //= rfc7143#section-6.3 type=test
  //# The default MaxRecvDataSegmentLength is used during login.
  std::uint32_t limit = 8192;
  const auto ph = conn_->current_phase();
  if (p.op() != opcode::login_response &&
      (ph == target::phase::ffp_normal || ph == target::phase::ffp_discovery))
    limit = conn_->parameters().max_send_data_segment_length;
  //= rfc7143#section-13.12 type=test
  //# the maximum data segment length in bytes it can receive in an iSCSI PDU
  oracle(p.data.size() <= limit, "a data segment beyond the initiator's MaxRecvDataSegmentLength");
}

void session_driver::check_bounds() {
  if (!conn_) return;
  const std::size_t depth = conn_->queue_depth();
  // Non-immediate tasks hold window slots; one immediate SCSI command more.
  oracle(conn_->task_count() <= depth + 1, "more tasks than the queue depth allows");
  oracle(conn_->queued_command_count() <= depth, "more queued commands than the window");
}

}  // namespace touchstone::fuzz::inproc
