// The result functions of RFC 7143 sections 6.2.1, 6.2.2 and 13, one row per
// function: how an acceptor selects, and whether a selection it received is
// admissible. Internal to the negotiation engine.
#pragma once

#include <string>
#include <string_view>

#include "touchstone/pdu/keys.hpp"

namespace touchstone::pdu::rules {

// The acceptor's answer to `offered` given what it supports (`local`):
// the selected value, or "Reject" when the offer is not admissible.
std::string select(const key_spec& spec, std::string_view offered, std::string_view local);

// Whether `answer` is a legal selection for our offer `offered`.
bool admissible(const key_spec& spec, std::string_view offered, std::string_view answer);

// Whether the offer alone determines a boolean result (AND with No, OR with Yes).
bool offer_decides(const key_spec& spec, std::string_view offered);

// True for the keys whose result comes from a selection (list, min, max, AND, OR).
bool is_negotiated(const key_spec& spec);

}  // namespace touchstone::pdu::rules
