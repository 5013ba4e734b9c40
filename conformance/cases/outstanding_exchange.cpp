// One Text or Login exchange outstanding on a connection (RFC 7143 sections
// 6.2 and 6.3): a second Text or Login Request sent before the answer to the
// first arrived (its ExpStatSN acknowledges no answer) must not be answered
// as if it were the next exchange: answering it would put a second Text or
// Login Response outstanding. A Reject (FFP) or a login failure (or a
// closed connection) passes.
#include "login_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

pdu::pdu text_request(session& s, std::uint32_t itt, std::uint32_t exp_stat_sn, const pdu::text_pairs& pairs) {
  return pdu::text_request_builder{}
      .final_bit(true)
      .initiator_task_tag(itt)
      .target_transfer_tag(pdu::reserved_tag)
      .cmd_sn(s.take_cmd_sn())
      .exp_stat_sn(exp_stat_sn)
      .data(pdu::encode_text(pairs))
      .build();
}

//= rfc7143#section-6.2 type=test
//# There MUST NOT be more than one outstanding Text Request, or Text
//# Response PDU on an iSCSI connection.
TOUCHSTONE_CASE({.id = "text.second-outstanding-not-answered",
                 .title = "a second Text Request sent before the first one's answer is not answered with a Text "
                          "Response",
                 .citations = {"rfc7143#section-6.2", "rfc7143#section-7.13"},
                 .level = requirement_level::must,
                 .tags = {"text"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const pdu::text_pairs ask{{"SendTargets", ctx.target().target_name}};
  // The precondition: one Text Request alone is answered (a target that
  // ends the connection on any Text Request is judged by the text.* cases).
  const auto alone = text_exchange(*s, ask);
  if (!alone.complete)
    return verdict::error("cannot judge: a single Text Request is not answered (" + alone.last.describe() + ")");
  // Both go out before either answer is read: the second's ExpStatSN is the
  // first's, acknowledging no Text Response.
  const auto exp_stat_sn = s->exp_stat_sn();
  const auto first_itt = s->next_itt();
  const auto second_itt = s->next_itt();
  if (s->send(text_request(*s, first_itt, exp_stat_sn, ask))) return ctx.setup_error();
  if (s->send(text_request(*s, second_itt, exp_stat_sn, ask))) return ctx.setup_error();
  const auto first = await_itt(*s, first_itt);
  // Ending the connection on the two requests answers neither: no second
  // Text Response outstanding.
  if (first.connection_lost()) return verdict::pass("the target closed the connection");
  if (!first.is(opcode::text_response)) return unexpected(first, "the Text Response to the first Text Request");
  const auto second = await_itt(*s, second_itt);
  if (second.is(opcode::text_response))
    return verdict::fail("the second outstanding Text Request was answered with a Text Response while the "
                         "first one's was not acknowledged (ExpStatSN " + hex32(exp_stat_sn) + ")");
  //= rfc7143#section-7.13 type=test
  //# All violations of iSCSI PDU exchange sequences specified in this
  //# document are also protocol errors.
  if (second.is(opcode::reject)) {
    const auto reason = pdu::reject_view(second.received).raw_reason();
    if (reason != static_cast<std::uint8_t>(pdu::reject_reason::protocol_error))
      return verdict::fail("the second outstanding Text Request was rejected with reason 0x" +
                           hex32(reason).substr(6) + ", not Protocol Error (0x04)");
    return verdict::pass();
  }
  if (second.connection_lost()) return verdict::pass();
  return unexpected(second, "a Reject (Protocol Error) of the second Text Request");
}

//= rfc7143#section-6.3 type=test
//# There MUST NOT be more than one outstanding Login Request or Login
//# Response on an iSCSI connection.
TOUCHSTONE_CASE({.id = "login.second-outstanding-not-answered",
                 .title = "a second Login Request sent before the first one's answer ends the login",
                 .citations = {"rfc7143#section-6.3", "rfc7143#section-11.12.9"},
                 .level = requirement_level::must,
                 .tags = {"login"}}) {
  auto o = ctx.normal_login();
  const auto security = first_login_step(ctx, o);
  if (!security.s) return ctx.setup_error();
  if (!security.login_response() || security.view().status_class() != 0)
    return unexpected(security.answer, "a successful Login Response to the first Login Request");
  auto& s = *security.s;
  const pdu::login_request_view r(security.request);
  auto next = [&](bool transit, std::uint32_t exp_stat_sn) {
    auto b = pdu::login_request_builder{};
    b.isid(r.isid()).tsih(r.tsih()).cid(r.cid()).cmd_sn(r.cmd_sn()).exp_stat_sn(exp_stat_sn);
    b.initiator_task_tag(r.initiator_task_tag()).csg(pdu::login_stage::operational_negotiation);
    // The key goes in the second request only: the third repeating it
    // would be another error (section 6.4).
    if (!transit) b.data(pdu::encode_text({{"MaxRecvDataSegmentLength", "8192"}}));
    if (transit) b.transit_to(pdu::login_stage::full_feature_phase);
    return b.build();
  };
  //= rfc7143#section-11.12.9 type=test
  //# For subsequent Login Requests, it is used to acknowledge the Login
  //# Responses with their increasing StatSN values.
  // Both go out before either answer is read: the third request's ExpStatSN
  // is the second's, acknowledging the first Login Response only.
  const auto exp_stat_sn = s.exp_stat_sn();
  if (s.send(next(false, exp_stat_sn)) || s.send(next(true, exp_stat_sn))) return ctx.setup_error();
  const auto second = s.expect_pdu();
  if (!second.is(opcode::login_response)) return unexpected(second, "the Login Response to the second request");
  login_step third;
  third.s = &s;
  third.answer = s.expect_pdu();
  if (third.answer.connection_lost()) return verdict::pass();
  if (third.login_response() && third.view().status_class() == 0)
    return verdict::fail("the Login Request sent before the previous one's answer was answered with status " +
                         hex16(third.status()) + " while that answer was not acknowledged (ExpStatSN " +
                         hex32(exp_stat_sn) + ")");
  return expect_initiator_error(third, "a second outstanding Login Request");
}

}  // namespace
}  // namespace touchstone::conformance::cases
