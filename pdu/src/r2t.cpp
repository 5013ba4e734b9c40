// PLACEHOLDER: replaced by the r2t view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_r2t(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
