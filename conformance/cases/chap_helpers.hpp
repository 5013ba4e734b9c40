// CHAP-case helpers: a CHAP login driven by hand, one security step at a
// time (RFC 7143 section 12.1.3), so each case can take one step wrongly.
#pragma once

#include <initializer_list>

#include "login_helpers.hpp"

namespace touchstone::conformance::cases {

// The target's answer to CHAP_A, and the challenge it carries.
struct chap_challenge {
  login_step first;     // AuthMethod=CHAP offered (T=0)
  login_step answer;    // the answer to CHAP_A
  std::uint8_t identifier = 0;
  pdu::byte_buffer challenge;
  verdict problem = verdict::pass();  // not pass: the case returns it
  bool ok() const { return problem.kind == verdict_kind::pass; }
};

// The first security step alone: AuthMethod=CHAP, T=0, the identity keys.
login_step chap_offer(case_context& ctx);

// The CHAP_A step after chap_offer(); `algorithms` is the CHAP_A value.
login_step chap_algorithms(const login_step& offer, std::string_view algorithms);

// AuthMethod=CHAP, then CHAP_A=`algorithms`; the answer's CHAP_I and CHAP_C
// parsed. A problem (error or fail) when the target does not get that far.
chap_challenge chap_until_challenge(case_context& ctx, std::string_view algorithms = "5");

enum class chap_encoding : std::uint8_t { hex, hex_upper, base64 };

// CHAP_N and CHAP_R, right for the configured credentials and the challenge.
pdu::text_pairs chap_answer(const case_context& ctx, const chap_challenge& c,
                            chap_encoding encoding = chap_encoding::hex);
// The response the configured secret gives to (identifier, challenge).
pdu::byte_buffer chap_md5(std::string_view secret, std::uint8_t identifier, pdu::bytes_view challenge);

// The security step that answers the challenge with `text`, T=1 to
// LoginOperationalNegotiation.
login_step chap_reply(const chap_challenge& c, const pdu::text_pairs& text);

// Pass when the answer is a Login reject whose status is one of `allowed`
// and the connection then closes.
verdict expect_login_reject(const login_step& step, std::string_view provoked,
                            std::initializer_list<std::uint16_t> allowed);

// Pass when the target refuses: a Login reject with one of `allowed`
// followed by the close, or the connection closing without an answer.
verdict expect_reject_or_close(const login_step& step, std::string_view provoked,
                               std::initializer_list<std::uint16_t> allowed);

// Status codes by name, for the allowed lists.
inline constexpr std::uint16_t status_code(pdu::login_status s) { return static_cast<std::uint16_t>(s); }
inline constexpr std::uint16_t initiator_error = status_code(pdu::login_status::initiator_error);
inline constexpr std::uint16_t auth_failure = status_code(pdu::login_status::authentication_failure);
inline constexpr std::uint16_t authz_failure = status_code(pdu::login_status::authorization_failure);
inline constexpr std::uint16_t missing_parameter = status_code(pdu::login_status::missing_parameter);

}  // namespace touchstone::conformance::cases
