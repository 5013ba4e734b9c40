// Full Feature Phase requests other than SCSI commands, done right: NOP-Out
// pings, Text Request sequences (with continuation), Logout.
#pragma once

#include <cstdint>
#include <optional>

#include "touchstone/conformance/session.hpp"
#include "touchstone/pdu/logout_request.hpp"
#include "touchstone/pdu/text.hpp"

namespace touchstone::conformance {

// A NOP-Out ping (ITT valid, TTT 0xffffffff, immediate) carrying data.
pdu::pdu ping_request(session& s, pdu::bytes_view data = {});

// A PDU with opcode `code` (immediate, F set, a fresh ITT, CmdSN and
// ExpStatSN in place, nothing else): for unassigned and target opcodes.
pdu::pdu opcode_request(session& s, std::uint8_t code);

// The answer to one request: the PDU whose ITT matches, or the observation
// that ended the wait. PDUs with other ITTs are read past.
observation await_itt(session& s, std::uint32_t itt);

struct text_outcome {
  bool complete = false;            // a final Text Response (F=1) arrived
  pdu::text_pairs pairs;            // the whole response text
  std::vector<pdu::pdu> responses;  // every Text Response
  observation last;
};

// A Text Request sequence: sends the pairs (split by the target's
// MaxRecvDataSegmentLength), follows C/TTT continuation to the end.
text_outcome text_exchange(session& s, const pdu::text_pairs& pairs);

struct logout_outcome {
  std::optional<pdu::pdu> response;  // the Logout Response
  observation last;                  // after it: normally the close
};

// Logout with the given reason (non-immediate, next CmdSN), then waits for
// the response and, unless `then` says not to, the connection's end (a
// liveness probe needs only the response: a target that never closes
// would cost it the whole wait).
enum class after_logout : std::uint8_t { await_close, leave };
logout_outcome logout(session& s, pdu::logout_reason reason = pdu::logout_reason::close_session,
                      after_logout then = after_logout::await_close);

}  // namespace touchstone::conformance
