// PLACEHOLDER: replaced by the text_response view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_text_response(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
