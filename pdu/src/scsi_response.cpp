// PLACEHOLDER: replaced by the scsi_response view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_scsi_response(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
