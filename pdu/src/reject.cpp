// PLACEHOLDER: replaced by the reject view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_reject(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
