// PLACEHOLDER: replaced by the task_mgmt_response view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_task_mgmt_response(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
