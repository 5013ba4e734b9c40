// PLACEHOLDER: replaced by the text_request view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_text_request(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
