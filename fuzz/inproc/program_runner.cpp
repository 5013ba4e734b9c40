// A session program run in-process (program_runner.hpp).
#include "touchstone/fuzz/inproc/program_runner.hpp"

#include "program_numbering.hpp"
#include "session_driver.hpp"
#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz::inproc {
namespace {

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

void run_program(const program& prog) {
  const auto s = scenario_for(prog);
  session_driver d(s, make_node(s));
  const login_request_fields fields{prog.login.isid, prog.login.tsih, prog.login.cid, prog.login.offers};
  if (s.login_prefix && !log_in(d, s, fields)) {
    d.finish();
    return;
  }
  program_numbering numbers(prog.steps.size());
  for (std::size_t i = 0; i < prog.steps.size() && !d.closed(); ++i) {
    const auto& st = prog.steps[i];
    pdu::pdu p = st.pdu;
    d.advance(std::chrono::milliseconds(st.send.delay_ms));
    if (st.send.numbers == numbering::follow)
      numbers.apply(p, i, d.core().exp_cmd_sn(), d.expected_stat_sn());
    d.defer_jobs(!st.send.wait_answer);
    const auto bytes = encode_step(p, st.send.digests, d.framer_limits().digests);
    const bool open = send_pieces(d, bytes, st.send.splits);
    for (const auto& answer : d.last_sent()) numbers.on_answer(answer);
    if (!open) break;
  }
  d.finish();
}

}  // namespace touchstone::fuzz::inproc
