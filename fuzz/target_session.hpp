// The input format of fuzz/target_session.cpp, shared with its seed writer
// (fuzz/seeds/target_session_seeds.cpp).
//
//   byte 0  bit 0 Discovery session     bit 4 HeaderDigest=CRC32C required
//           bit 1 CHAP required         bit 5 DataDigest=CRC32C required
//           bit 2 ImmediateData=No      bit 6 the well-formed login runs first
//           bit 3 InitialR2T=Yes        bit 7 SCSI jobs finish one PDU late
//   byte 1  bit 0 chunked stream (BHS+AHS+data, encoded by the harness)
//           bit 1 auto-numbering (CmdSN = ExpCmdSN, ExpStatSN = next StatSN)
//           bit 2 NOP-In pings (1 s interval, 2 s timeout; 100 ms per PDU)
//           bits 3-4 queue depth: 1, 2, 4, 64
//   byte 2  initial StatSN = 0xfffffffc + byte (wraps for 4 and above)
//   byte 3  the login's CmdSN = 0xffffffe0 + byte (wraps for 32 and above)
//   byte 4.. the stream
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace touchstone::fuzz::target_session {

inline constexpr std::size_t header_size = 4;
inline constexpr std::string_view initiator_name = "iqn.2026-11.org.touchstone:fuzz";
inline constexpr std::string_view chap_user = "fuzz";
inline constexpr std::string_view chap_secret = "fuzz-secret-0123";
inline constexpr std::uint64_t isid = 0x80123456789aULL;
inline constexpr std::uint32_t login_itt = 7;
inline constexpr std::uint32_t target_mrdsl = 8192;
inline constexpr std::uint32_t initiator_mrdsl = 4096;
inline constexpr std::uint64_t lu_blocks = 64;

struct scenario {
  bool discovery = false;
  bool chap = false;
  bool immediate_data = true;
  bool initial_r2t = false;
  bool header_digest = false;
  bool data_digest = false;
  bool login_prefix = false;
  bool defer_jobs = false;
  bool chunked = false;
  bool auto_number = false;
  bool pings = false;
  std::uint32_t queue_depth = 64;
  std::uint32_t initial_stat_sn = 0;
  std::uint32_t cmd_sn = 0;
  // Field by field (the post-login snapshots are kept by scenario).
  auto operator<=>(const scenario&) const = default;
};

inline scenario decode_scenario(const std::uint8_t* h) {
  scenario s;
  s.discovery = (h[0] & 0x01) != 0;
  s.chap = (h[0] & 0x02) != 0;
  s.immediate_data = (h[0] & 0x04) == 0;
  s.initial_r2t = (h[0] & 0x08) != 0;
  s.header_digest = (h[0] & 0x10) != 0;
  s.data_digest = (h[0] & 0x20) != 0;
  s.login_prefix = (h[0] & 0x40) != 0;
  s.defer_jobs = (h[0] & 0x80) != 0;
  s.chunked = (h[1] & 0x01) != 0;
  s.auto_number = (h[1] & 0x02) != 0;
  s.pings = (h[1] & 0x04) != 0;
  constexpr std::uint32_t depths[] = {1, 2, 4, 64};
  s.queue_depth = depths[(h[1] >> 3) & 3];
  s.initial_stat_sn = 0xfffffffcu + h[2];
  s.cmd_sn = 0xffffffe0u + h[3];
  return s;
}

}  // namespace touchstone::fuzz::target_session
