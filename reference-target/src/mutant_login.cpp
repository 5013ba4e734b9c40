// The mutants of the Login Phase's answers (mutant_hooks.hpp): the keys a
// Login Response answers and its header, rewritten after login_table.cpp
// built them, so the target's own negotiation stays as the RFC asks (it
// keeps the legal results itself).
#include <algorithm>

#include "mutant_hooks.hpp"
#include "touchstone/pdu/login_response.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::target {

namespace {

constexpr std::uint8_t transit_bit = 0x80;
constexpr std::uint8_t continue_bit = 0x40;
constexpr std::uint8_t nsg_mask = 0x03;
constexpr std::uint8_t nsg_operational = 1;
constexpr std::uint8_t nsg_full_feature = 3;

bool is_digest(const pdu::key_value& kv) { return kv.key == "HeaderDigest" || kv.key == "DataDigest"; }
bool is_marker(const pdu::key_value& kv) { return kv.key == "IFMarker" || kv.key == "OFMarker"; }

}  // namespace

void mutate_login_keys([[maybe_unused]] const mutant_set& set, [[maybe_unused]] const pdu::text_pairs& offers,
                       [[maybe_unused]] pdu::text_pairs& answers) {
  //= rfc7143#section-6
  //# For the declarative keys, the declaring party sets a value for the
  //# key.  The key specification indicates whether the key can be declared
  //# by the initiator, the target, or both.
  // Mutant declarative-key-echoed breaks it: InitiatorAlias (Senders:
  // Initiator) comes back from the target.
  if (mutated(set, m::declarative_key_echoed))
    for (const auto& kv : offers)
      if (kv.key == "InitiatorAlias") answers.push_back(kv);
  //= rfc7143#section-6.2.1
  //# The responding party MUST respond with the same key and the first
  //# value that it supports (and is allowed to use for the specific
  //# originator) selected from the originator list.
  // Mutant digest-answered-with-list breaks it: a list, not one value.
  if (mutated(set, m::digest_answered_with_list))
    for (auto& kv : answers)
      if (is_digest(kv) && kv.value != pdu::value_not_understood) kv.value = "CRC32C,None";
  //= rfc7143#section-13.25
  //# However, the implementation MUST NOT respond with a "NotUnderstood"
  //# value for either of these keys.
  // Mutant obsolete-key-not-understood breaks it (IFMarker, OFMarker).
  if (mutated(set, m::obsolete_key_not_understood))
    for (auto& kv : answers)
      if (is_marker(kv)) kv.value = std::string(pdu::value_not_understood);
}

void mutate_login_response([[maybe_unused]] const mutant_set& set, [[maybe_unused]] pdu::pdu& response) {
  auto& flags = response.bhs[pdu::login_response_offset::flags];
  if ((flags & transit_bit) == 0) return;
  //= rfc7143#section-6.3
  //# The selected NSG MUST NOT exceed the value stated by the initiator.
  // Mutant login-nsg-beyond-request breaks it: asked for 1, answers 3.
  if (mutated(set, m::login_nsg_beyond_request) && (flags & nsg_mask) == nsg_operational)
    flags = static_cast<std::uint8_t>((flags & ~nsg_mask) | nsg_full_feature);
  //= rfc7143#section-11.13.1
  //# All Login Responses within the Login Phase MUST carry the same
  //# Version-max.
  // Mutant login-version-changes breaks it: the Final-Response says 0x01.
  if (mutated(set, m::login_version_changes) && (flags & nsg_mask) == nsg_full_feature)
    response.bhs[pdu::login_response_offset::version_max] = 0x01;
  //= rfc7143#section-11.13.7
  //# A Login Response with the C bit set to 1 MUST have the T bit set to 0.
  // Mutant login-continue-with-transit breaks it: T=1 with C=1.
  if (mutated(set, m::login_continue_with_transit)) flags = static_cast<std::uint8_t>(flags | continue_bit);
}

}  // namespace touchstone::target
