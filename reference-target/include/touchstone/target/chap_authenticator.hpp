// The target's side of CHAP (RFC 7143 section 12.1.3, RFC 1994): one-way and
// mutual. A step consumes the CHAP keys of one complete Login Request text
// and returns the keys to answer with, or the login status to fail with.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "touchstone/pdu/login_response.hpp"
#include "touchstone/pdu/text.hpp"
#include "touchstone/target/config.hpp"

namespace touchstone::target {

struct chap_failure {
  pdu::login_status status = pdu::login_status::authentication_failure;
  std::string_view requirement;  // the rule that failed, for the log
};

class chap_authenticator {
 public:
  enum class state : std::uint8_t { await_algorithm, await_response, done };

  // `issued`: the instance's recent challenges, this one's added (section 9.2.1).
  // `mutants`: the target's (mutant.hpp; chap-accept-any-response).
  chap_authenticator(chap_account incoming, std::optional<chap_account> mutual,
                     std::shared_ptr<chap_challenge_log> issued = nullptr, mutant_set mutants = {});

  result<pdu::text_pairs, chap_failure> step(const pdu::text_pairs& in);
  state current() const { return state_; }
  bool done() const { return state_ == state::done; }
  // Remembers the challenge issued so far in `issued` and uses it from now on
  // (a connection copied onto another node: connection_copy.cpp).
  void use_log(std::shared_ptr<chap_challenge_log> issued);

 private:
  result<pdu::text_pairs, chap_failure> challenge(const pdu::text_pairs& in);
  result<pdu::text_pairs, chap_failure> verify(const pdu::text_pairs& in);
  result<pdu::text_pairs, chap_failure> answer_mutual(std::string_view id, std::string_view c);
  // CHAP_I and CHAP_C as sent, and a CHAP_R refused for its case (the
  // mutants chap-identifier-out-of-range, chap-challenge-unprefixed and
  // chap-hex-lower-case-only bend them; otherwise the identifier and the
  // challenge as they are, and nothing refused).
  std::string identifier_text() const;
  std::string challenge_text() const;
  bool refuses_upper_case(std::string_view r) const;

  chap_account incoming_;
  std::optional<chap_account> mutual_;
  state state_ = state::await_algorithm;
  std::uint8_t identifier_ = 0;
  pdu::byte_buffer challenge_;
  std::shared_ptr<chap_challenge_log> issued_;
  mutant_set mutants_;
};

}  // namespace touchstone::target
