// PLACEHOLDER: replaced by the scsi_command view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_scsi_command(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
