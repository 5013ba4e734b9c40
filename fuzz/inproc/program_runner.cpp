// A session program run in-process (program_runner.hpp), one step at a time
// (program_session.hpp).
#include "touchstone/fuzz/inproc/program_runner.hpp"

#include "program_session.hpp"
#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz::inproc {
namespace {

// The encoded step with the wrong digest its plan asks for (when one is in force).
pdu::byte_buffer encode_step(const pdu::pdu& p, digest_mode mode, pdu::digest_config digests) {
  auto bytes = pdu::encode(p, digests);
  const std::size_t header_end = pdu::bhs_size + p.ahs.size();
  if (mode == digest_mode::header_wrong && digests.header && bytes.size() >= header_end + 4)
    bytes[header_end] ^= 0x01;
  if (mode == digest_mode::data_wrong && digests.data && !p.data.empty()) bytes.back() ^= 0x01;
  return bytes;
}

// Fed in the pieces the split offsets cut; false once the connection is over.
bool send_pieces(session_driver& d, const pdu::byte_buffer& bytes, const std::vector<std::uint32_t>& splits) {
  std::size_t from = 0;
  for (const auto at : splits) {
    if (at <= from || at >= bytes.size()) continue;
    if (!d.feed_bytes(pdu::bytes_view(bytes).subspan(from, at - from))) return false;
    from = at;
  }
  return d.feed_bytes(pdu::bytes_view(bytes).subspan(from));
}

}  // namespace

ts::scenario scenario_for(const program& p) {
  ts::scenario s;
  s.discovery = p.login.kind == login_kind::discovery;
  s.chap = p.login.chap;
  s.login_prefix = p.login.kind == login_kind::normal || s.discovery;
  // The numbers a session over TCP starts with (the reference target's
  // first StatSN, the conformance engine's first CmdSN), so a program
  // recorded as_written (corpus/netfuzz) lands inside the window here too.
  s.initial_stat_sn = 1;
  s.cmd_sn = 1;
  return s;
}

program_session::program_session(const program& p, const ts::scenario& s,
                                 std::shared_ptr<target::target_node> node,
                                 target::clock::time_point* clock, session_record* record)
    : prog_(p), s_(s), d_(s, std::move(node), clock), numbers_(p.steps.size()), record_(record) {}

bool program_session::open(std::uint16_t tsih) {
  if (!s_.login_prefix) return true;
  const login_request_fields fields{prog_.login.isid, tsih, prog_.login.cid, prog_.login.offers};
  if (!log_in(d_, s_, fields)) return false;
  tsih_ = d_.core().tsih();
  if (record_) record_->logged_in = true, record_->tsih = tsih_;
  return true;
}

bool program_session::send_next() {
  const auto i = next_++;
  const auto& st = prog_.steps[i];
  pdu::pdu p = st.pdu;
  d_.advance(std::chrono::milliseconds(st.send.delay_ms));
  if (st.send.numbers == numbering::follow)
    numbers_.apply(p, i, d_.core().exp_cmd_sn(), d_.expected_stat_sn());
  d_.defer_jobs(!st.send.wait_answer);
  const auto bytes = encode_step(p, st.send.digests, d_.framer_limits().digests);
  const bool open = send_pieces(d_, bytes, st.send.splits);
  for (const auto& answer : d_.last_sent()) numbers_.on_answer(answer);
  if (record_) {
    record_->answers.push_back(d_.last_sent());
    record_->closed = d_.closed();
  }
  return open;
}

bool program_session::poll_if_woken() {
  if (d_.closed() || !d_.take_woken()) return false;
  d_.poll();
  if (d_.closed() && record_) record_->closed = record_->closed_by_other = true;
  return d_.closed();
}

void run_program(const program& prog) {
  program_session session(prog, scenario_for(prog), make_node(scenario_for(prog)));
  if (session.open(prog.login.tsih)) {
    while (session.steps_left() && !session.over())
      if (!session.send_next()) break;
  }
  session.driver().finish();
}

}  // namespace touchstone::fuzz::inproc
