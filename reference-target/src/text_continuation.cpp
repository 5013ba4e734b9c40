// Text Requests in the Full Feature Phase with continuation both ways: a
// request text split over PDUs with the C bit, and an answer longer than the
// initiator's MaxRecvDataSegmentLength sent in parts, each invited by a Text
// Request carrying the Target Transfer Tag (sections 11.10 and 11.11).
#include <algorithm>
#include <set>
#include <string_view>

#include <spdlog/spdlog.h>

#include "touchstone/pdu/text_request.hpp"
#include "touchstone/pdu/text_response.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::target {

namespace {

bool has_repeated_key(const pdu::text_pairs& pairs) {
  std::set<std::string_view> seen;
  for (const auto& kv : pairs)
    if (!seen.insert(kv.key).second) return true;
  return false;
}

}  // namespace

void connection::on_text_request(const pdu::pdu& p) {
  const pdu::text_request_view v(p);
  //= rfc7143#section-11
  //# Any compliant receiver MUST
  //# ignore any bit not defined and all reserved fields unless specified
  //# otherwise.
  // Mutant reject-instead-of-ignore-reserved breaks it: reserved bytes 2-3
  // and 32-47 of a Text Request must be zero, or the request is rejected.
  if (mutated(m::reject_instead_of_ignore_reserved) && !(p.header().zero(2, 4) && p.header().zero(32, 48)))
    return send_reject(p, pdu::reject_reason::protocol_error, "rfc7143#section-11/reserved");
  // Rejected before the exchange state changes: the exchange in progress
  // (whose response is outstanding) goes on.
  if (second_text_outstanding(v.exp_stat_sn()))
    return send_reject(p, pdu::reject_reason::protocol_error, text_outstanding_id);
  auto& x = text_exchange_;
  if (v.is_new_request()) {
    //= rfc7143#section-11.10.4
    //# When the Target Transfer Tag is set to the reserved value 0xffffffff, it
    //# tells the target that this is a new request, and the target resets any
    //# internal state associated with the Initiator Task Tag
    x = text_exchange();
    x.itt = v.initiator_task_tag();
  } else if (v.target_transfer_tag() != x.ttt || v.initiator_task_tag() != x.itt) {
    //= rfc7143#section-11.11.4
    //# The target may reject subsequent Text Requests with the Target Transfer
    //# Tag set to the "stale" value.
    return send_reject(p, pdu::reject_reason::invalid_pdu_field, "rfc7143#section-11.10.4/stale-ttt");
  } else if (x.sent < x.outgoing.size()) {
    //= rfc7143#section-11.11.4
    //# The initiator MUST copy the Target Transfer Tag and LUN in its next
    //# request to indicate that it wants the rest of the data.
    if (!p.data.empty()) note("rfc7143#section-11.10.4/continue-empty", "data while the answer continues");
    return send_text_part(p);
  }
  const auto added = x.incoming.add(pdu::bytes_view(p.data), v.continue_bit());
  if (!added) {
    x = text_exchange();
    return send_reject(p, pdu::reject_reason::protocol_error, "rfc7143#section-6.1");
  }
  if (*added == pdu::text_assembler::state::need_more) {
    //= rfc7143#section-11.11.1
    //# A Text Response with the F bit set to 1 in response to a Text Request
    //# with the F bit set to 0 is a protocol error.
    x.outgoing.clear();
    x.sent = 0;
    return send_text_part(p);
  }
  const auto pairs = x.incoming.take();
  if (!pairs) {
    x = text_exchange();
    return send_reject(p, pdu::reject_reason::protocol_error, "rfc7143#section-6.1");
  }
  //= rfc7143#section-6.4
  //# Neither the initiator nor the target should attempt to declare or
  //# negotiate a parameter more than once during any negotiation sequence,
  //# except for responses to specific keys that explicitly allow repeated
  //# key declarations (e.g., TargetAddress).  If such an attempt is
  //# detected by the target, the target MUST respond with a Reject PDU
  //# with a reason of "Protocol Error".
  // This target ends every sequence with the answer to one request text, so
  // the sequence is that text; no key an initiator sends may repeat.
  if (has_repeated_key(*pairs)) {
    x = text_exchange();
    return send_reject(p, pdu::reject_reason::protocol_error, "rfc7143#section-6.4/key-repeated");
  }
  const bool single_send_targets = pairs->size() == 1 && pairs->front().key == "SendTargets";
  //= rfc7143#appendix-C
  //# This PDU contains exactly one text key and value.  The text key MUST be SendTargets.
  if (phase_ == phase::ffp_discovery && !single_send_targets) {
    x = text_exchange();
    return send_reject(p, pdu::reject_reason::command_not_supported,
                       "rfc7143#section-4.3/discovery-only-sendtargets");
  }
  //= rfc7143#section-11.11.1
  //# A Text Response with the F bit set to 1 MUST NOT contain key=value pairs
  //# that may require additional answers from the initiator.
  // answer_text (ffp_control.cpp) only answers the request's keys
  // (SendTargets records, NotUnderstood, Reject): it never offers one.
  x.outgoing = pdu::encode_text(answer_text(*pairs));
  x.sent = 0;
  send_text_part(p);
}

// Sends the next part of the answer (an empty one while the request text is
// still incomplete); the last part has F=1 and TTT 0xffffffff.
void connection::send_text_part(const pdu::pdu& request) {
  const pdu::text_request_view v(request);
  auto& x = text_exchange_;
  const bool request_incomplete = v.continue_bit();
  //= rfc7143#section-11.11.6
  //# The data lengths of a Text Response MUST NOT exceed the iSCSI initiator
  //# MaxRecvDataSegmentLength
  const std::size_t room = std::max<std::uint32_t>(keys_.max_send_data_segment_length, 1);
  const std::size_t n = request_incomplete ? 0 : std::min(room, x.outgoing.size() - x.sent);
  const bool more = request_incomplete || x.sent + n < x.outgoing.size();
  if (more && x.ttt == pdu::reserved_tag) {
    if (next_ttt_ == pdu::reserved_tag) next_ttt_ = 1;
    x.ttt = next_ttt_++;
  }
  pdu::text_response_builder b;
  b.initiator_task_tag(v.initiator_task_tag())
      //= rfc7143#section-11.11
      //# LUN or Reserved
      // Only a response with a TTT carries the LUN (11.11.4); the last one's
      // is reserved: zero (found by fuzz/target_session).
      //= rfc7143#section-11.10.4
      //# If the Target Transfer Tag is not 0xffffffff, the LUN field MUST be
      //# sent by the target in the Text Response.
      .lun(more ? v.lun() : 0)
      //= rfc7143#section-11.11.1
      //# A Text Response with the F bit set to 1 MUST have a Target Transfer Tag
      //# field set to the reserved value 0xffffffff.  A Text Response with the F
      //# bit set to 0 MUST have a Target Transfer Tag field set to a value other
      //# than the reserved value 0xffffffff.
      //= rfc7143#section-11.10.4
      //# The target sets the Target Transfer Tag in a Text Response to a value
      //# other than the reserved value 0xffffffff whenever it indicates that it
      //# has more data to send or more operations to perform that are
      //# associated with the specified Initiator Task Tag. It MUST do so
      //# whenever it sets the F bit to 0 in the response.
      //= rfc7143#section-11.11.4
      //# When a target has more work to do (e.g., cannot transfer all the
      //# remaining text data in a single Text Response or has to continue the
      //# negotiation) and has enough resources to proceed, it MUST set the
      //# Target Transfer Tag to a value other than the reserved value
      //# 0xffffffff.
      //= rfc7143#section-11.11.4
      //# Otherwise, the Target Transfer Tag MUST be set to 0xffffffff.
      .final_bit(!more)
      //= rfc7143#section-6.4
      //# Whenever the target responds with the F bit set to 0, it MUST set the Target Transfer Tag
      //# to a value other than the default 0xffffffff.
      .target_transfer_tag(more ? x.ttt : pdu::reserved_tag)
      //= rfc7143#section-11.11.2
      //# When set to 1, this bit indicates that the text (set of key=value
      //# pairs) in this Text Response is not complete
      //= rfc7143#section-11.11.2
      //# A Text Response with the C bit set to 1 MUST have the F bit set to 0.
      .continue_bit(!request_incomplete && more)
      .stat_sn(take_stat_sn())
      .exp_cmd_sn(window().exp_cmd_sn())
      .max_cmd_sn(window().max_cmd_sn())
      .data(pdu::bytes_view(x.outgoing).subspan(x.sent, n));
  auto response = b.build();
  exchange_response_sent(pdu::text_response_view(response).stat_sn());
  x.sent += n;
  if (!more) x = text_exchange();
  send(std::move(response));
}

}  // namespace touchstone::target
