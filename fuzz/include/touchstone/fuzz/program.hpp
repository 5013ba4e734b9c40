// A session program: what the network fuzzer sends in one iSCSI session. A
// login plan, then steps, each a built PDU plus the way it is sent. The
// generator, the mutator and the minimiser work on this structure; the
// executor (in the tool) runs it against a target. No I/O here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/pdu/text.hpp"

namespace touchstone::fuzz {

// Bounds on everything a program holds. The loader refuses a program beyond
// them and the mutator never leaves them.
inline constexpr std::size_t max_steps = 256;
inline constexpr std::size_t max_data_segment = 64 * 1024;
// TotalAHSLength is one byte of four-byte words.
inline constexpr std::size_t max_ahs_bytes = 255 * 4;
inline constexpr std::size_t max_splits = 8;
inline constexpr std::uint32_t max_delay_ms = 2000;
inline constexpr std::size_t max_offers = 64;
inline constexpr std::size_t max_offer_key_bytes = 256;
inline constexpr std::size_t max_offer_value_bytes = 8192;
// The largest PDU a step can encode: BHS, AHS, both digests, data and padding.
inline constexpr std::size_t max_encoded_pdu = 48 + max_ahs_bytes + 4 + max_data_segment + 3 + 4;
inline constexpr std::uint64_t max_isid = (std::uint64_t{1} << 48) - 1;

enum class login_kind : std::uint8_t {
  none,       // the steps start on a fresh connection, no login
  normal,     // the executor logs in (SessionType=Normal) with the offers below
  discovery,  // the executor logs in with SessionType=Discovery
  scripted,   // the login requests are steps of their own (fuzzed login)
};

struct login_plan {
  login_kind kind = login_kind::normal;
  // Operational key offers, in order, sent as written (repeats, wrong types
  // and unknown keys included); the executor adds what it needs to log in.
  pdu::text_pairs offers;
  // CHAP on: the executor authenticates with the run's credentials.
  bool chap = false;
  std::uint64_t isid = 0x8000'0000'0001;  // 48 bits: T=2 (random), qualifier 1
  std::uint16_t tsih = 0;
  std::uint16_t cid = 0;
  friend bool operator==(const login_plan&, const login_plan&) = default;
};

enum class digest_mode : std::uint8_t {
  negotiated,    // digests as the login negotiated them
  header_wrong,  // the header digest is sent corrupted (when one is in force)
  data_wrong,    // the data digest is sent corrupted (when one is in force)
};

// How numbers reach the wire.
// follow: the executor overwrites CmdSN and ExpStatSN with the session's
// current numbers; gives each task-creating step (SCSI Command, Text, NOP-Out
// ping, TMF) a fresh ITT; and reads a tag field holding a value v below the
// number of steps as "the task step v created" (a Data-Out's or SNACK's ITT,
// a TMF's Referenced Task Tag), writing that task's ITT. A Data-Out's or
// SNACK's TTT other than 0xffffffff becomes the TTT of the task's latest R2T.
// as_written: the PDU goes out byte for byte.
enum class numbering : std::uint8_t { follow, as_written };

struct send_plan {
  digest_mode digests = digest_mode::negotiated;
  // Offsets into the encoded PDU where a TCP write ends, strictly increasing,
  // each in [1, max_encoded_pdu); offsets past the PDU's end are ignored.
  std::vector<std::uint32_t> splits;
  std::uint32_t delay_ms = 0;  // before the first byte
  numbering numbers = numbering::follow;
  bool wait_answer = true;  // wait for the answer(s) before the next step
  friend bool operator==(const send_plan&, const send_plan&) = default;
};

struct step {
  pdu::pdu pdu;
  send_plan send;
  friend bool operator==(const step&, const step&) = default;
};

struct program {
  login_plan login;
  std::vector<step> steps;
  friend bool operator==(const program&, const program&) = default;
};

// The first bound a program breaks, as "steps[3].pdu.data: 70000 bytes, at
// most 65536", or an empty string when it keeps them all.
std::string bound_violation(const program& p);

// Cuts and clamps a program into the bounds (drops steps beyond max_steps,
// truncates data and AHS, clamps delays, sorts and trims splits, ...).
void clamp_to_bounds(program& p);

std::string_view name(login_kind k);
std::string_view name(digest_mode m);
std::string_view name(numbering n);

}  // namespace touchstone::fuzz
