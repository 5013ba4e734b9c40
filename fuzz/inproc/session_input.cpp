// A target_session input run in-process (session_input.hpp): the scenario
// header, the login (from a snapshot or run here), the stream, the end.
#include "session_input.hpp"

#include <algorithm>
#include <optional>

#include "touchstone/pdu/all.hpp"

namespace touchstone::fuzz::inproc {
namespace {

using pdu::opcode;

bool numbered(opcode op) {
  return op == opcode::scsi_command || op == opcode::nop_out || op == opcode::text_request ||
         op == opcode::task_mgmt_request || op == opcode::logout_request;
}

// Auto-numbering: a command gets the CmdSN the target expects, every PDU the
// ExpStatSN it should carry, so mutations reach execution, not the window.
void renumber(pdu::pdu& p, session_driver& d) {
  const auto op = p.op();
  if (op == opcode::login_request) return;
  if (numbered(op)) pdu::store_be32(&p.bhs[24], d.core().exp_cmd_sn());
  if (numbered(op) || op == opcode::data_out || op == opcode::snack)
    pdu::store_be32(&p.bhs[28], d.expected_stat_sn());
}

void feed_stream(session_driver& d, pdu::bytes_view in, bool auto_number) {
  if (auto_number)
    d.feed_bytes(in, [&](pdu::pdu& p) { renumber(p, d); });
  else
    d.feed_bytes(in);
}

// Chunked mode: BHS, AHS and data cut from the input, lengths made to match,
// then encoded with the digests in force and framed like any stream.
void feed_chunks(session_driver& d, pdu::bytes_view in, bool auto_number) {
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
    if (auto_number) renumber(p, d);
    const auto bytes = pdu::encode(p, d.framer_limits().digests);
    if (!d.feed_bytes(pdu::bytes_view(bytes))) return;
  }
}

constexpr const char* login_failed = "the well-formed login did not reach the Full Feature Phase";

// The driver for `s`, logged in when the scenario asks for it.
void open(std::optional<session_driver>& d, const ts::scenario& s, login_snapshots* snapshots) {
  if (!s.login_prefix) return void(d.emplace(s, make_node(s)));
  if (!snapshots) {
    d.emplace(s, make_node(s));
    return oracle(log_in(*d, s), login_failed);
  }
  const session_driver* snap = snapshots->logged_in(s);
  oracle(snap != nullptr, login_failed);
  d.emplace(*snap, make_node(s));
  oracle(d->core().tsih() == snap->core().tsih(), "a snapshot's copy has another TSIH than its login gave");
}

}  // namespace

void run_session_input(pdu::bytes_view input, login_snapshots* snapshots,
                       std::vector<pdu::pdu>* transcript) {
  if (input.size() < ts::header_size) return;
  const auto s = ts::decode_scenario(input.data());
  const auto stream = input.subspan(ts::header_size);
  std::optional<session_driver> d;
  open(d, s, snapshots);
  d->record_to(transcript);
  if (!d->closed()) {
    if (s.chunked)
      feed_chunks(*d, stream, s.auto_number);
    else
      feed_stream(*d, stream, s.auto_number);
  }
  d->finish();
}

}  // namespace touchstone::fuzz::inproc
