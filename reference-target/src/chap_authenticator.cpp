// CHAP on the target side (RFC 7143 sections 12.1.3 and 9.2.1).
#include "touchstone/target/chap_authenticator.hpp"

#include <algorithm>

#include "touchstone/pdu/chap.hpp"

namespace touchstone::target {
namespace {

const std::string* find(const pdu::text_pairs& in, std::string_view key) {
  for (const auto& kv : in)
    if (kv.key == key) return &kv.value;
  return nullptr;
}

pdu::bytes_view as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

failure<chap_failure> auth_failure(std::string_view requirement) {
  return fail(chap_failure{pdu::login_status::authentication_failure, requirement});
}

}  // namespace

//= rfc7143#section-9.2.1
//# Compliant iSCSI initiators and targets MUST implement the CHAP authentication method [RFC1994]
//# (according to Section 12.1.3, including the target authentication option).
//= rfc7143#section-12.1
//# The initiator and target MUST implement CHAP.
//= rfc7143#section-12.1
//# Authentication is OPTIONAL to use but MUST be supported by the target and
//# initiator.
chap_authenticator::chap_authenticator(chap_account incoming, std::optional<chap_account> mutual,
                                       std::shared_ptr<chap_challenge_log> issued, mutant_set mutants)
    : incoming_(std::move(incoming)),
      mutual_(std::move(mutual)),
      issued_(std::move(issued)),
      mutants_(mutants) {}

void chap_authenticator::use_log(std::shared_ptr<chap_challenge_log> issued) {
  issued_ = std::move(issued);
  if (issued_ && !challenge_.empty()) issued_->remember(challenge_);
}

result<pdu::text_pairs, chap_failure> chap_authenticator::step(const pdu::text_pairs& in) {
  switch (state_) {
    case state::await_algorithm: return challenge(in);
    case state::await_response: return verify(in);
    case state::done: break;
  }
  //= rfc7143#section-6.3
  //# An attempt to renegotiate/redeclare parameters not specifically allowed
  //# MUST be detected by the initiator and target.
  if (find(in, "CHAP_A") || find(in, "CHAP_R") || find(in, "CHAP_N"))
    return auth_failure("rfc7143#section-6.3/chap-after-authentication");
  return pdu::text_pairs{};
}

result<pdu::text_pairs, chap_failure> chap_authenticator::challenge(const pdu::text_pairs& in) {
  const auto* algorithms = find(in, "CHAP_A");
  //= rfc7143#section-12.1.3
  //# For CHAP [RFC1994], the initiator MUST use: CHAP_A=<A1,A2...>
  // A response or a challenge before the target's challenge is out of order.
  //= rfc7143#section-9.2
  //# Whenever an iSCSI target gets a request or response whose keys, or their values, are not
  //# according to the step definition, it MUST answer with a Login reject with the "Initiator
  //# Error" or "Missing Parameter" status.
  if (find(in, "CHAP_N") || find(in, "CHAP_R") || find(in, "CHAP_I") || find(in, "CHAP_C"))
    return fail(chap_failure{pdu::login_status::initiator_error,
                             "rfc7143#section-12.1.3/chap-before-challenge"});
  if (algorithms == nullptr) return pdu::text_pairs{};  // not started yet
  //= rfc7143#section-12.1.3
  //# The target MUST answer with a Login reject with the "Authentication
  //# Failure" status or reply with: CHAP_A=<A> CHAP_I=<I> CHAP_C=<C>
  const auto chosen = pdu::select_chap_algorithm(*algorithms);
  if (!chosen) return auth_failure("rfc7143#section-12.1.3/chap-a-no-supported-algorithm");
  const auto id = pdu::chap_make_identifier();
  auto c = pdu::chap_make_challenge(16);
  if (!id || !c) return fail(chap_failure{pdu::login_status::target_error, "chap-random"});
  //= rfc7143#section-12.1.3
  //# Their binary length (not the length of the character
  //# string that represents them in encoded form) MUST NOT exceed
  //# 1024 bytes.
  // Mutant chap-challenge-oversized breaks it: CHAP_C of 1025 bytes.
  if (mutated(mutants_, m::chap_challenge_oversized)) c->resize(pdu::chap_max_binary_length + 1, 0x5a);
  identifier_ = *id;
  challenge_ = std::move(*c);
  if (issued_) issued_->remember(challenge_);
  state_ = state::await_response;
  //= rfc7143#section-12.1.3
  //# where A is one of A1,A2... that were proposed by the initiator.
  // Mutant chap-algorithm-not-offered breaks it: CHAP_A=6, whatever was offered.
  const auto answered = mutated(mutants_, m::chap_algorithm_not_offered) ? std::string("6") : std::to_string(*chosen);
  return pdu::text_pairs{{"CHAP_A", answered},
                         {"CHAP_I", identifier_text()},
                         {"CHAP_C", challenge_text()}};
}

//= rfc7143#section-12.1.3
//# N is a text string; A,A1,A2, and I are numbers; C and R are
//# binary-values.
// (RFC 1994's Identifier is one octet.) Mutant chap-identifier-out-of-range
// breaks it: CHAP_I goes out 256 higher than the identifier the target uses.
std::string chap_authenticator::identifier_text() const {
  return std::to_string(identifier_ + (mutated(mutants_, m::chap_identifier_out_of_range) ? 256U : 0U));
}

//= rfc7143#section-6.1
//# - hex-constant: A hexadecimal constant encoded as a string that
//# starts with "0x" or "0X" followed by one or more digits or the
//# letters a, b, c, d, e, f, A, B, C, D, E, or F.
// Mutant chap-challenge-unprefixed breaks it: the digits go out without 0x.
std::string chap_authenticator::challenge_text() const {
  auto text = pdu::encode_chap_binary(challenge_);
  if (mutated(mutants_, m::chap_challenge_unprefixed)) text.erase(0, 2);
  return text;
}

// Mutant chap-hex-lower-case-only breaks the hex-constant rule above the
// other way: a CHAP_R written 0X, or with upper-case digits, is refused.
bool chap_authenticator::refuses_upper_case([[maybe_unused]] std::string_view r) const {
  if (!mutated(mutants_, m::chap_hex_lower_case_only) || r.size() < 2 || r[0] != '0' || (r[1] != 'x' && r[1] != 'X'))
    return false;
  return std::any_of(r.begin() + 1, r.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

result<pdu::text_pairs, chap_failure> chap_authenticator::verify(const pdu::text_pairs& in) {
  const auto* n = find(in, "CHAP_N");
  const auto* r = find(in, "CHAP_R");
  //= rfc7143#section-12.1.3
  //# The initiator MUST continue with: CHAP_N=<N> CHAP_R=<R>
  //= rfc7143#section-11.13.5
  //# Missing       | 0207 | Missing parameters (e.g., iSCSI
  //# ...
  //# Initiator Name and/or Target Name).
  //= rfc7143#section-9.2
  //# Whenever an iSCSI target gets a request or response whose keys, or their values, are not
  //# according to the step definition, it MUST answer with a Login reject with the "Initiator
  //# Error" or "Missing Parameter" status.
  if (n == nullptr || r == nullptr)
    return fail(chap_failure{pdu::login_status::missing_parameter,
                             "rfc7143#section-12.1.3/chap-n-r-missing"});
  const auto received = pdu::parse_chap_binary(*r);
  if (!received || refuses_upper_case(*r)) return auth_failure("rfc7143#section-12.1.3/chap-r-syntax");
  // R is computed (RFC 1994) over the identifier the target sent: mutant
  // chap-expected-response-wrong expects it over CHAP_I + 1, so it refuses
  // the right CHAP_R (section 12.1.3 asks the target to authenticate with it).
  const auto used = static_cast<std::uint8_t>(identifier_ + (mutated(mutants_, m::chap_expected_response_wrong) ? 1 : 0));
  const auto expected = pdu::chap_response(used, as_bytes(incoming_.secret), challenge_);
  if (!expected) return fail(chap_failure{pdu::login_status::target_error, "chap-md5"});
  if (mutual_) {
    //= rfc7143#section-9.2.1
    //# If the CHAP response received by one end of an iSCSI connection is the
    //# same as the CHAP response that the receiving endpoint would have
    //# generated for the same CHAP challenge, the response MUST be treated as
    //# an authentication failure and cause the connection to close
    const auto own = pdu::chap_response(identifier_, as_bytes(mutual_->secret), challenge_);
    if (!own) return fail(chap_failure{pdu::login_status::target_error, "chap-md5"});
    if (pdu::chap_response_matches(*own, *received))
      return auth_failure("rfc7143#section-9.2.1/own-response");
  }
  // The name is not secret; the response is compared in constant time
  // (CRYPTO_memcmp in pdu::chap_response_matches).
  //= rfc7143#section-12.1.3
  //# If the initiator authentication fails, the target MUST answer with a Login
  //# reject with "Authentication Failure" status.
  const bool name_ok = *n == incoming_.user;
  // Mutant chap-accept-any-response breaks it: every CHAP_R matches.
  const bool response_ok =
      pdu::chap_response_matches(*expected, *received) || mutated(mutants_, m::chap_accept_any_response);
  //= rfc7143#section-9.2
  //# These statuses are not intended for cryptographically incorrect values such as the CHAP
  //# response, for which the "Authentication Failure" status MUST be specified.
  if (!name_ok || !response_ok) return auth_failure("rfc7143#section-12.1.3/chap-r-mismatch");
  const auto* mi = find(in, "CHAP_I");
  const auto* mc = find(in, "CHAP_C");
  if ((mi == nullptr) != (mc == nullptr))
    return auth_failure("rfc7143#section-12.1.3/mutual-needs-i-and-c");
  if (mi == nullptr) {
    state_ = state::done;
    return pdu::text_pairs{};
  }
  return answer_mutual(*mi, *mc);
}

result<pdu::text_pairs, chap_failure> chap_authenticator::answer_mutual(std::string_view id,
                                                                        std::string_view c) {
  //= rfc7143#section-12.1.3
  //# if the initiator required target authentication, the target MUST either
  //# answer with a Login reject with "Authentication Failure" or reply with:
  //# CHAP_N=<N> CHAP_R=<R>
  if (!mutual_) return auth_failure("rfc7143#section-12.1.3/mutual-not-configured");
  const auto identifier = pdu::parse_chap_identifier(id);
  const auto challenge = pdu::parse_chap_binary(c);
  if (!identifier || !challenge || challenge->empty())
    return auth_failure("rfc7143#section-12.1.3/mutual-syntax");
  //= rfc7143#section-9.2.1
  //# Responders MUST check for this condition and close the iSCSI TCP connection if it occurs.
  // Reflected on this connection, or a challenge this target issued on
  // another connection (the attack in section 9.2.1, steps a-d, uses two).
  if (pdu::chap_challenge_reflected(challenge_, *challenge) ||
      (issued_ && issued_->issued(*challenge)))
    return auth_failure("rfc7143#section-9.2.1/reflected-challenge");
  // R is computed (RFC 1994) over the initiator's CHAP_I: mutant
  // chap-mutual-response-wrong breaks the CHAP_R of section 12.1.3 above by
  // computing it over CHAP_I + 1.
  const bool wrong = mutated(mutants_, m::chap_mutual_response_wrong);
  const auto used = static_cast<std::uint8_t>(*identifier + (wrong ? 1 : 0));
  const auto ours = pdu::chap_response(used, as_bytes(mutual_->secret), *challenge);
  if (!ours) return fail(chap_failure{pdu::login_status::target_error, "chap-md5"});
  state_ = state::done;
  return pdu::text_pairs{{"CHAP_N", mutual_->user}, {"CHAP_R", pdu::encode_chap_binary(*ours)}};
}

}  // namespace touchstone::target
