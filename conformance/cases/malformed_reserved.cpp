// Reserved fields set to non-zero on PDUs the target must still accept: a
// Text Request, a TMF Request, a Data-Out and a Logout (RFC 7143 section 11:
// a receiver ignores reserved fields). These catch over-strict targets.
#include "malformed_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// Sets every byte at `offsets` to 0xa5 and `mask` bits of byte 1.
pdu::pdu with_reserved_set(pdu::pdu p, std::initializer_list<std::size_t> offsets, std::uint8_t flag_mask) {
  for (const auto off : offsets) p.bhs[off] = 0xa5;
  p.bhs[1] = static_cast<std::uint8_t>(p.bhs[1] | flag_mask);
  return p;
}

//= rfc7143#section-11 type=test
//# Any compliant receiver MUST
//# ignore any bit not defined and all reserved fields unless specified
//# otherwise.
TOUCHSTONE_CASE({.id = "malformed.reserved-fields-ignored.text",
                 .title = "a Text Request with its reserved bits and bytes set is answered as usual",
                 .citations = {"rfc7143#section-11", "rfc7143#section-11.10"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reserved", "text"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto request = pdu::text_request_builder{}
                           .final_bit()
                           .initiator_task_tag(s->next_itt())
                           .target_transfer_tag(pdu::reserved_tag)
                           .cmd_sn(s->take_cmd_sn())
                           .exp_stat_sn(s->exp_stat_sn())
                           .data(pdu::encode_text({{"X-org.touchstone.reserved", "1"}}))
                           .build();
  if (s->send(with_reserved_set(request, {2, 3, 32, 36, 40, 44, 47}, 0x3f))) return ctx.error_after("sending", *s);
  const auto seen = await_itt(*s, request.header().initiator_task_tag());
  if (!seen.is(opcode::text_response)) return unexpected(seen, "a Text Response (reserved fields must be ignored)");
  if (find_value(pairs_of(seen.received), "X-org.touchstone.reserved") != "NotUnderstood")
    return verdict::fail("the private key was not answered NotUnderstood: " + seen.describe());
  return verdict::pass();
}

//= rfc7143#section-11 type=test
//# Any compliant receiver MUST
//# ignore any bit not defined and all reserved fields unless specified
//# otherwise.
TOUCHSTONE_CASE({.id = "malformed.reserved-fields-ignored.tmf",
                 .title = "ABORT TASK SET with its reserved bytes set is answered Function complete",
                 .citations = {"rfc7143#section-11", "rfc7143#section-11.5"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reserved", "tmf"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto tmf = tmf_request(ctx, *s, pdu::tmf_function::abort_task_set).build();
  const auto seen = send_tmf(*s, with_reserved_set(tmf, {2, 3, 40, 41, 44, 47}, 0));
  return expect_tmf_response(seen, "ABORT TASK SET with reserved bytes set", {0});
}

//= rfc7143#section-11 type=test
//# Any compliant receiver MUST
//# ignore any bit not defined and all reserved fields unless specified
//# otherwise.
TOUCHSTONE_CASE({.id = "malformed.reserved-fields-ignored.logout",
                 .title = "Logout (close the session) with its reserved bytes set is answered 0",
                 .citations = {"rfc7143#section-11", "rfc7143#section-11.14"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reserved", "logout"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto request = pdu::logout_request_builder{pdu::logout_reason::close_session}
                           .initiator_task_tag(s->next_itt())
                           .cmd_sn(s->take_cmd_sn())
                           .exp_stat_sn(s->exp_stat_sn())
                           .build();
  if (s->send(with_reserved_set(request, {2, 3, 8, 12, 15, 22, 23, 32, 40, 47}, 0)))
    return ctx.error_after("sending the Logout", *s);
  const auto seen = await_itt(*s, request.header().initiator_task_tag());
  if (!seen.is(opcode::logout_response)) return unexpected(seen, "a Logout Response (reserved fields must be ignored)");
  const auto code = pdu::logout_response_view(seen.received).raw_response();
  if (code != 0) return verdict::fail("Logout Response " + std::to_string(code));
  return verdict::pass();
}

//= rfc7143#section-11 type=test
//# Any compliant receiver MUST
//# ignore any bit not defined and all reserved fields unless specified
//# otherwise.
TOUCHSTONE_CASE({.id = "malformed.reserved-fields-ignored.data-out",
                 .title = "a Data-Out with its reserved bits and bytes set completes the WRITE with GOOD",
                 .citations = {"rfc7143#section-11", "rfc7143#section-11.7"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reserved", "data-out"},
                 .needs = {need::writable_lun}}) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  const pdu::r2t_view r2t(w.r2t);
  const auto data_out = data_out_for(ctx, w, r2t.buffer_offset(), r2t.desired_data_transfer_length(), true).build();
  if (w.s->send(with_reserved_set(data_out, {2, 3, 24, 27, 32, 35, 44, 47}, 0x3f))) return ctx.error_after("sending", *w.s);
  const auto seen = await_itt(*w.s, w.itt);
  if (!seen.is(opcode::scsi_response)) return unexpected(seen, "the WRITE's SCSI Response (reserved fields must be ignored)");
  const pdu::scsi_response_view v(seen.received);
  if (v.raw_response() != 0 || v.raw_status() != 0)
    return verdict::fail("the WRITE ended with response " + std::to_string(v.raw_response()) + " status " + std::to_string(v.raw_status()));
  return verdict::pass();
}

}  // namespace
}  // namespace touchstone::conformance::cases
