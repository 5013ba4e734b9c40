// PLACEHOLDER: replaced by the async_message view, builder and validator.
#include "validators.hpp"

namespace touchstone::pdu::detail {

void validate_async_message(const pdu&, violations&) {}

}  // namespace touchstone::pdu::detail
