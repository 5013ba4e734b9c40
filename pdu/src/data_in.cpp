// PLACEHOLDER: replaced by the data_in view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_data_in(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
