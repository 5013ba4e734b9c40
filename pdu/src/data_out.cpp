// PLACEHOLDER: replaced by the data_out view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_data_out(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
