// --only-phase: the generator and the mutator kept to programs that exercise
// one phase of a session. login: login plans none or scripted, every step a
// Login Request (the login PDUs are what is fuzzed); ffp: a normal login
// with legal offers, then Full Feature Phase steps (no Login Request);
// discovery: a Discovery login, then mostly Text (SendTargets and keys).
#pragma once

#include <cstdint>
#include <string_view>

#include "touchstone/fuzz/program.hpp"
#include "touchstone/pdu/keys.hpp"

namespace touchstone::fuzz {

enum class only_phase : std::uint8_t { any, login, ffp, discovery };

std::string_view name(only_phase p);
// "login", "ffp", "discovery" (and "any"); false for anything else.
bool parse_phase(std::string_view text, only_phase& out);

// Whether an initiator may offer key k in a login's operational stage as
// the executor runs it: a key the initiator sends at login (not only in
// the security stage or the Full Feature Phase), not obsolete, and not one
// of the three the executor sends itself (InitiatorName, SessionType,
// TargetName: a second copy would be a repeat).
bool offerable_in_login(const pdu::key_spec& k);
// An offer a program may hold under --only-phase ffp or discovery: such
// a key with a value in its range (numbers) or among its allowed values.
bool legal_offer(const pdu::key_value& offer);

// Whether p is a program of phase ph (any: every program is).
bool of_phase(const program& p, only_phase ph);

}  // namespace touchstone::fuzz
