// Helpers the case files share: the common judgements, so each case reads as
// its clause does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "touchstone/conformance/case.hpp"
#include "touchstone/conformance/cdb.hpp"
#include "touchstone/conformance/context.hpp"
#include "touchstone/conformance/requests.hpp"
#include "touchstone/pdu/all.hpp"
#include "touchstone/pdu/serial.hpp"

namespace touchstone::conformance::cases {

using pdu::opcode;

// fail: "expected <wanted>, saw <what was seen>".
inline verdict unexpected(const observation& seen, std::string_view wanted) {
  return verdict::fail("expected " + std::string(wanted) + ", saw " + seen.describe());
}

inline std::string hex32(std::uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", v);
  return text;
}

inline std::string hex16(std::uint16_t v) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04x", v);
  return text;
}

// Bytes 0, 1, 2, ... for payloads whose echo is checked.
inline pdu::byte_buffer pattern(std::size_t n, std::uint8_t seed = 0) {
  pdu::byte_buffer b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 13 + (i >> 8));
  return b;
}

// After a case provoked an error, a fresh session must still log in and
// answer a ping: the target survived.
verdict survives(case_context& ctx, std::string_view after);

// A ping with data on `s` is answered by its NOP-In: the PDUs before it (the
// answer to what `after` names) took as many bytes as their lengths and
// digests say. Fail otherwise (a stray digest or padding shifts the stream).
verdict still_in_step(session& s, std::string_view after);

// READ(10) of `blocks` blocks from LBA 0 of the case's LUN, EDTL as given.
scsi_request read_request(const case_context& ctx, std::uint16_t blocks, std::uint32_t edtl);

// The LUN's block length from READ CAPACITY(10), or 0 when unknown.
std::uint32_t block_length(case_context& ctx, session& s);

// --- Added for the task, data and reservation cases --------------------------

// TEST UNIT READY on the case's LUN (or on `lun`).
scsi_request unit_ready_request(const case_context& ctx);
scsi_request unit_ready_request(std::uint16_t lun);

// Runs TEST UNIT READY until it is GOOD (at most three times): the unit
// attentions a fresh nexus starts with are consumed. False if it never is.
bool clear_unit_attentions(case_context& ctx, session& s);
// The same on another LUN (each I_T_L nexus has unit attentions of its own).
bool clear_unit_attentions(session& s, std::uint16_t lun);

// Nothing about `itt` arrives for the silence window (other PDUs are read
// past; a lost connection fails). "what" names the task in the message.
verdict no_answer_for(session& s, std::uint32_t itt, std::string_view what);

// A session whose writes are all solicited: InitialR2T=Yes, ImmediateData=No.
session* solicited_session(case_context& ctx);

}  // namespace touchstone::conformance::cases
