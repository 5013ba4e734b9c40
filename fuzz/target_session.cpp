// Fuzz the reference target's sans-I/O connection core (login, CHAP, Full
// Feature Phase, data transfer, TMF, text, logout) in-process, no sockets.
//
// Input: a 4-byte scenario header, then the stream (fuzz/target_session.hpp
// documents the bits). The stream is either raw bytes for the framer or, in
// chunked mode, BHS+AHS+data chunks the harness encodes with the digests in
// force (so a fuzzed PDU gets past CRC32C). Optionally a well-formed login
// (CHAP included) runs first so the stream lands in the Full Feature Phase.
//
// Oracles (fuzz/inproc/session_driver.cpp), on every PDU the target emits
// and after every step:
//  - pdu::validate finds no protocol error and no reserved field set;
//  - the PDU re-frames to itself (lengths consistent) and its data segment
//    fits the initiator's MaxRecvDataSegmentLength;
//  - StatSN: the next value on every status-bearing PDU, advanced by one;
//  - MaxCmdSN >= ExpCmdSN - 1 (serial arithmetic);
//  - Residual Count and U/O bits agree with EDTL and the Data-In bytes moved
//    (fuzz/inproc/residual_oracle.cpp);
//  - tasks held <= queue depth + 1 immediate, queued commands <= depth;
//  - once the connection is gone the node holds no session.
#include <algorithm>
#include <cstdint>

#include <spdlog/spdlog.h>

#include "inproc/session_driver.hpp"
#include "touchstone/pdu/all.hpp"

namespace {

using namespace touchstone;
using pdu::opcode;
using fuzz::inproc::session_driver;
namespace ts = touchstone::fuzz::target_session;

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
  session_driver d(s, fuzz::inproc::make_node(s));
  if (s.login_prefix)
    fuzz::inproc::oracle(fuzz::inproc::log_in(d, s),
                         "the well-formed login did not reach the Full Feature Phase");
  if (!d.closed()) {
    if (s.chunked)
      feed_chunks(d, stream, s.auto_number);
    else
      feed_stream(d, stream, s.auto_number);
  }
  d.finish();
  return 0;
}
