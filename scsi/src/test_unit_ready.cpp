// TEST UNIT READY.
#include "touchstone/scsi/command_table.hpp"

namespace touchstone::scsi {
namespace {

//= spc4#6.47
//# TEST UNIT READY: GOOD if the LU is ready (the core answers NOT READY for a
//# stopped LU and UNIT ATTENTION for a pending condition before this runs)
response test_unit_ready(command_context& ctx) { return ctx.good(); }

}  // namespace

void register_test_unit_ready(command_table& t) {
  t.add({.opcode = 0x00,
         .name = "TEST UNIT READY",
         .cdb_length = 6,
         .flags = cmd_flag::medium_access,
         .access = reservation_access::allowed,
         .run = test_unit_ready});
}

}  // namespace touchstone::scsi
