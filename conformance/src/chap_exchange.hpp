// The initiator's side of CHAP (RFC 7143 section 12.1.3), one step at a time:
// CHAP_A, then CHAP_N and CHAP_R (with CHAP_I and CHAP_C for mutual CHAP),
// then the check of the target's CHAP_R. Internal to the login driver.
#pragma once

#include <optional>
#include <string>

#include "touchstone/conformance/login.hpp"
#include "touchstone/pdu/negotiation.hpp"

namespace touchstone::conformance {

class chap_exchange {
 public:
  explicit chap_exchange(std::optional<chap_credentials> credentials)
      : credentials_(std::move(credentials)) {}

  bool enabled() const { return credentials_.has_value(); }
  // False while CHAP is chosen (or offered) and our response is not sent yet.
  bool may_transit() const;
  // A CHAP_* key from the target.
  void receive(const pdu::key_value& kv);
  // What the next security request carries, given the negotiation so far.
  result<pdu::text_pairs, std::string> next_step(const pdu::negotiator& n);
  // After the last security response: mutual CHAP needs the target's answer.
  result<void, std::string> verify_target() const;

 private:
  enum class state : std::uint8_t { idle, algorithm_sent, responded, done };
  result<pdu::text_pairs, std::string> respond();

  std::optional<chap_credentials> credentials_;
  state state_ = state::idle;
  bool chosen_ = false;
  pdu::text_pairs from_target_;
  pdu::byte_buffer our_challenge_;
  std::uint8_t our_identifier_ = 0;
};

}  // namespace touchstone::conformance
