// Recognising the conformance engine's standard login among recorded Login
// Requests, and the $TARGET placeholder of scripted ones (from_traffic.cpp).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "touchstone/fuzz/program.hpp"

namespace touchstone::fuzz {

// The login plan (normal or discovery) when requests are what the engine's
// login() sends: one ITT, ISID, TSIH, CID and CmdSN throughout, versions 0,
// stages that only move forward, and text that starts with InitiatorName,
// SessionType, TargetName (Normal sessions) and, in SecurityNegotiation,
// AuthMethod None or CHAP. Offers are the other keys, in order.
std::optional<login_plan> engine_login(const std::vector<pdu::pdu>& requests);

// A Login Request whose TargetName=<target_name> reads TargetName=$TARGET,
// DataSegmentLength following when it matched the data before.
pdu::pdu with_target_placeholder(pdu::pdu p, std::string_view target_name);

}  // namespace touchstone::fuzz
