// What the initiator engine saw when it waited: a PDU, the connection closing,
// nothing before the deadline, or a stream the framer could not follow. Cases
// judge observations; the engine never turns one into a crash or an exception.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/pdu.hpp"

namespace touchstone::conformance {

using clock = std::chrono::steady_clock;
using deadline = clock::time_point;
using std::chrono::milliseconds;

enum class observed : std::uint8_t {
  pdu,                // a whole PDU arrived (digests, when negotiated, were right)
  data_digest_error,  // a whole PDU arrived but its data digest was wrong
  closed,             // the target closed or reset the connection
  timeout,            // nothing arrived before the deadline
  stream_error,       // the byte stream broke framing (header digest, length)
  io_error,           // a local socket error, or no connection at all
};

std::string_view name(observed o);

struct observation {
  observed what = observed::timeout;
  pdu::pdu received;   // for pdu and data_digest_error
  std::string detail;  // the socket error, the framer error, ...

  bool is_pdu() const { return what == observed::pdu; }
  bool is(pdu::opcode op) const { return is_pdu() && received.op() == op; }
  // The connection is gone: closed by the target or broken.
  bool connection_lost() const {
    return what == observed::closed || what == observed::stream_error ||
           what == observed::io_error;
  }
  // One line for verdict messages: "Login Response (0x23) ITT 0x1 status 0x0203".
  std::string describe() const;
};

// One line naming a PDU's opcode and the fields that usually matter.
std::string describe(const pdu::pdu& p);

}  // namespace touchstone::conformance
