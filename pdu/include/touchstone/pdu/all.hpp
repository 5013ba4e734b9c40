// Every PDU type of the codec, for code that handles them all (dispatch,
// fuzzers, tools). Narrower code includes only the headers it uses.
#pragma once

#include "touchstone/pdu/ahs.hpp"
#include "touchstone/pdu/bhs.hpp"
#include "touchstone/pdu/builder.hpp"
#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/pdu.hpp"
#include "touchstone/pdu/validate.hpp"

// Initiator (request) PDUs.
#include "touchstone/pdu/data_out.hpp"
#include "touchstone/pdu/login_request.hpp"
#include "touchstone/pdu/logout_request.hpp"
#include "touchstone/pdu/nop_out.hpp"
#include "touchstone/pdu/scsi_command.hpp"
#include "touchstone/pdu/snack.hpp"
#include "touchstone/pdu/task_mgmt_request.hpp"
#include "touchstone/pdu/text_request.hpp"

// Target (response) PDUs.
#include "touchstone/pdu/async_message.hpp"
#include "touchstone/pdu/data_in.hpp"
#include "touchstone/pdu/login_response.hpp"
#include "touchstone/pdu/logout_response.hpp"
#include "touchstone/pdu/nop_in.hpp"
#include "touchstone/pdu/r2t.hpp"
#include "touchstone/pdu/reject.hpp"
#include "touchstone/pdu/scsi_response.hpp"
#include "touchstone/pdu/task_mgmt_response.hpp"
#include "touchstone/pdu/text_response.hpp"

// Opcodes the codec does not define.
#include "touchstone/pdu/unknown.hpp"
