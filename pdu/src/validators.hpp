// Internal: the per-opcode validators, one defined beside each PDU type.
#pragma once

#include "touchstone/pdu/validate.hpp"

namespace touchstone::pdu::detail {

using validator_fn = void (*)(const pdu&, violations&);

void validate_nop_out(const pdu&, violations&);
void validate_nop_in(const pdu&, violations&);
void validate_scsi_command(const pdu&, violations&);
void validate_scsi_response(const pdu&, violations&);
void validate_task_mgmt_request(const pdu&, violations&);
void validate_task_mgmt_response(const pdu&, violations&);
void validate_login_request(const pdu&, violations&);
void validate_login_response(const pdu&, violations&);
void validate_text_request(const pdu&, violations&);
void validate_text_response(const pdu&, violations&);
void validate_data_out(const pdu&, violations&);
void validate_data_in(const pdu&, violations&);
void validate_logout_request(const pdu&, violations&);
void validate_logout_response(const pdu&, violations&);
void validate_snack(const pdu&, violations&);
void validate_r2t(const pdu&, violations&);
void validate_async_message(const pdu&, violations&);
void validate_reject(const pdu&, violations&);

}  // namespace touchstone::pdu::detail
