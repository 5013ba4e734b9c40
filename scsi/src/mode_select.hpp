// MODE SELECT(6)/(10) handlers, registered by register_mode (mode.cpp).
// Private to scsi/src.
#pragma once

#include "touchstone/scsi/command.hpp"

namespace touchstone::scsi {

response mode_select_6(command_context& ctx);
response mode_select_10(command_context& ctx);

}  // namespace touchstone::scsi
