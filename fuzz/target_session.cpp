// Fuzz the reference target's sans-I/O connection core (login, CHAP, Full
// Feature Phase, data transfer, TMF, text, logout) in-process, no sockets.
//
// Input: a 4-byte scenario header, then the stream (fuzz/target_session.hpp
// documents the bits). The stream is either raw bytes for the framer or, in
// chunked mode, BHS+AHS+data chunks the harness encodes with the digests in
// force (so a fuzzed PDU gets past CRC32C). Optionally a well-formed login
// (CHAP included) comes first so the stream lands in the Full Feature Phase:
// run once per scenario and copied for each input (the post-login snapshot,
// fuzz/inproc/login_snapshot.hpp). The body is fuzz/inproc/session_input.cpp.
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
#include <cstdint>

#include <spdlog/spdlog.h>

#include "inproc/session_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The core logs every violation; at fuzzing speed that is noise.
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  // Kept for the whole run: one logged-in snapshot per scenario, copied
  // for each input (fuzz/inproc/login_snapshot.hpp).
  static touchstone::fuzz::inproc::login_snapshots snapshots;
  touchstone::fuzz::inproc::run_session_input({data, size}, &snapshots);
  return 0;
}
