// PLACEHOLDER: replaced by the logout_request view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_logout_request(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
