// The per-opcode BHS field tables (layout notes in plain comments; the
// `//#` lines quote RFC 7143 word for word).
#include "touchstone/fuzz/bhs_fields.hpp"

#include <array>

#include "touchstone/pdu/opcode.hpp"

namespace touchstone::fuzz {
namespace {

using pdu::opcode;

//= rfc7143#section-11
//# Reserved fields are marked by the word "reserved", some abbreviation
//# of "reserved", or by "." for individual bits
// Byte 0 (". I opcode") and the length words, shared by every table.
#define TS_COMMON_HEAD                                         \
  bhs_field{"reserved (byte 0 bit 0)", 0, 0, 1, true},         \
      bhs_field{"I", 0, 1, 1}, bhs_field{"Opcode", 0, 2, 6},   \
      bhs_field{"TotalAHSLength", 4, 0, 8},                    \
      bhs_field{"DataSegmentLength", 5, 0, 24}

//= rfc7143#section-11.3.5
//# There are 16 bytes in the CDB field to accommodate the commonly used
//# CDBs.
// F R W . . ATTR in byte 1; EDTL 20, CmdSN 24, ExpStatSN 28, CDB 32-47 (two
// 64-bit halves so the mutator can reach every CDB byte through them).
constexpr std::array scsi_command_fields = {
    TS_COMMON_HEAD,
    bhs_field{"F", 1, 0, 1}, bhs_field{"R", 1, 1, 1}, bhs_field{"W", 1, 2, 1},
    bhs_field{"reserved (byte 1 bits 3-4)", 1, 3, 2, true}, bhs_field{"ATTR", 1, 5, 3},
    bhs_field{"reserved (bytes 2-3)", 2, 0, 16, true}, bhs_field{"LUN", 8, 0, 64},
    bhs_field{"Initiator Task Tag", 16, 0, 32},
    bhs_field{"Expected Data Transfer Length", 20, 0, 32}, bhs_field{"CmdSN", 24, 0, 32},
    bhs_field{"ExpStatSN", 28, 0, 32}, bhs_field{"CDB bytes 0-7", 32, 0, 64},
    bhs_field{"CDB bytes 8-15", 40, 0, 64},
};

//= rfc7143#section-11.5
//# Referenced Task Tag or 0xffffffff
// byte 1: 1 | Function; RTT 20, CmdSN 24, ExpStatSN 28, RefCmdSN 32, ExpDataSN 36.
constexpr std::array task_mgmt_fields = {
    TS_COMMON_HEAD,
    bhs_field{"F (always 1)", 1, 0, 1}, bhs_field{"Function", 1, 1, 7},
    bhs_field{"reserved (bytes 2-3)", 2, 0, 16, true}, bhs_field{"LUN", 8, 0, 64},
    bhs_field{"Initiator Task Tag", 16, 0, 32}, bhs_field{"Referenced Task Tag", 20, 0, 32},
    bhs_field{"CmdSN", 24, 0, 32}, bhs_field{"ExpStatSN", 28, 0, 32},
    bhs_field{"RefCmdSN", 32, 0, 32}, bhs_field{"ExpDataSN", 36, 0, 32},
    bhs_field{"reserved (bytes 40-47)", 40, 0, 64, true},
};

//= rfc7143#section-11.7
//# Target Transfer Tag or 0xffffffff
// byte 1: F | reserved; TTT 20, ExpStatSN 28, DataSN 36, Buffer Offset 40.
constexpr std::array data_out_fields = {
    TS_COMMON_HEAD,
    bhs_field{"F", 1, 0, 1}, bhs_field{"reserved (byte 1 bits 1-7)", 1, 1, 7, true},
    bhs_field{"reserved (bytes 2-3)", 2, 0, 16, true}, bhs_field{"LUN", 8, 0, 64},
    bhs_field{"Initiator Task Tag", 16, 0, 32}, bhs_field{"Target Transfer Tag", 20, 0, 32},
    bhs_field{"reserved (bytes 24-27)", 24, 0, 32, true}, bhs_field{"ExpStatSN", 28, 0, 32},
    bhs_field{"reserved (bytes 32-35)", 32, 0, 32, true}, bhs_field{"DataSN", 36, 0, 32},
    bhs_field{"Buffer Offset", 40, 0, 32}, bhs_field{"reserved (bytes 44-47)", 44, 0, 32, true},
};

//= rfc7143#section-11.10
//# An initiator MUST NOT have more than one outstanding Text Request on
//# a connection at any given time.
// byte 1: F | C | reserved; TTT 20, CmdSN 24, ExpStatSN 28.
constexpr std::array text_fields = {
    TS_COMMON_HEAD,
    bhs_field{"F", 1, 0, 1}, bhs_field{"C", 1, 1, 1},
    bhs_field{"reserved (byte 1 bits 2-7)", 1, 2, 6, true},
    bhs_field{"reserved (bytes 2-3)", 2, 0, 16, true}, bhs_field{"LUN", 8, 0, 64},
    bhs_field{"Initiator Task Tag", 16, 0, 32}, bhs_field{"Target Transfer Tag", 20, 0, 32},
    bhs_field{"CmdSN", 24, 0, 32}, bhs_field{"ExpStatSN", 28, 0, 32},
    bhs_field{"reserved (bytes 32-39)", 32, 0, 64, true},
    bhs_field{"reserved (bytes 40-47)", 40, 0, 64, true},
};

//= rfc7143#section-11.12
//# Login Requests are always considered as immediate.
// byte 1: T C . . CSG NSG; versions 2-3, ISID 8-13, TSIH 14, CID 20, CmdSN 24.
constexpr std::array login_fields = {
    TS_COMMON_HEAD,
    bhs_field{"T", 1, 0, 1}, bhs_field{"C", 1, 1, 1},
    bhs_field{"reserved (byte 1 bits 2-3)", 1, 2, 2, true}, bhs_field{"CSG", 1, 4, 2},
    bhs_field{"NSG", 1, 6, 2}, bhs_field{"Version-max", 2, 0, 8},
    bhs_field{"Version-min", 3, 0, 8}, bhs_field{"ISID", 8, 0, 48}, bhs_field{"TSIH", 14, 0, 16},
    bhs_field{"Initiator Task Tag", 16, 0, 32}, bhs_field{"CID", 20, 0, 16},
    bhs_field{"reserved (bytes 22-23)", 22, 0, 16, true}, bhs_field{"CmdSN", 24, 0, 32},
    bhs_field{"ExpStatSN", 28, 0, 32}, bhs_field{"reserved (bytes 32-39)", 32, 0, 64, true},
    bhs_field{"reserved (bytes 40-47)", 40, 0, 64, true},
};

//= rfc7143#section-11.14
//# The Logout Request is used to perform a controlled closing of a
//# connection.
// byte 1: 1 | Reason Code; CID 20, CmdSN 24, ExpStatSN 28.
constexpr std::array logout_fields = {
    TS_COMMON_HEAD,
    bhs_field{"F (always 1)", 1, 0, 1}, bhs_field{"Reason Code", 1, 1, 7},
    bhs_field{"reserved (bytes 2-3)", 2, 0, 16, true},
    bhs_field{"reserved (bytes 8-15)", 8, 0, 64, true},
    bhs_field{"Initiator Task Tag", 16, 0, 32}, bhs_field{"CID", 20, 0, 16},
    bhs_field{"reserved (bytes 22-23)", 22, 0, 16, true}, bhs_field{"CmdSN", 24, 0, 32},
    bhs_field{"ExpStatSN", 28, 0, 32}, bhs_field{"reserved (bytes 32-39)", 32, 0, 64, true},
    bhs_field{"reserved (bytes 40-47)", 40, 0, 64, true},
};

//= rfc7143#section-11.16
//# If the implementation supports ErrorRecoveryLevel greater than zero,
//# it MUST support all SNACK types.
// byte 1: 1 . . . Type; TTT/SNACK Tag 20, ExpStatSN 28, BegRun 40, RunLength 44.
constexpr std::array snack_fields = {
    TS_COMMON_HEAD,
    bhs_field{"F (always 1)", 1, 0, 1}, bhs_field{"reserved (byte 1 bits 1-3)", 1, 1, 3, true},
    bhs_field{"Type", 1, 4, 4}, bhs_field{"reserved (bytes 2-3)", 2, 0, 16, true},
    bhs_field{"LUN", 8, 0, 64}, bhs_field{"Initiator Task Tag", 16, 0, 32},
    bhs_field{"Target Transfer Tag or SNACK Tag", 20, 0, 32},
    bhs_field{"reserved (bytes 24-27)", 24, 0, 32, true}, bhs_field{"ExpStatSN", 28, 0, 32},
    bhs_field{"reserved (bytes 32-39)", 32, 0, 64, true}, bhs_field{"BegRun", 40, 0, 32},
    bhs_field{"RunLength", 44, 0, 32},
};

//= rfc7143#section-11.18
//# A NOP-Out is also sent by an initiator in response to a NOP-In.
// byte 1: 1 | reserved; TTT 20, CmdSN 24, ExpStatSN 28.
constexpr std::array nop_out_fields = {
    TS_COMMON_HEAD,
    bhs_field{"F (always 1)", 1, 0, 1}, bhs_field{"reserved (byte 1 bits 1-7)", 1, 1, 7, true},
    bhs_field{"reserved (bytes 2-3)", 2, 0, 16, true}, bhs_field{"LUN", 8, 0, 64},
    bhs_field{"Initiator Task Tag", 16, 0, 32}, bhs_field{"Target Transfer Tag", 20, 0, 32},
    bhs_field{"CmdSN", 24, 0, 32}, bhs_field{"ExpStatSN", 28, 0, 32},
    bhs_field{"reserved (bytes 32-39)", 32, 0, 64, true},
    bhs_field{"reserved (bytes 40-47)", 40, 0, 64, true},
};

// Any other code: the shared fields, then the rest as raw words.
constexpr std::array generic_fields = {
    TS_COMMON_HEAD,
    bhs_field{"byte 1", 1, 0, 8}, bhs_field{"bytes 2-3", 2, 0, 16},
    bhs_field{"bytes 8-15", 8, 0, 64}, bhs_field{"Initiator Task Tag", 16, 0, 32},
    bhs_field{"bytes 20-23", 20, 0, 32}, bhs_field{"bytes 24-27", 24, 0, 32},
    bhs_field{"bytes 28-31", 28, 0, 32}, bhs_field{"bytes 32-35", 32, 0, 32},
    bhs_field{"bytes 36-39", 36, 0, 32}, bhs_field{"bytes 40-43", 40, 0, 32},
    bhs_field{"bytes 44-47", 44, 0, 32},
};

#undef TS_COMMON_HEAD

}  // namespace

std::span<const bhs_field> fields_of(std::uint8_t code) {
  switch (static_cast<opcode>(code & pdu::opcode_mask)) {
    case opcode::scsi_command: return scsi_command_fields;
    case opcode::task_mgmt_request: return task_mgmt_fields;
    case opcode::data_out: return data_out_fields;
    case opcode::text_request: return text_fields;
    case opcode::login_request: return login_fields;
    case opcode::logout_request: return logout_fields;
    case opcode::snack: return snack_fields;
    case opcode::nop_out: return nop_out_fields;
    default: return generic_fields;
  }
}

std::uint64_t get_field(const pdu::bhs_bytes& bhs, const bhs_field& f) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < f.width; ++i) {
    const unsigned pos = unsigned{f.bit} + i;
    const std::size_t byte = f.offset + pos / 8;
    if (byte >= bhs.size()) break;
    const bool on = (bhs[byte] >> (7 - pos % 8)) & 1u;
    v = (v << 1) | (on ? 1u : 0u);
  }
  return v;
}

void set_field(pdu::bhs_bytes& bhs, const bhs_field& f, std::uint64_t value) {
  for (unsigned i = 0; i < f.width; ++i) {
    const unsigned pos = unsigned{f.bit} + i;
    const std::size_t byte = f.offset + pos / 8;
    if (byte >= bhs.size()) break;
    const bool on = (value >> (f.width - 1 - i)) & 1u;
    const auto mask = static_cast<std::uint8_t>(1u << (7 - pos % 8));
    bhs[byte] = static_cast<std::uint8_t>(on ? (bhs[byte] | mask) : (bhs[byte] & ~mask));
  }
}

}  // namespace touchstone::fuzz
