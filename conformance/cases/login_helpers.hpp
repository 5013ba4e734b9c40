// Login-case helpers: one hand-built Login Request and its answer.
#pragma once

#include <functional>

#include "common.hpp"

namespace touchstone::conformance::cases {

struct login_step {
  session* s = nullptr;
  pdu::pdu request;
  observation answer;
  bool login_response() const { return answer.is(opcode::login_response); }
  pdu::login_response_view view() const { return pdu::login_response_view(answer.received); }
  pdu::text_pairs pairs() const { return pairs_of(answer.received); }
  std::uint16_t status() const { return static_cast<std::uint16_t>(view().status()); }
};

// A first Login Request (CSG=SecurityNegotiation, T=1 to Operational, the
// identity keys and AuthMethod=None) on a fresh connection, changed by
// `edit` before it goes out; the answer is waited for.
login_step first_login_step(case_context& ctx, const login_options& o,
                            const std::function<void(pdu::login_request_builder&, pdu::text_pairs&)>& edit = {});

// Sends a Login Request with the given stage, flags and text on s, as the
// next step of the login `first` began (same ITT, ISID, CmdSN).
login_step next_login_step(session& s, const login_step& first, pdu::login_stage csg, bool transit,
                           pdu::login_stage nsg, const pdu::text_pairs& text);

// A whole login whose operational offers are `offers`; its outcome.
login_outcome login_offering(case_context& ctx, const pdu::text_pairs& offers, session** s = nullptr);

// "a reject with status class 2" judgement: pass when the answer is a Login
// Response with that class (and the connection closes), else fail.
verdict expect_initiator_error(const login_step& step, std::string_view provoked,
                               std::uint16_t preferred_status = 0);

}  // namespace touchstone::conformance::cases
