// Helpers shared by the negotiation tests.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "touchstone/pdu/negotiation.hpp"

namespace touchstone::pdu::test {

inline negotiator make_side(role self, negotiation_phase phase = negotiation_phase::operational,
                            session_kind session = session_kind::normal,
                            local_settings settings = {}, bool leading = true) {
  return negotiator({.self = self, .phase = phase, .session = session,
                     .leading_connection = leading},
                    std::move(settings));
}

inline negotiator make_target(local_settings settings = {},
                              negotiation_phase phase = negotiation_phase::operational,
                              session_kind session = session_kind::normal) {
  return make_side(role::target, phase, session, std::move(settings));
}

inline negotiator make_initiator(local_settings settings = {},
                                 negotiation_phase phase = negotiation_phase::operational) {
  return make_side(role::initiator, phase, session_kind::normal, std::move(settings));
}

inline local_settings settings_with(std::string_view key, std::string value) {
  local_settings s;
  s.set(key, std::move(value));
  return s;
}

// The answer to one key=value, which must be a single pair for the same key.
inline std::string answer_to(negotiator& n, const std::string& key, const std::string& value) {
  auto answers = n.receive({{key, value}});
  INFO(key << "=" << value);
  REQUIRE(answers);
  REQUIRE(answers->size() == 1);
  REQUIRE((*answers)[0].key == key);
  return (*answers)[0].value;
}

// The error receiving pairs must raise.
inline negotiation_error error_of(negotiator& n, const text_pairs& pairs) {
  auto answers = n.receive(pairs);
  REQUIRE_FALSE(answers);
  return answers.error();
}

}  // namespace touchstone::pdu::test
