// CHAP-case helpers: a CHAP login driven by hand, one security step at a
// time (RFC 7143 section 12.1.3), so each case can take one step wrongly.
#pragma once

#include <functional>
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

// The first security step alone: AuthMethod=CHAP, T=0, the identity keys
// (of a Normal login, or of `o`).
login_step chap_offer(case_context& ctx);
login_step chap_offer(case_context& ctx, const login_options& o);

// The CHAP_A step after chap_offer(); `algorithms` is the CHAP_A value.
login_step chap_algorithms(const login_step& offer, std::string_view algorithms);

// AuthMethod=CHAP, then CHAP_A=`algorithms`; the answer's CHAP_I and CHAP_C
// parsed. A problem (error or fail) when the target does not get that far.
chap_challenge chap_until_challenge(case_context& ctx, std::string_view algorithms = "5");
chap_challenge chap_until_challenge(case_context& ctx, const login_options& o, std::string_view algorithms = "5");

// The CHAP steps every case repeats: `body` runs on the target's challenge
// (or on the answer to AuthMethod=CHAP), unless the target did not get
// that far; then the problem is the verdict.
verdict with_challenge(case_context& ctx, const std::function<verdict(const chap_challenge&)>& body);
verdict with_chap_offer(case_context& ctx, const std::function<verdict(const login_step&)>& body);

enum class chap_encoding : std::uint8_t { hex, hex_upper, base64 };

// CHAP_N and CHAP_R, right for the configured credentials and the challenge.
pdu::text_pairs chap_answer(const case_context& ctx, const chap_challenge& c,
                            chap_encoding encoding = chap_encoding::hex);
pdu::text_pairs chap_answer(const chap_credentials& creds, const chap_challenge& c,
                            chap_encoding encoding = chap_encoding::hex);
// Mutual CHAP: the right CHAP_N/CHAP_R, then our CHAP_I=id and CHAP_C.
pdu::text_pairs mutual_answer(const case_context& ctx, const chap_challenge& c, std::uint8_t id,
                              const pdu::byte_buffer& challenge);
// The response the configured secret gives to (identifier, challenge).
pdu::byte_buffer chap_md5(std::string_view secret, std::uint8_t identifier, pdu::bytes_view challenge);

// The security step that answers the challenge with `text`, T=1 to
// LoginOperationalNegotiation.
login_step chap_reply(const chap_challenge& c, const pdu::text_pairs& text);

// The answer to a correct CHAP_N/CHAP_R: status 0, on to the next stage.
verdict chap_accepted(const login_step& step, std::string_view what);

// The CHAP_A the target chose is one of `proposed`, or it refused with 0x0201.
verdict chose_from(const login_step& step, std::initializer_list<std::string_view> proposed);

// The right answer to the challenge changed by `edit`, sent; the target must
// refuse it with one of `allowed` (or, with `close_allowed`, close).
verdict refuses_answer(case_context& ctx, const std::function<void(pdu::text_pairs&, const chap_challenge&)>& edit,
                       std::string_view provoked, std::initializer_list<std::uint16_t> allowed,
                       bool close_allowed = false);

// A login that must authenticate, offered AuthMethod=None (T=1) with `o`:
// pass when the target refuses (0x0201) or answers without letting the
// login leave SecurityNegotiation, also when asked a second time.
verdict unauthenticated_refused(case_context& ctx, const login_options& o);

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
