// PLACEHOLDER: replaced by the nop_in view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_nop_in(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
