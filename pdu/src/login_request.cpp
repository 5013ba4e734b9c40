// PLACEHOLDER: replaced by the login_request view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_login_request(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
