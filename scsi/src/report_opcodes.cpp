// SPC-4 REPORT SUPPORTED OPERATION CODES (MAINTENANCE IN A3h/0Ch), built
// from the command table itself so it always tells the truth.
#include <algorithm>

#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/device_server.hpp"

namespace touchstone::scsi {
namespace {

//= spc4#6.35.1
//# REPORTING OPTIONS: 000b all commands; 001b one opcode without service
//# actions; 010b one opcode + service action; 011b one opcode, with a service
//# action if it has them
enum class reporting : std::uint8_t { all = 0, opcode = 1, opcode_sa = 2, opcode_maybe_sa = 3 };

//= spc4#6.35.1
//# CDB: RCTD byte 2 bit 7, REPORTING OPTIONS byte 2 bits 2:0, REQUESTED
//# OPERATION CODE byte 3, REQUESTED SERVICE ACTION bytes 4-5, ALLOCATION LENGTH 6-9
struct rsoc_cdb {
  bool rctd;
  std::uint8_t options;
  std::uint8_t opcode;
  std::uint16_t service_action;
  std::uint32_t allocation;
};

rsoc_cdb parse(bytes_view cdb) {
  return {get_bit(cdb, 2, 7), static_cast<std::uint8_t>(cdb[2] & 0x07), cdb[3], get_be16(&cdb[4]),
          get_be32(&cdb[6])};
}

//= spc4#6.35.4 (command timeouts descriptor)
//# DESCRIPTOR LENGTH 000Ah, reserved, COMMAND SPECIFIC, NOMINAL COMMAND
//# PROCESSING TIMEOUT (4 bytes), RECOMMENDED COMMAND TIMEOUT (4 bytes)
void append_timeouts(byte_buffer& b, const command_entry& e) {
  std::uint8_t d[12] = {0x00, 0x0A};
  put_be32(&d[4], e.nominal_timeout);
  put_be32(&d[8], e.recommended_timeout);
  b.insert(b.end(), d, d + sizeof d);
}

//= spc4#6.35.2 (command descriptor)
//# OPERATION CODE byte 0, SERVICE ACTION 2-3, CTDP byte 5 bit 1, SERVACTV
//# byte 5 bit 0, CDB LENGTH 6-7, then the timeouts descriptor when CTDP=1
void append_descriptor(byte_buffer& b, const command_entry& e, bool rctd) {
  std::uint8_t d[8] = {e.opcode};
  put_be16(&d[2], e.service_action.value_or(0));
  d[5] = static_cast<std::uint8_t>((rctd ? 0x02 : 0x00) | (e.service_action ? 0x01 : 0x00));
  put_be16(&d[6], e.cdb_length);
  b.insert(b.end(), d, d + sizeof d);
  if (rctd) append_timeouts(b, e);
}

byte_buffer all_commands(const command_table& t, bool rctd) {
  //= spc4#6.35.2
  //# COMMAND DATA LENGTH bytes 0-3, then one command descriptor per command
  byte_buffer b(4, 0);
  for (const command_entry* e : t.entries()) append_descriptor(b, *e, rctd);
  put_be32(&b[0], static_cast<std::uint32_t>(b.size() - 4));
  return b;
}

//= spc4#6.35.3
//# CDB USAGE DATA: byte 0 the operation code, the service action in the
//# SERVICE ACTION field's place, the other bytes a map of the bits the device
//# server uses (an entry without one: every bit of every byte)
byte_buffer usage_data(const command_entry& e) {
  byte_buffer u(e.cdb_length, 0xFF);
  const bool has_map = std::any_of(e.usage.begin(), e.usage.end(), [](auto v) { return v != 0; });
  if (has_map) {
    std::fill(u.begin(), u.end(), 0x00);
    std::copy_n(e.usage.begin(), std::min<std::size_t>(u.size(), e.usage.size()), u.begin());
  }
  u[0] = e.opcode;
  if (e.service_action) {
    auto f = *service_action_field_of(e.opcode);
    if (f.mask == 0xFFFF && u.size() >= 10) {
      put_be16(&u[f.byte], *e.service_action);
    } else if (u.size() > f.byte) {
      u[f.byte] = static_cast<std::uint8_t>((u[f.byte] & ~f.mask) | (*e.service_action & f.mask));
    }
  }
  return u;
}

//= spc4#6.35.3
//# one command parameter data: CTDP byte 1 bit 7, SUPPORT byte 1 bits 2:0
//# (001b not supported, 011b supported as the standard says), CDB SIZE 2-3,
//# CDB USAGE DATA, then the timeouts descriptor when CTDP=1
byte_buffer one_command(const command_entry* e, bool rctd) {
  constexpr std::uint8_t not_supported = 0x01;
  constexpr std::uint8_t supported = 0x03;
  byte_buffer b(4, 0);
  if (e == nullptr) {
    b[1] = not_supported;
    return b;
  }
  b[1] = static_cast<std::uint8_t>((rctd ? 0x80 : 0x00) | supported);
  byte_buffer u = usage_data(*e);
  put_be16(&b[2], static_cast<std::uint16_t>(u.size()));
  b.insert(b.end(), u.begin(), u.end());
  if (rctd) append_timeouts(b, *e);
  return b;
}

bool has_service_actions(const command_table& t, std::uint8_t opcode) {
  const command_entry* any = t.find(opcode, std::nullopt);
  if (any != nullptr) return false;  // an entry for the opcode as a whole
  return t.knows_opcode(opcode);
}

response report_supported_operation_codes(command_context& ctx) {
  const rsoc_cdb c = parse(ctx.cdb());
  const command_table& t = ctx.server.commands();
  const bool with_sa = has_service_actions(t, c.opcode);
  switch (static_cast<reporting>(c.options)) {
    case reporting::all:
      return ctx.data_in(all_commands(t, c.rctd), c.allocation);
    case reporting::opcode:
      //= spc4#6.35.1
      //# 001b for an operation code that has service actions: INVALID FIELD IN CDB
      if (with_sa) return ctx.invalid_field_in_cdb(3);
      return ctx.data_in(one_command(t.find(c.opcode, std::nullopt), c.rctd), c.allocation);
    case reporting::opcode_sa:
      //= spc4#6.35.1
      //# 010b for an operation code without service actions: INVALID FIELD IN CDB
      if (t.knows_opcode(c.opcode) && !with_sa) return ctx.invalid_field_in_cdb(3);
      return ctx.data_in(one_command(t.find(c.opcode, c.service_action), c.rctd), c.allocation);
    case reporting::opcode_maybe_sa: {
      //= spc4#6.35.1
      //# 011b: the service action names the command if the opcode has them;
      //# otherwise only a zero REQUESTED SERVICE ACTION names a supported command
      const command_entry* e = with_sa || c.service_action == 0
                                   ? t.find(c.opcode, c.service_action)
                                   : nullptr;
      return ctx.data_in(one_command(e, c.rctd), c.allocation);
    }
  }
  //= spc4#6.35.1
  //# a reserved REPORTING OPTIONS value: INVALID FIELD IN CDB
  return ctx.invalid_field_in_cdb(2, 2);
}

}  // namespace

void register_report_opcodes(command_table& t) {
  t.add({.opcode = 0xA3,
         .service_action = 0x0C,
         .name = "REPORT SUPPORTED OPERATION CODES",
         .cdb_length = 12,
         .flags = cmd_flag::data_in,
         .access = reservation_access::allowed,
         .run = report_supported_operation_codes,
         .usage = {0xA3, 0x0C, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00}});
}

}  // namespace touchstone::scsi
