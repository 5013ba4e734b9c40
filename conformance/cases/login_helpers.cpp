// Login-case helpers.
#include "login_helpers.hpp"

namespace touchstone::conformance::cases {

login_step first_login_step(case_context& ctx, const login_options& o,
                            const std::function<void(pdu::login_request_builder&, pdu::text_pairs&)>& edit) {
  login_step step;
  step.s = ctx.connect();
  if (!step.s) return step;
  auto b = login_request(*step.s, o);
  b.transit_to(pdu::login_stage::operational_negotiation);
  auto text = identity_keys(o);
  text.push_back({"AuthMethod", o.chap ? "CHAP,None" : "None"});
  if (edit) edit(b, text);
  b.data(pdu::encode_text(text));
  step.request = b.build();
  if (const auto ec = step.s->send(step.request)) {
    step.answer = {observed::io_error, {}, ec.message()};
    return step;
  }
  step.answer = step.s->expect_pdu();
  return step;
}

login_step next_login_step(session& s, const login_step& first, pdu::login_stage csg, bool transit,
                           pdu::login_stage nsg, const pdu::text_pairs& text) {
  const pdu::login_request_view r(first.request);
  login_step step;
  step.s = &s;
  auto b = pdu::login_request_builder{};
  b.isid(r.isid()).tsih(r.tsih()).cid(r.cid()).cmd_sn(r.cmd_sn()).exp_stat_sn(s.exp_stat_sn());
  b.initiator_task_tag(r.initiator_task_tag()).csg(csg).data(pdu::encode_text(text));
  if (transit) b.transit_to(nsg);
  step.request = b.build();
  if (const auto ec = s.send(step.request)) {
    step.answer = {observed::io_error, {}, ec.message()};
    return step;
  }
  step.answer = s.expect_pdu();
  return step;
}

login_outcome login_offering(case_context& ctx, const pdu::text_pairs& offers, session** out) {
  auto* s = ctx.connect();
  if (out) *out = s;
  if (!s) {
    login_outcome failed;
    failed.detail = ctx.setup_error().message;
    return failed;
  }
  auto o = ctx.normal_login();
  o.operational = offers;
  return login(*s, o);
}

verdict expect_initiator_error(const login_step& step, std::string_view provoked,
                               std::uint16_t preferred_status) {
  if (!step.s) return verdict::error("cannot connect");
  if (!step.login_response()) return unexpected(step.answer, "a Login Response with status class 2");
  const auto v = step.view();
  if (v.status_class() != 2)
    return verdict::fail(std::string(provoked) + " was answered with status " + hex16(step.status()) +
                         " instead of an initiator error (class 2)");
  if (preferred_status != 0 && step.status() != preferred_status)
    return verdict::fail(std::string(provoked) + " was answered with " + hex16(step.status()) +
                         ", not " + hex16(preferred_status));
  //= rfc7143#section-11.13.5
  //# If the Status-Class is not 0, the initiator and target MUST close the
  //# TCP connection.
  const auto after = step.s->expect_close(step.s->times().wait);
  if (after.what == observed::timeout)
    return verdict::fail("status " + hex16(step.status()) + " but the target kept the connection open");
  return verdict::pass();
}

}  // namespace touchstone::conformance::cases
