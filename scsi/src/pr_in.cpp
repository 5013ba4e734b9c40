// PERSISTENT RESERVE IN: READ KEYS, READ RESERVATION, REPORT CAPABILITIES,
// READ FULL STATUS.
#include "pr_state.hpp"

namespace touchstone::scsi::pr {
namespace {

//= spc4#6.15.1
//# ALLOCATION LENGTH: CDB bytes 7-8
std::uint16_t allocation_length(const command_context& ctx) { return get_be16(&ctx.cdb()[7]); }

//= spc4#6.15.2
//# parameter data header: PRGENERATION (bytes 0-3), ADDITIONAL LENGTH (bytes 4-7)
byte_buffer header(std::uint32_t generation, std::size_t additional) {
  byte_buffer b(8, 0);
  put_be32(&b[0], generation);
  put_be32(&b[4], static_cast<std::uint32_t>(additional));
  return b;
}

std::uint8_t scope_type(const reservation& r) {
  return static_cast<std::uint8_t>((r.scope << 4) | static_cast<std::uint8_t>(r.type));
}

//= spc4#6.15.2
//# READ KEYS: the key of every registered I_T nexus, eight bytes each; the
//# ADDITIONAL LENGTH counts them all whatever the allocation length
response read_keys(command_context& ctx) {
  const state& s = extension_of(ctx).current;
  byte_buffer b = header(s.generation, 8 * s.registrations.size());
  for (const auto& r : s.registrations) {
    const std::size_t at = b.size();
    b.resize(at + 8);
    put_be64(&b[at], r.key);
  }
  return ctx.data_in(std::move(b), allocation_length(ctx));
}

//= spc4#6.15.3
//# READ RESERVATION: ADDITIONAL LENGTH 0 without a reservation, else 16: the
//# holder's RESERVATION KEY (zero for all registrants), SCOPE and TYPE in byte 21
response read_reservation(command_context& ctx) {
  const state& s = extension_of(ctx).current;
  byte_buffer b = header(s.generation, s.held ? 16 : 0);
  if (s.held) {
    b.resize(24, 0);
    put_be64(&b[8], s.holder_key());
    b[21] = scope_type(*s.held);
  }
  return ctx.data_in(std::move(b), allocation_length(ctx));
}

//= spc4#6.15.4
//# REPORT CAPABILITIES: LENGTH 8; byte 2 CRH (bit 4), SIP_C (bit 3), ATP_C (bit 2),
//# PTPL_C (bit 0); byte 3 TMV (bit 7), ALLOW COMMANDS (bits 6:4), PTPL_A (bit 0);
//# bytes 4-5 the PERSISTENT RESERVATION TYPE MASK
response report_capabilities(command_context& ctx) {
  const extension& e = extension_of(ctx);
  byte_buffer b(8, 0);
  put_be16(&b[0], 8);
  const bool ptpl_c = !e.aptpl_path.empty();
  // CRH=1 (spc4#5.13.3 is implemented), SIP_C=0 (SPEC_I_PT refused), ATP_C=1.
  b[2] = static_cast<std::uint8_t>(0x10 | 0x04 | (ptpl_c ? 0x01 : 0x00));
  //= spc4#6.15.4
  //# ALLOW COMMANDS 001b: TEST UNIT READY is allowed through Write Exclusive and
  //# Exclusive Access reservations; no claim about the other commands
  b[3] = static_cast<std::uint8_t>(0x80 | (0x1 << 4) | (e.current.aptpl ? 0x01 : 0x00));
  //= spc4#6.15.4
  //# type mask: WR_EX_AR (4.7), EX_AC_RO (4.6), WR_EX_RO (4.5), EX_AC (4.3),
  //# WR_EX (4.1), EX_AC_AR (5.0): all six supported
  b[4] = 0x80 | 0x40 | 0x20 | 0x08 | 0x02;
  b[5] = 0x01;
  return ctx.data_in(std::move(b), allocation_length(ctx));
}

//= spc4#6.15.5
//# full status descriptor: RESERVATION KEY (0-7), ALL_TG_PT (12.1), R_HOLDER
//# (12.0), SCOPE/TYPE (13) when a holder, RELATIVE TARGET PORT IDENTIFIER (18-19),
//# ADDITIONAL DESCRIPTOR LENGTH (20-23), the initiator port's TransportID (24-)
void append_full_status(byte_buffer& b, const state& s, const registration& r) {
  const byte_buffer tid = transport_id_of(r.it.initiator_port);
  const std::size_t at = b.size();
  b.resize(at + 24 + tid.size(), 0);
  std::uint8_t* d = &b[at];
  put_be64(d, r.key);
  // The holder's registration is the one that covers the holding nexus (the
  // one READ RESERVATION takes the key from): with ALL_TG_PT=1 the nexus may
  // have reserved through another port than it registered on (found by
  // fuzz/scsi_reservations).
  const bool holder =
      s.held && (is_all_registrants(s.held->type) || &r == s.find(s.held->holder));
  d[12] = static_cast<std::uint8_t>((r.all_tg_pt ? 0x02 : 0x00) | (holder ? 0x01 : 0x00));
  if (holder) d[13] = scope_type(*s.held);
  put_be16(d + 18, r.relative_target_port);
  put_be32(d + 20, static_cast<std::uint32_t>(tid.size()));
  std::copy(tid.begin(), tid.end(), d + 24);
}

response read_full_status(command_context& ctx) {
  const state& s = extension_of(ctx).current;
  byte_buffer b = header(s.generation, 0);
  for (const auto& r : s.registrations) append_full_status(b, s, r);
  put_be32(&b[4], static_cast<std::uint32_t>(b.size() - 8));
  return ctx.data_in(std::move(b), allocation_length(ctx));
}

}  // namespace

void register_persistent_reserve_in(command_table& t) {
  struct sa {
    std::uint8_t code;
    std::string_view name;
    command_handler run;
  };
  //= spc4#6.15.1
  //# PERSISTENT RESERVE IN service actions 00h-03h; the others are reserved
  static constexpr sa actions[] = {
      {0x00, "PERSISTENT RESERVE IN(READ KEYS)", read_keys},
      {0x01, "PERSISTENT RESERVE IN(READ RESERVATION)", read_reservation},
      {0x02, "PERSISTENT RESERVE IN(REPORT CAPABILITIES)", report_capabilities},
      {0x03, "PERSISTENT RESERVE IN(READ FULL STATUS)", read_full_status},
  };
  for (const auto& a : actions) {
    t.add({.opcode = 0x5E,
           .service_action = a.code,
           .name = a.name,
           .cdb_length = 10,
           .flags = cmd_flag::data_in,
           .access = reservation_access::own_rules,
           .run = a.run});
  }
}

}  // namespace touchstone::scsi::pr
