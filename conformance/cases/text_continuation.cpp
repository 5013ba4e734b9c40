// Text Requests and Responses that span PDUs: the empty answer to C=1, an
// answer longer than our MaxRecvDataSegmentLength sent in parts with a
// Target Transfer Tag, and a new request resetting the exchange (RFC 7143
// sections 6.2, 11.10, 11.11).
#include "common.hpp"

namespace touchstone::conformance::cases {
namespace {

pdu::pdu text_part(session& s, std::uint32_t itt, std::uint32_t cmd_sn, std::uint32_t ttt, std::string_view text,
                   bool more) {
  return pdu::text_request_builder{}
      .final_bit(!more)
      .continue_bit(more)
      .initiator_task_tag(itt)
      .target_transfer_tag(ttt)
      .cmd_sn(cmd_sn)
      .exp_stat_sn(s.exp_stat_sn())
      .data(pdu::bytes_view{reinterpret_cast<const std::uint8_t*>(text.data()), text.size()})
      .build();
}

// Sends the first half of one key=value with C=1; returns the target's answer.
struct half_sent {
  session* s = nullptr;
  std::uint32_t itt = 0;
  std::uint32_t cmd_sn = 0;
  observation answer;
};

half_sent send_first_half(case_context& ctx) {
  half_sent h;
  h.s = ctx.logged_in();
  if (!h.s) return h;
  h.itt = h.s->next_itt();
  h.cmd_sn = h.s->take_cmd_sn();
  if (const auto ec = h.s->send(text_part(*h.s, h.itt, h.cmd_sn, pdu::reserved_tag, "X-org.touchstone.spl", true)))
    h.answer = {observed::io_error, {}, ec.message()};
  else
    h.answer = await_itt(*h.s, h.itt);
  return h;
}

//= rfc7143#section-6.2 type=test
//# A target receiving a Text or Login Request with the C bit set to 1
//# MUST answer with a Text or Login Response with no data segment
//# (DataSegmentLength 0).
//= rfc7143#section-11.11.1 type=test
//# A Text Response with the F bit set to 0 MUST have a Target Transfer
//# Tag field set to a value other than the reserved value 0xffffffff.
//= rfc7143#section-6.4 type=test
//# Whenever the target responds with the F bit set to 0, it MUST set the Target Transfer Tag to a
//# value other than the default 0xffffffff.
TOUCHSTONE_CASE({.id = "text.request-continuation.empty-answer",
                 .title = "a Text Request with C=1 is answered by an empty Text Response with F=0 and a TTT",
                 .citations = {"rfc7143#section-6.2", "rfc7143#section-11.11.1", "rfc7143#section-6.4"},
                 .level = requirement_level::must,
                 .tags = {"text"}}) {
  auto h = send_first_half(ctx);
  if (!h.s) return ctx.setup_error();
  if (!h.answer.is(opcode::text_response)) return unexpected(h.answer, "an empty Text Response");
  const pdu::text_response_view v(h.answer.received);
  if (!h.answer.received.data.empty())
    return verdict::fail("the answer to C=1 carries " + std::to_string(h.answer.received.data.size()) + " bytes");
  if (v.final_bit()) return verdict::fail("the answer to C=1 has F=1 (the request text is not complete)");
  if (v.target_transfer_tag() == pdu::reserved_tag) return verdict::fail("the answer with F=0 carries TTT 0xffffffff");
  return verdict::pass();
}

//= rfc7143#section-11.10.4 type=test
//# By copying the
//# Target Transfer Tag from the response to the next Text Request, the
//# initiator tells the target to continue the operation for the specific
//# Initiator Task Tag.
TOUCHSTONE_CASE({.id = "text.request-continuation.completes",
                 .title = "a key split over two Text Requests (C=1, then the rest with the TTT) is answered as one key",
                 .citations = {"rfc7143#section-11.10.4", "rfc7143#section-11.10.2", "rfc7143#section-6.2"},
                 .level = requirement_level::must,
                 .tags = {"text"}}) {
  auto h = send_first_half(ctx);
  if (!h.s) return ctx.setup_error();
  if (!h.answer.is(opcode::text_response)) return unexpected(h.answer, "an empty Text Response");
  const auto ttt = pdu::text_response_view(h.answer.received).target_transfer_tag();
  std::string rest = "it=1";
  rest.push_back('\0');
  if (h.s->send(text_part(*h.s, h.itt, h.s->take_cmd_sn(), ttt, rest, false))) return ctx.error_after("sending the rest", *h.s);
  const auto seen = await_itt(*h.s, h.itt);
  if (!seen.is(opcode::text_response)) return unexpected(seen, "the final Text Response");
  if (!pdu::text_response_view(seen.received).final_bit()) return verdict::skip("the answer continues: " + seen.describe());
  const auto answer = find_value(pairs_of(seen.received), "X-org.touchstone.split");
  if (answer != "NotUnderstood") return verdict::fail("X-org.touchstone.split=" + answer.value_or("(no answer)"));
  return verdict::pass();
}

//= rfc7143#section-11.10.4 type=test
//# When the Target Transfer Tag is set to the reserved value 0xffffffff,
//# it tells the target that this is a new request, and the target resets
//# any internal state associated with the Initiator Task Tag (resets the
//# current negotiation state).
TOUCHSTONE_CASE({.id = "text.new-request-resets-exchange",
                 .title = "after a C=1 half, a new Text Request (TTT 0xffffffff, same ITT) is answered on its own",
                 .citations = {"rfc7143#section-11.10.4", "rfc7143#section-11.11.4"},
                 .level = requirement_level::must,
                 .tags = {"text"}}) {
  auto h = send_first_half(ctx);
  if (!h.s) return ctx.setup_error();
  if (!h.answer.is(opcode::text_response)) return unexpected(h.answer, "an empty Text Response");
  std::string fresh = "X-org.touchstone.fresh=1";
  fresh.push_back('\0');
  if (h.s->send(text_part(*h.s, h.itt, h.s->take_cmd_sn(), pdu::reserved_tag, fresh, false))) return ctx.error_after("sending", *h.s);
  const auto seen = await_itt(*h.s, h.itt);
  if (!seen.is(opcode::text_response)) return unexpected(seen, "a Text Response to the new request");
  const auto pairs = pairs_of(seen.received);
  if (find_value(pairs, "X-org.touchstone.fresh") != "NotUnderstood")
    return verdict::fail("the new request's key was not answered NotUnderstood: " + seen.describe());
  for (const auto& kv : pairs)
    if (kv.key != "X-org.touchstone.fresh") return verdict::fail("the answer carries " + kv.key + ": the old half was not discarded");
  return verdict::pass();
}

//= rfc7143#section-11.11.4 type=test
//# When a target has more work to do (e.g., cannot transfer all the
//# remaining text data in a single Text Response or has to continue the
//# negotiation) and has enough resources to proceed, it MUST set the
//# Target Transfer Tag to a value other than the reserved value
//# 0xffffffff.
//= rfc7143#section-11.11.6 type=test
//# The data lengths of a Text Response MUST NOT exceed the iSCSI
//# initiator MaxRecvDataSegmentLength
//= rfc7143#section-11.10.4 type=test
//# It MUST do so whenever it sets the F bit to 0 in the response.
TOUCHSTONE_CASE({.id = "text.response-continuation.in-parts",
                 .title = "with MaxRecvDataSegmentLength 512, an answer of 40 keys comes in parts: F=0 with a TTT, then F=1",
                 .citations = {"rfc7143#section-11.11.4", "rfc7143#section-11.11.6", "rfc7143#section-11.11.1",
                               "rfc7143#section-11.10.4"},
                 .level = requirement_level::must,
                 .tags = {"text", "mrdsl"}}) {
  auto o = ctx.normal_login();
  o.max_recv_data_segment_length = 512;
  auto* s = ctx.logged_in(o);
  if (!s) return ctx.setup_error();
  pdu::text_pairs keys;
  for (int i = 0; i < 40; ++i) keys.push_back({"X-org.touchstone.part" + std::to_string(100 + i), "1"});
  const auto out = text_exchange(*s, keys);
  if (out.last.what == observed::stream_error)
    return verdict::fail("a Text Response broke our MaxRecvDataSegmentLength of 512: " + out.last.detail);
  if (!out.complete) return unexpected(out.last, "a final Text Response");
  for (std::size_t i = 0; i + 1 < out.responses.size(); ++i) {
    const pdu::text_response_view v(out.responses[i]);
    if (v.final_bit()) return verdict::fail("Text Response #" + std::to_string(i + 1) + " before the last has F=1");
    if (v.target_transfer_tag() == pdu::reserved_tag)
      return verdict::fail("Text Response #" + std::to_string(i + 1) + " has F=0 and TTT 0xffffffff");
  }
  for (const auto& k : keys)
    if (find_value(out.pairs, k.key) != "NotUnderstood") return verdict::fail(k.key + " was not answered NotUnderstood");
  if (out.responses.size() < 2) return verdict::fail("an answer of 40 keys came in one PDU within 512 bytes?");
  return verdict::pass(std::to_string(out.responses.size()) + " parts");
}

}  // namespace
}  // namespace touchstone::conformance::cases
