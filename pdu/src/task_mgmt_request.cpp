// PLACEHOLDER: replaced by the task_mgmt_request view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_task_mgmt_request(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
