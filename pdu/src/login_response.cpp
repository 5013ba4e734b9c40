// PLACEHOLDER: replaced by the login_response view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_login_response(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
