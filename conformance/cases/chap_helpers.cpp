// CHAP-case helpers.
#include "chap_helpers.hpp"

#include <algorithm>

#include "touchstone/pdu/chap.hpp"
#include "touchstone/pdu/text_values.hpp"

namespace touchstone::conformance::cases {
namespace {

// CHAP_C as the CHAP cases read it: any length a text value may hold.
constexpr std::size_t any_challenge_length = 64 * 1024;

std::string list_of(std::initializer_list<std::uint16_t> allowed) {
  std::string out;
  for (const auto code : allowed) out += (out.empty() ? "" : " or ") + hex16(code);
  return out;
}

bool allowed_status(std::uint16_t code, std::initializer_list<std::uint16_t> allowed) {
  return std::find(allowed.begin(), allowed.end(), code) != allowed.end();
}

// After a Login reject the connection must close (section 11.13.5).
verdict closes_after_reject(const login_step& step) {
  const auto after = step.s->expect_close(step.s->times().wait);
  if (after.what == observed::timeout)
    return verdict::fail("status " + hex16(step.status()) + " but the target kept the connection open");
  return verdict::pass();
}

}  // namespace

login_step chap_offer(case_context& ctx) { return chap_offer(ctx, ctx.normal_login()); }

login_step chap_offer(case_context& ctx, const login_options& o) {
  return first_login_step(ctx, o, [](auto& b, auto& text) {
    b.transit(false).nsg(pdu::login_stage::security_negotiation);
    for (auto& kv : text)
      if (kv.key == "AuthMethod") kv.value = "CHAP";
  });
}

login_step chap_algorithms(const login_step& offer, std::string_view algorithms) {
  return next_login_step(*offer.s, offer, pdu::login_stage::security_negotiation, false,
                         pdu::login_stage::security_negotiation, {{"CHAP_A", std::string(algorithms)}});
}

chap_challenge chap_until_challenge(case_context& ctx, std::string_view algorithms) {
  return chap_until_challenge(ctx, ctx.normal_login(), algorithms);
}

chap_challenge chap_until_challenge(case_context& ctx, const login_options& o, std::string_view algorithms) {
  chap_challenge c;
  c.first = chap_offer(ctx, o);
  if (!c.first.s) {
    c.problem = ctx.setup_error();
    return c;
  }
  if (!c.first.login_response() || c.first.view().status_class() != 0) {
    c.problem = verdict::error("AuthMethod=CHAP was not accepted: " + c.first.answer.describe());
    return c;
  }
  if (find_value(c.first.pairs(), "AuthMethod") != "CHAP") {
    c.problem = verdict::error("the target did not choose CHAP: AuthMethod=" +
                               find_value(c.first.pairs(), "AuthMethod").value_or("(absent)"));
    return c;
  }
  c.answer = chap_algorithms(c.first, algorithms);
  if (!c.answer.login_response() || c.answer.view().status_class() != 0) {
    c.problem = verdict::error("CHAP_A=" + std::string(algorithms) + " was answered " + c.answer.answer.describe());
    return c;
  }
  const auto pairs = c.answer.pairs();
  const auto id = find_value(pairs, "CHAP_I");
  const auto challenge = find_value(pairs, "CHAP_C");
  if (!id || !challenge) {
    c.problem = verdict::fail("the answer to CHAP_A lacks CHAP_I or CHAP_C");
    return c;
  }
  const auto parsed_id = pdu::parse_chap_identifier(*id);
  // Read at any length (within a text value): chap.c.length judges the
  // 1024-byte limit; the other cases go on with the challenge as it came.
  const auto parsed_challenge = pdu::parse_binary(*challenge, any_challenge_length);
  if (!parsed_id || !parsed_challenge) {
    c.problem = verdict::fail("CHAP_I=" + *id + " CHAP_C=" + *challenge + " do not parse");
    return c;
  }
  c.identifier = *parsed_id;
  c.challenge = *parsed_challenge;
  return c;
}

pdu::byte_buffer chap_md5(std::string_view secret, std::uint8_t identifier, pdu::bytes_view challenge) {
  const pdu::bytes_view key(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size());
  const auto r = pdu::chap_response(identifier, key, challenge);
  if (!r) return {};
  return pdu::byte_buffer(r->begin(), r->end());
}

verdict with_challenge(case_context& ctx, const std::function<verdict(const chap_challenge&)>& body) {
  const auto c = chap_until_challenge(ctx);
  if (!c.ok()) return c.problem;
  return body(c);
}

verdict with_chap_offer(case_context& ctx, const std::function<verdict(const login_step&)>& body) {
  const auto offer = chap_offer(ctx);
  if (!offer.s) return ctx.setup_error();
  if (!offer.login_response() || offer.view().status_class() != 0)
    return verdict::error("AuthMethod=CHAP: " + offer.answer.describe());
  return body(offer);
}

pdu::text_pairs chap_answer(const case_context& ctx, const chap_challenge& c, chap_encoding encoding) {
  return chap_answer(*ctx.target().chap, c, encoding);
}

pdu::text_pairs mutual_answer(const case_context& ctx, const chap_challenge& c, std::uint8_t id,
                              const pdu::byte_buffer& challenge) {
  auto text = chap_answer(ctx, c);
  text.push_back({"CHAP_I", std::to_string(id)});
  text.push_back({"CHAP_C", pdu::encode_hex(challenge)});
  return text;
}

verdict chap_accepted(const login_step& step, std::string_view what) {
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0)
    return verdict::fail(std::string(what) + " was refused with status " + hex16(step.status()));
  return verdict::pass();
}

verdict chose_from(const login_step& step, std::initializer_list<std::string_view> proposed) {
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0) return expect_login_reject(step, "the CHAP_A list", {auth_failure});
  const auto chosen = find_value(step.pairs(), "CHAP_A");
  if (!chosen) return verdict::fail("the answer to CHAP_A has no CHAP_A");
  for (const auto p : proposed)
    if (*chosen == p) return verdict::pass("CHAP_A=" + *chosen);
  return verdict::fail("CHAP_A=" + *chosen + " is not one of the proposed algorithms");
}

verdict refuses_answer(case_context& ctx, const std::function<void(pdu::text_pairs&, const chap_challenge&)>& edit,
                       std::string_view provoked, std::initializer_list<std::uint16_t> allowed,
                       bool close_allowed) {
  return with_challenge(ctx, [&](const chap_challenge& c) {
    auto text = chap_answer(ctx, c);
    edit(text, c);
    const auto step = chap_reply(c, text);
    return close_allowed ? expect_reject_or_close(step, provoked, allowed)
                         : expect_login_reject(step, provoked, allowed);
  });
}

verdict unauthenticated_refused(case_context& ctx, const login_options& o) {
  const auto step = first_login_step(ctx, o);  // AuthMethod=None, T=1 to Operational
  if (!step.s) return ctx.setup_error();
  if (!step.login_response()) return unexpected(step.answer, "a Login Response");
  if (step.view().status_class() != 0) return expect_login_reject(step, "AuthMethod=None", {auth_failure});
  if (step.view().transit())
    return verdict::fail("AuthMethod=None was accepted: the target lets the login leave SecurityNegotiation");
  // A negotiation answer (AuthMethod=Reject): asking again to move on must fail.
  const auto again = next_login_step(*step.s, step, pdu::login_stage::security_negotiation, true,
                                     pdu::login_stage::operational_negotiation, {});
  if (again.login_response() && again.view().status_class() == 0 && again.view().transit())
    return verdict::fail("after AuthMethod=" + find_value(step.pairs(), "AuthMethod").value_or("?") +
                         " the target lets the login leave SecurityNegotiation unauthenticated");
  return expect_reject_or_close(again, "moving on without authentication", {auth_failure, initiator_error});
}

pdu::text_pairs chap_answer(const chap_credentials& creds, const chap_challenge& c, chap_encoding encoding) {
  const auto response = chap_md5(creds.secret, c.identifier, c.challenge);
  std::string value;
  switch (encoding) {
    case chap_encoding::hex: value = pdu::encode_hex(response); break;
    case chap_encoding::hex_upper: {
      value = pdu::encode_hex(response);
      std::transform(value.begin(), value.end(), value.begin(), [](char ch) { return static_cast<char>(std::toupper(ch)); });
      break;
    }
    case chap_encoding::base64: value = pdu::encode_base64(response); break;
  }
  return {{"CHAP_N", creds.user}, {"CHAP_R", value}};
}

login_step chap_reply(const chap_challenge& c, const pdu::text_pairs& text) {
  return next_login_step(*c.first.s, c.first, pdu::login_stage::security_negotiation, true,
                         pdu::login_stage::operational_negotiation, text);
}

verdict expect_login_reject(const login_step& step, std::string_view provoked,
                            std::initializer_list<std::uint16_t> allowed) {
  if (!step.s) return verdict::error("cannot connect");
  if (!step.login_response()) return unexpected(step.answer, "a Login reject " + list_of(allowed));
  if (!allowed_status(step.status(), allowed))
    return verdict::fail(std::string(provoked) + " was answered with status " + hex16(step.status()) +
                         ", expected " + list_of(allowed));
  return closes_after_reject(step);
}

verdict expect_reject_or_close(const login_step& step, std::string_view provoked,
                               std::initializer_list<std::uint16_t> allowed) {
  if (!step.s) return verdict::error("cannot connect");
  if (step.answer.what == observed::closed) return verdict::pass("the target closed the connection");
  return expect_login_reject(step, provoked, allowed);
}

}  // namespace touchstone::conformance::cases
