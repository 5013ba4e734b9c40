// iSCSI opcodes: initiator (request) and target (response) codes.
#pragma once

#include <cstdint>
#include <string_view>

namespace touchstone::pdu {

//= rfc7143#section-11.2.1.2
//# The Opcodes are divided into two categories: initiator Opcodes and target Opcodes.
enum class opcode : std::uint8_t {
  nop_out = 0x00,
  scsi_command = 0x01,
  task_mgmt_request = 0x02,
  login_request = 0x03,
  text_request = 0x04,
  data_out = 0x05,
  logout_request = 0x06,
  snack = 0x10,
  nop_in = 0x20,
  scsi_response = 0x21,
  task_mgmt_response = 0x22,
  login_response = 0x23,
  text_response = 0x24,
  data_in = 0x25,
  logout_response = 0x26,
  r2t = 0x31,
  async_message = 0x32,
  reject = 0x3f,
};

inline constexpr std::uint8_t opcode_mask = 0x3f;

// Vendor-specific ranges: 0x1c-0x1e (initiator), 0x3c-0x3e (target).
constexpr bool is_vendor_specific(std::uint8_t code) {
  return (code >= 0x1c && code <= 0x1e) || (code >= 0x3c && code <= 0x3e);
}

// A code this specification defines (vendor-specific codes excluded).
constexpr bool is_defined(std::uint8_t code) {
  switch (static_cast<opcode>(code)) {
    case opcode::nop_out: case opcode::scsi_command: case opcode::task_mgmt_request:
    case opcode::login_request: case opcode::text_request: case opcode::data_out:
    case opcode::logout_request: case opcode::snack: case opcode::nop_in:
    case opcode::scsi_response: case opcode::task_mgmt_response: case opcode::login_response:
    case opcode::text_response: case opcode::data_in: case opcode::logout_response:
    case opcode::r2t: case opcode::async_message: case opcode::reject:
      return true;
  }
  return false;
}

//= rfc7143#section-11.2.1.2
//# Initiators MUST NOT use target Opcodes, and targets MUST NOT use initiator Opcodes.
// Bit 5 of the 6-bit opcode separates target codes (0x20-0x3f) from initiator codes.
constexpr bool is_initiator_code(std::uint8_t code) { return (code & 0x20) == 0; }
constexpr bool is_target_code(std::uint8_t code) { return (code & 0x20) != 0; }

constexpr std::string_view name(opcode op) {
  switch (op) {
    case opcode::nop_out: return "NOP-Out";
    case opcode::scsi_command: return "SCSI Command";
    case opcode::task_mgmt_request: return "Task Management Function Request";
    case opcode::login_request: return "Login Request";
    case opcode::text_request: return "Text Request";
    case opcode::data_out: return "SCSI Data-Out";
    case opcode::logout_request: return "Logout Request";
    case opcode::snack: return "SNACK Request";
    case opcode::nop_in: return "NOP-In";
    case opcode::scsi_response: return "SCSI Response";
    case opcode::task_mgmt_response: return "Task Management Function Response";
    case opcode::login_response: return "Login Response";
    case opcode::text_response: return "Text Response";
    case opcode::data_in: return "SCSI Data-In";
    case opcode::logout_response: return "Logout Response";
    case opcode::r2t: return "Ready To Transfer (R2T)";
    case opcode::async_message: return "Asynchronous Message";
    case opcode::reject: return "Reject";
  }
  return "unknown";
}

// Name of any 6-bit code, vendor-specific and undefined codes included.
constexpr std::string_view code_name(std::uint8_t code) {
  if (is_defined(code)) return name(static_cast<opcode>(code));
  if (is_vendor_specific(code)) return "vendor-specific";
  return "unknown";
}

}  // namespace touchstone::pdu
