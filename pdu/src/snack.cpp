// PLACEHOLDER: replaced by the snack view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_snack(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
