// SPC-4 REQUEST SENSE: reports (and clears) a pending unit attention, the
// state of the LU, or NO SENSE, as parameter data with GOOD status.
#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"

namespace touchstone::scsi {
namespace {

sense current_condition(command_context& ctx) {
  //= spc4#6.39
  //# a LUN with no LU: sense data ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED
  if (ctx.lu == nullptr)
    return make_sense(sense_key::illegal_request, asc::logical_unit_not_supported);
  //= sam5#5.14
  //# REQUEST SENSE reports a pending unit attention in its parameter data and
  //# clears it
  if (auto ua = ctx.lu->pop_ua(ctx.nx.it)) return make_sense(sense_key::unit_attention, asc_of(*ua));
  //= spc4#6.39
  //# a stopped LU: NOT READY, LOGICAL UNIT NOT READY, INITIALIZING COMMAND REQUIRED
  if (ctx.lu->stopped())
    return make_sense(sense_key::not_ready, asc::not_ready_initializing_command_required);
  //= spc4#6.39
  //# nothing to report: NO SENSE, NO ADDITIONAL SENSE INFORMATION
  return make_sense(sense_key::no_sense, asc::no_additional_sense);
}

//= spc4#6.39
//# REQUEST SENSE CDB: DESC byte 1 bit 0 (1 = descriptor format), ALLOCATION LENGTH byte 4
response request_sense(command_context& ctx) {
  bytes_view cdb = ctx.cdb();
  const bool desc = get_bit(cdb, 1, 0);
  const std::uint8_t allocation = cdb[4];
  const sense s = current_condition(ctx);
  return ctx.data_in(encode_sense(s, desc ? sense_format::descriptor : sense_format::fixed),
                     allocation);
}

}  // namespace

void register_request_sense(command_table& t) {
  t.add({.opcode = 0x03,
         .name = "REQUEST SENSE",
         .cdb_length = 6,
         .flags = cmd_flag::runs_without_lu | cmd_flag::ua_exempt | cmd_flag::data_in,
         .access = reservation_access::allowed,
         .run = request_sense,
         .usage = {0x03, 0x01, 0x00, 0x00, 0xFF, 0x00}});
}

}  // namespace touchstone::scsi
