// Session programs from recorded traffic: the initiator side of one
// connection (as touchstone-conform --record writes it) turned into a
// program the network fuzzer can replay and mutate. The bytes are framed
// with the pdu framer, so traffic that was sent as raw bytes (truncated or
// malformed PDUs, wrong digests) becomes steps too. No I/O here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "touchstone/fuzz/program.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz {

// One TCP write or read of the connection, in the order they happened.
struct traffic_write {
  bool from_initiator = true;
  pdu::bytes_view bytes;
};

struct from_traffic_options {
  // The run's target name: a scripted login's TargetName with this value
  // becomes "$TARGET" (the executor writes its own target's name there).
  std::string target_name;
};

struct recorded_program {
  program prog;
  // What the conversion had to change or leave out, one line each (steps
  // beyond the bounds, a tail too short for a BHS, ...); empty when the
  // program is the traffic as it was.
  std::vector<std::string> notes;
};

// The login plan is normal or discovery when the Login Requests are those
// the conformance engine's standard login sends (one ITT, identity keys
// first, AuthMethod None or CHAP) and the target's Final-Response to the
// last of them entered the Full Feature Phase, else scripted with the Login Requests as
// steps (none when the connection sent no Login Request first). Every later
// PDU is a step numbered as_written; a PDU that went out in several writes
// gets the write boundaries as splits. The result is clamped into the bounds.
recorded_program program_from_traffic(const std::vector<traffic_write>& traffic,
                                      const from_traffic_options& options);

}  // namespace touchstone::fuzz
