// Malformed lengths and headers: AHS inconsistent with TotalAHSLength, a
// reserved AHS type, a DataSegmentLength far beyond any limit, a data
// segment cut short, a Login Request in the Full Feature Phase, an
// unassigned TMF function (RFC 7143 sections 4.2.4, 7.7, 11, 11.2.1.5,
// 11.2.2, 11.5.1), each followed by the survival check.
#include "malformed_helpers.hpp"

namespace touchstone::conformance::cases {
namespace {

// A TEST UNIT READY carrying the given AHS bytes (TotalAHSLength from their size).
provoked command_with_ahs(case_context& ctx, pdu::byte_buffer ahs) {
  return provoke(ctx, [&](session& s) { return command_for(s, unit_ready_request(ctx)).ahs(std::move(ahs)).build(); });
}

//= rfc7143#section-7.7 type=test
//# b) Inconsistent field contents (consistent field contents are
//# specified in Section 11).
//= rfc7143#section-11.2.1.5 type=test
//# This is the total length of all AHS header segments in units of
//# 4-byte words, including padding, if any.
TOUCHSTONE_CASE({.id = "malformed.ahs.length-beyond-total",
                 .title = "an AHS whose AHSLength (64) overruns TotalAHSLength (one word): Reject or close, target survives",
                 .citations = {"rfc7143#section-7.7", "rfc7143#section-11.2.1.5", "rfc7143#section-11.2.2.2"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "format-error", "survival"}}) {
  return refused(ctx, command_with_ahs(ctx, {0x00, 0x40, 0x01, 0x00}), "an AHS longer than TotalAHSLength",
                 {0x04, 0x09}, true);
}

//= rfc7143#section-11 type=test
//# Receipt of reserved code values in defined fields MUST be
//# reported as a protocol error.
//= rfc7143#section-11.2.2.1 type=test
//# 3 - 63 Reserved
TOUCHSTONE_CASE({.id = "malformed.ahs.reserved-type",
                 .title = "a SCSI Command with an AHS of type 3 (reserved): protocol error (Reject) or close",
                 .citations = {"rfc7143#section-11", "rfc7143#section-11.2.2.1", "rfc7143#section-7.7"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "reject", "survival"}}) {
  return refused(ctx, command_with_ahs(ctx, {0x00, 0x01, 0x03, 0x00}), "AHS type 3", {0x04, 0x09}, true);
}

//= rfc7143#section-7.7 type=test
//# a) Illegal contents of any PDU header field except the Opcode
//# (legal values are specified in Section 11).
//= rfc7143#section-11.2.1.6 type=test
//# This is the data segment payload length in bytes (excluding padding).
TOUCHSTONE_CASE({.id = "malformed.data-segment-length.far-beyond-limit",
                 .title = "a NOP-Out header announcing 16 MiB of data (none sent): Reject or close, not a wait for the bytes",
                 .citations = {"rfc7143#section-7.7", "rfc7143#section-11.2.1.6", "rfc7143#section-13.12"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "mrdsl", "survival"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  if (s->params().header_digest != pdu::digest_type::none) return verdict::skip("header digests are in force");
  auto bytes = s->wire().encode(ping_request(*s));
  bytes[5] = bytes[6] = bytes[7] = 0xff;
  if (s->send_bytes(bytes)) return ctx.error_after("sending", *s);
  const auto seen = s->expect_pdu();
  if (seen.what == observed::timeout) {
    s->wire().close();
    return verdict::fail("the target waits for the 16 MiB announced instead of rejecting the header or closing");
  }
  if (!seen.connection_lost() && !seen.is(opcode::reject)) return unexpected(seen, "a Reject or the close");
  return survives(ctx, "a DataSegmentLength of 16 MiB");
}

//= rfc7143#section-7.7 type=test
//# Format errors indicate a major implementation flaw in one of the
//# parties.
TOUCHSTONE_CASE({.id = "malformed.truncated-data-segment",
                 .title = "a ping header announcing 512 bytes, 100 of them, then the close: no answer, target survives",
                 .citations = {"rfc7143#section-7.7", "rfc7143#section-11.2.1.6"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "survival"}}) {
  auto* s = ctx.logged_in();
  if (!s) return ctx.setup_error();
  const auto bytes = s->wire().encode(ping_request(*s, pattern(512)));
  if (s->send_bytes(pdu::bytes_view{bytes.data(), pdu::bhs_size + 100})) return ctx.error_after("sending", *s);
  const auto seen = s->expect_silence();
  if (seen.is(opcode::nop_in)) return verdict::fail("the incomplete ping was answered: " + seen.describe());
  s->wire().close();
  return survives(ctx, "a truncated data segment");
}

//= rfc7143#section-4.2.4 type=test
//# On any connection, the Login Phase
//# MUST immediately follow TCP connection establishment, and a
//# subsequent Login Phase MUST NOT occur before tearing down the
//# connection.
TOUCHSTONE_CASE({.id = "malformed.login-in-full-feature-phase",
                 .title = "a Login Request on a connection in the Full Feature Phase: Reject, error or close; never a new login",
                 .citations = {"rfc7143#section-4.2.4", "rfc7143#section-11.17.1"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "login", "survival"}}) {
  auto o = ctx.normal_login();
  auto* s = ctx.logged_in(o);
  if (!s) return ctx.setup_error();
  o.tsih = s->tsih();
  const auto request = login_request(*s, o).data(pdu::encode_text(identity_keys(o))).build();
  if (s->send(request)) return ctx.error_after("sending", *s);
  const auto seen = s->expect_pdu();
  if (seen.is(opcode::login_response) && pdu::login_response_view(seen.received).status_class() == 0)
    return verdict::fail("a second login was accepted on a connection in the Full Feature Phase: " + seen.describe());
  if (!seen.connection_lost() && !seen.is(opcode::reject) && !seen.is(opcode::login_response))
    return unexpected(seen, "a Reject, a Login Response with an error status or the close");
  return survives(ctx, "a Login Request in the Full Feature Phase");
}

//= rfc7143#section-11.5.1 type=test
//# Values 9-12 are assigned in [RFC7144].  All other possible values for
//# the Function field are unassigned.
//= rfc7143#section-11.6.1 type=test
//# 5 - Task management function not supported
TOUCHSTONE_CASE({.id = "malformed.tmf.unassigned-function",
                 .title = "a TMF Request with function 0x70 (unassigned): response 5 or 255, a Reject, or the close",
                 .citations = {"rfc7143#section-11.5.1", "rfc7143#section-11.6.1", "rfc7143#section-11"},
                 .level = requirement_level::must,
                 .tags = {"malformed", "tmf", "survival"}}) {
  const auto p = provoke(ctx, [&](session& s) {
    return tmf_request(ctx, s, pdu::tmf_function::abort_task_set).raw_function(0x70).build();
  });
  if (!p.s) return ctx.setup_error();
  if (p.answer.is(opcode::task_mgmt_response)) {
    const auto code = pdu::task_mgmt_response_view(p.answer.received).raw_response();
    if (code != 5 && code != 255) return verdict::fail("function 0x70 got TMF response " + std::to_string(code));
  } else if (const auto reason = reject_reason(p.answer)) {
    if (*reason != 0x04 && *reason != 0x05 && *reason != 0x09)
      return verdict::fail("function 0x70 was rejected with reason " + std::to_string(*reason));
  } else if (!p.answer.connection_lost()) {
    return unexpected(p.answer, "a TMF Response 5/255, a Reject or the close");
  }
  return survives(ctx, "an unassigned TMF function");
}

}  // namespace
}  // namespace touchstone::conformance::cases
