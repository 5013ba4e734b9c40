// SBC-3 START STOP UNIT: START=0 stops the LU (medium access then answers
// NOT READY, INITIALIZING COMMAND REQUIRED, checked by the core), START=1
// makes it ready again. The medium is not removable (RMB=0), so LOEJ=1 is
// refused; the power conditions are accepted and change nothing a virtual
// disk could show (it is always active).
#include <array>

#include "medium_ops.hpp"
#include "touchstone/scsi/command_table.hpp"

namespace touchstone::scsi {
namespace {

//= sbc3#5.24 table 107
//# START STOP UNIT: IMMED byte 1 bit 0; POWER CONDITION MODIFIER byte 3 bits
//# 3:0; POWER CONDITION byte 4 bits 7:4, NO_FLUSH bit 2, LOEJ bit 1, START bit 0
constexpr std::uint16_t modifier_byte = 3, condition_byte = 4;
constexpr unsigned no_flush_bit = 2, loej_bit = 1, start_bit = 0;

//= sbc3#5.24 table 108
//# POWER CONDITION values and the POWER CONDITION MODIFIER values each allows:
//# 0h START_VALID, 1h ACTIVE, 2h IDLE (modifier 0-2: IDLE_A/B/C), 3h STANDBY
//# (0-1: STANDBY_Z/Y), 7h LU_CONTROL, Ah FORCE_IDLE_0, Bh FORCE_STANDBY_0;
//# every other value is reserved
struct power_condition {
  std::uint8_t code;
  std::uint8_t max_modifier;
};
constexpr std::array<power_condition, 7> power_conditions = {{
    {0x0, 0},
    {0x1, 0},
    {0x2, 2},
    {0x3, 1},
    {0x7, 0},
    {0xA, 0},
    {0xB, 0},
}};
constexpr std::uint8_t start_valid = 0x0;

const power_condition* find_condition(std::uint8_t code) {
  for (const auto& pc : power_conditions)
    if (pc.code == code) return &pc;
  return nullptr;
}

std::optional<response> check_power_condition(const command_context& ctx, std::uint8_t code,
                                              std::uint8_t modifier) {
  //= sbc3#5.24
  //# a reserved POWER CONDITION or POWER CONDITION MODIFIER value: ILLEGAL
  //# REQUEST, INVALID FIELD IN CDB
  const power_condition* pc = find_condition(code);
  if (pc == nullptr) return ctx.invalid_field_in_cdb(condition_byte, 7);
  if (modifier > pc->max_modifier) return ctx.invalid_field_in_cdb(modifier_byte, 3);
  return std::nullopt;
}

response stop(command_context& ctx, bool no_flush) {
  //= sbc3#5.24
  //# NO_FLUSH=0: cached data reaches the medium before the LU stops
  if (!no_flush && !ctx.lu->store().sync())
    return ctx.check_condition(sense_key::medium_error, asc::write_error);
  //= sbc3#4.18.2
  //# stopped: medium access commands end in NOT READY, INITIALIZING COMMAND REQUIRED
  ctx.lu->set_stopped(true);
  return ctx.good();
}

response start_stop_unit(command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  const auto code = static_cast<std::uint8_t>(cdb[condition_byte] >> 4);
  const auto modifier = static_cast<std::uint8_t>(cdb[modifier_byte] & 0x0F);
  if (auto failed = check_power_condition(ctx, code, modifier)) return *failed;
  //= sbc3#5.24
  //# POWER CONDITION other than START_VALID: START and LOEJ are ignored
  if (code != start_valid) return ctx.good();
  //= sbc3#5.24
  //# LOEJ=1 loads or ejects the medium; this medium is not removable (RMB=0),
  //# so the request is an INVALID FIELD IN CDB
  if (get_bit(cdb, condition_byte, loej_bit))
    return ctx.invalid_field_in_cdb(condition_byte, loej_bit);
  //= sbc3#5.24
  //# IMMED=1 may return before the operation completes; this device server
  //# always completes it first
  if (!get_bit(cdb, condition_byte, start_bit))
    return stop(ctx, get_bit(cdb, condition_byte, no_flush_bit));
  //= sbc3#5.24
  //# START=1: the logical unit becomes ready for medium access
  ctx.lu->set_stopped(false);
  return ctx.good();
}

}  // namespace

void register_start_stop(command_table& t) {
  // Not medium_access: it is the command that starts a stopped LU.
  //= spc4#5.13.1 table 52
  //# START STOP UNIT with START=0 or a POWER CONDITION conflicts under Write
  //# Exclusive and Exclusive Access types (START=1 with POWER CONDITION 0h is
  //# allowed; an access check that needs the difference can read the CDB)
  t.add({.opcode = 0x1B,
         .name = "START STOP UNIT",
         .cdb_length = 6,
         .flags = cmd_flag::store_io,  // the sync before stopping
         .access = reservation_access::writes,
         .run = start_stop_unit});
}

}  // namespace touchstone::scsi
