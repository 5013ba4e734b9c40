// Fuzz the reference target's sans-I/O connection core (login, CHAP, Full
// Feature Phase, data transfer, TMF, text, logout) in-process, no sockets.
//
// Input: a 4-byte scenario header, then the stream (fuzz/target_session.hpp
// documents the bits). The stream is either raw bytes for the framer or, in
// chunked mode, BHS+AHS+data chunks the harness encodes with the digests in
// force (so a fuzzed PDU gets past CRC32C). Optionally a well-formed login
// (CHAP included) runs first so the stream lands in the Full Feature Phase.
//
// Oracles, on every PDU the target emits and after every step:
//  - pdu::validate finds no protocol error and no reserved field set;
//  - the PDU re-frames to itself (lengths consistent) and its data segment
//    fits the initiator's MaxRecvDataSegmentLength;
//  - StatSN: the next value on every status-bearing PDU, advanced by one;
//  - MaxCmdSN >= ExpCmdSN - 1 (serial arithmetic);
//  - tasks held <= queue depth + 1 immediate, queued commands <= depth;
//  - once the connection is gone the node holds no session.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "target_session.hpp"
#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/chap.hpp"
#include "touchstone/pdu/serial.hpp"
#include "touchstone/pdu/text.hpp"
#include "touchstone/pdu/validate.hpp"
#include "touchstone/target/connection.hpp"

namespace {

using namespace touchstone;
using pdu::opcode;
namespace ts = touchstone::fuzz::target_session;

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
  node->devices = std::make_shared<scsi::device_server>();
  scsi::lu_config lu;
  lu.lun = 0;
  node->devices->add_lu(std::make_shared<scsi::logical_unit>(
      lu, std::shared_ptr<scsi::block_store>(scsi::make_memory_store(512, ts::lu_blocks))));
  return node;
}

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

class harness {
 public:
  harness(const ts::scenario& s, std::shared_ptr<target::target_node> node)
      : s_(s), node_(std::move(node)), stat_sn_(s.initial_stat_sn) {
    conn_.emplace(node_, target::connection_info{"127.0.0.1:3260", "fuzz", s.initial_stat_sn}, now_);
    if (s.pings) conn_->set_nop_ping(std::chrono::milliseconds(1000), std::chrono::milliseconds(2000));
  }

  target::connection& core() { return *conn_; }
  bool closed() const { return closed_; }
  std::uint32_t expected_stat_sn() const { return stat_sn_; }
  const std::vector<pdu::pdu>& last_sent() const { return last_sent_; }

  void feed(pdu::pdu p) {
    auto held = std::move(held_);
    held_.clear();
    last_sent_.clear();
    conn_->on_pdu(std::move(p), now_);
    step();
    // Deferred mode: the jobs of the previous step finish after this PDU.
    for (auto& j : held) conn_->on_scsi_done(j.job, node_->devices->execute(j.nexus, j.request()));
    step();
  }
  void frame_error(pdu::frame_error e, pdu::pdu partial) {
    last_sent_.clear();
    conn_->on_frame_error(e, std::move(partial));
    step();
  }

  // The end of the connection: jobs finish, time passes, the peer goes away.
  void finish() {
    s_.defer_jobs = false;
    for (auto& j : held_) conn_->on_scsi_done(j.job, node_->devices->execute(j.nexus, j.request()));
    held_.clear();
    step();
    // Long enough for the ping timeout, the login timeout and a logout deadline.
    for (int seconds : {5, 40, 100}) {
      now_ += std::chrono::seconds(seconds);
      step();
    }
    conn_->on_transport_closed();
    step();
    conn_.reset();
    oracle(node_->sessions.count() == 0, "a session outlives its only connection");
  }

 private:
  void step() {
    now_ += std::chrono::milliseconds(100);
    conn_->on_tick(now_);
    for (auto actions = conn_->take_actions(); !actions.empty(); actions = conn_->take_actions()) {
      for (auto& a : actions) {
        if (auto* sp = std::get_if<target::send_pdu>(&a)) {
          check_sent(sp->pdu, sp->digests);
          last_sent_.push_back(std::move(sp->pdu));
        } else if (auto* j = std::get_if<target::execute_scsi>(&a)) {
          if (s_.defer_jobs) {
            held_.push_back(std::move(*j));
            continue;
          }
          conn_->on_scsi_done(j->job, node_->devices->execute(j->nexus, j->request()));
        } else if (std::get_if<target::close_connection>(&a)) {
          closed_ = true;
        }
      }
    }
    check_bounds();
  }

  void check_sent(const pdu::pdu& p, pdu::digest_config digests) {
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
      //# MaxCmdSN ... ExpCmdSN - 1 ... the queue is empty
      oracle(max + 1 >= exp, "MaxCmdSN below ExpCmdSN - 1");
    }
  }

  // Re-framed with the digests it was sent with, the PDU comes back unchanged.
  static void check_frames(const pdu::pdu& p, pdu::digest_config digests) {
    const auto bytes = pdu::encode(p, digests);
    pdu::framer f{pdu::framer_limits{digests, 1u << 24}};
    const auto r = f.decode(pdu::bytes_view(bytes));
    oracle(r.status == pdu::frame_status::done && r.consumed == bytes.size(),
           "a sent PDU does not frame");
    oracle(f.take() == p, "a sent PDU's lengths disagree with its segments");
  }

  void check_stat_sn(const pdu::pdu& p) {
    const auto h = p.header();
    bool advances = true;
    switch (p.op()) {
      case opcode::data_in:
        //= rfc7143#section-11.7.4 type=test
        //# StatSN ... only when the S bit is set to 1
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

  void check_segment_size(const pdu::pdu& p) {
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

  void check_bounds() {
    if (!conn_) return;
    const std::size_t depth = conn_->queue_depth();
    // Non-immediate tasks hold window slots; one immediate SCSI command more.
    oracle(conn_->task_count() <= depth + 1, "more tasks than the queue depth allows");
    oracle(conn_->queued_command_count() <= depth, "more queued commands than the window");
  }

  ts::scenario s_;
  std::shared_ptr<target::target_node> node_;
  std::optional<target::connection> conn_;
  target::clock::time_point now_{};
  std::uint32_t stat_sn_;
  bool closed_ = false;
  std::vector<target::execute_scsi> held_;
  std::vector<pdu::pdu> last_sent_;
};

pdu::text_pairs response_text(const harness& h) {
  oracle(!h.last_sent().empty() && h.last_sent().back().op() == opcode::login_response,
         "no login response to the login prefix");
  auto r = pdu::parse_text(pdu::bytes_view(h.last_sent().back().data));
  oracle(r.has_value(), "the login response text does not parse");
  return *r;
}

const std::string* find(const pdu::text_pairs& pairs, std::string_view key) {
  for (const auto& kv : pairs)
    if (kv.key == key) return &kv.value;
  return nullptr;
}

pdu::pdu login_pdu(const ts::scenario& s, std::uint32_t exp_stat_sn, pdu::login_stage csg,
                   std::optional<pdu::login_stage> next, const pdu::text_pairs& pairs) {
  pdu::login_request_builder b;
  b.csg(csg).isid(ts::isid).initiator_task_tag(ts::login_itt).cmd_sn(s.cmd_sn).cid(1)
      .exp_stat_sn(exp_stat_sn).data(pdu::encode_text(pairs));
  if (next) b.transit_to(*next);
  return b.build();
}

// The well-formed login: CHAP when the node requires it, then the operational
// keys the scenario asks for, ending in the Full Feature Phase.
void login_prefix(harness& h, const ts::scenario& s) {
  using pdu::login_stage;
  pdu::text_pairs names{{"InitiatorName", std::string(ts::initiator_name)},
                        {"SessionType", s.discovery ? "Discovery" : "Normal"}};
  if (!s.discovery) names.push_back({"TargetName", std::string(target::default_iqn)});
  auto stat = [&] { return h.expected_stat_sn(); };
  if (s.chap) {
    names.push_back({"AuthMethod", "CHAP"});
    h.feed(login_pdu(s, stat(), login_stage::security_negotiation, login_stage::operational_negotiation, names));
    h.feed(login_pdu(s, stat(), login_stage::security_negotiation, std::nullopt, {{"CHAP_A", "5"}}));
    const auto challenge = response_text(h);
    const auto* id = find(challenge, "CHAP_I");
    const auto* c = find(challenge, "CHAP_C");
    oracle(id && c, "no CHAP challenge");
    const auto ident = pdu::parse_chap_identifier(*id);
    const auto bytes = pdu::parse_chap_binary(*c);
    oracle(ident && bytes, "a CHAP challenge that does not parse");
    const std::string_view secret = ts::chap_secret;
    const auto r = pdu::chap_response(
        *ident, pdu::bytes_view(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size()),
        *bytes);
    oracle(r.has_value(), "MD5 failed");
    h.feed(login_pdu(s, stat(), login_stage::security_negotiation, login_stage::operational_negotiation,
                     {{"CHAP_N", std::string(ts::chap_user)}, {"CHAP_R", pdu::encode_chap_binary(*r)}}));
    names.clear();
  }
  pdu::text_pairs keys = names;
  keys.push_back({"HeaderDigest", s.header_digest ? "CRC32C" : "None"});
  keys.push_back({"DataDigest", s.data_digest ? "CRC32C" : "None"});
  keys.push_back({"MaxRecvDataSegmentLength", std::to_string(ts::initiator_mrdsl)});
  if (!s.discovery) {
    keys.push_back({"ImmediateData", s.immediate_data ? "Yes" : "No"});
    keys.push_back({"InitialR2T", s.initial_r2t ? "Yes" : "No"});
    keys.push_back({"FirstBurstLength", "8192"});
    keys.push_back({"MaxBurstLength", "32768"});
  }
  h.feed(login_pdu(s, stat(), login_stage::operational_negotiation, login_stage::full_feature_phase, keys));
  const auto ph = h.core().current_phase();
  oracle(ph == (s.discovery ? target::phase::ffp_discovery : target::phase::ffp_normal),
         "the well-formed login did not reach the Full Feature Phase");
}

bool numbered(opcode op) {
  return op == opcode::scsi_command || op == opcode::nop_out || op == opcode::text_request ||
         op == opcode::task_mgmt_request || op == opcode::logout_request;
}

// Auto-numbering: a command gets the CmdSN the target expects, every PDU the
// ExpStatSN it should carry, so mutations reach execution, not the window.
void renumber(pdu::pdu& p, harness& h) {
  const auto op = p.op();
  if (op == opcode::login_request) return;
  if (numbered(op)) pdu::store_be32(&p.bhs[24], h.core().exp_cmd_sn());
  if (numbered(op) || op == opcode::data_out || op == opcode::snack)
    pdu::store_be32(&p.bhs[28], h.expected_stat_sn());
}

// Feeds stream bytes through a framer with the limits the core asks for.
// False once the connection is over (closed or a fatal framing error).
bool feed_bytes(harness& h, pdu::framer& f, pdu::bytes_view in, bool auto_number) {
  while (!in.empty()) {
    const auto r = f.decode(in);
    in = in.subspan(r.consumed);
    if (r.status == pdu::frame_status::need_more) return true;
    auto p = f.take();
    if (r.status == pdu::frame_status::done) {
      if (auto_number) renumber(p, h);
      h.feed(std::move(p));
    } else {
      h.frame_error(r.error, std::move(p));
    }
    f.set_limits(h.core().receive_limits());
    if (h.closed() || f.failed()) return false;
  }
  return true;
}

// Chunked mode: BHS, AHS and data cut from the input, lengths made to match,
// then encoded with the digests in force and framed like any stream.
void feed_chunks(harness& h, pdu::framer& f, pdu::bytes_view in, bool auto_number) {
  while (in.size() >= pdu::bhs_size) {
    pdu::pdu p;
    std::copy_n(in.begin(), pdu::bhs_size, p.bhs.begin());
    in = in.subspan(pdu::bhs_size);
    const std::size_t ahs = std::min<std::size_t>(p.bhs[4] * std::size_t{4}, in.size() & ~std::size_t{3});
    p.ahs.assign(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(ahs));
    in = in.subspan(ahs);
    const std::size_t len = std::min<std::size_t>({pdu::load_be24(&p.bhs[5]), in.size(), ts::target_mrdsl});
    p.data.assign(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(len));
    in = in.subspan(len);
    p.bhs[4] = static_cast<std::uint8_t>(ahs / 4);
    pdu::store_be24(&p.bhs[5], static_cast<std::uint32_t>(len));
    if (auto_number) renumber(p, h);
    const auto bytes = pdu::encode(p, f.limits().digests);
    if (!feed_bytes(h, f, pdu::bytes_view(bytes), false)) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The core logs every violation; at fuzzing speed that is noise.
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  if (size < ts::header_size) return 0;
  const auto s = ts::decode_scenario(data);
  const pdu::bytes_view stream{data + ts::header_size, size - ts::header_size};
  harness h(s, make_node(s));
  if (s.login_prefix) login_prefix(h, s);
  if (!h.closed()) {
    pdu::framer f{h.core().receive_limits()};
    if (s.chunked)
      feed_chunks(h, f, stream, s.auto_number);
    else
      feed_bytes(h, f, stream, s.auto_number);
  }
  h.finish();
  return 0;
}
