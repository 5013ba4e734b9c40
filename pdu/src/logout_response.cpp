// PLACEHOLDER: replaced by the logout_response view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_logout_response(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
