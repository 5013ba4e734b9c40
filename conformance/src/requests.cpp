// NOP-Out, Text and Logout requests.
#include "touchstone/conformance/requests.hpp"

#include "touchstone/conformance/login.hpp"
#include "touchstone/pdu/all.hpp"

namespace touchstone::conformance {

pdu::pdu opcode_request(session& s, std::uint8_t code) {
  return pdu::unknown_builder(code)
      .immediate()
      .final_bit()
      .initiator_task_tag(s.next_itt())
      .set_u32(24, s.cmd_sn())
      .set_u32(28, s.exp_stat_sn())
      .build();
}

pdu::pdu ping_request(session& s, pdu::bytes_view data) {
  //= rfc7143#section-11.18.1
  //# The NOP-Out MUST have the Initiator Task Tag set to a valid value
  //# only if a response in the form of a NOP-In is requested
  return pdu::nop_out_builder{}
      .immediate()
      .initiator_task_tag(s.next_itt())
      .cmd_sn(s.cmd_sn())
      .exp_stat_sn(s.exp_stat_sn())
      .data(data)
      .build();
}

observation await_itt(session& s, std::uint32_t itt) {
  const auto until = s.times().after(s.times().wait);
  for (;;) {
    auto seen = s.next(until);
    if (!seen.is_pdu()) return seen;
    if (seen.received.header().initiator_task_tag() == itt) return seen;
    if (seen.is(pdu::opcode::reject)) {
      const auto rejected = pdu::reject_view(seen.received).rejected_header();
      if (rejected && rejected->initiator_task_tag() == itt) return seen;
    }
  }
}

text_outcome text_exchange(session& s, const pdu::text_pairs& pairs) {
  text_outcome out;
  const auto itt = s.next_itt();
  const auto encoded = pdu::encode_text(pairs);
  const auto chunks = pdu::split_text(encoded, s.params().max_send_data_segment_length);
  std::uint32_t ttt = pdu::reserved_tag;
  pdu::text_assembler assembler;
  //= rfc7143#section-4.2.2.1
  //# - CmdSN: the current command sequence number, advanced by 1 on
  //#   each command shipped except for commands marked for immediate
  //#   delivery as discussed above.
  // Every Text Request of the sequence is a command of its own: a target
  // ignores a second PDU carrying an already received CmdSN.
  auto send = [&](pdu::bytes_view data, bool more) {
    return s.send(pdu::text_request_builder{}
                      .final_bit(!more)
                      .continue_bit(more)
                      .initiator_task_tag(itt)
                      .target_transfer_tag(ttt)
                      .cmd_sn(s.take_cmd_sn())
                      .exp_stat_sn(s.exp_stat_sn())
                      .data(data)
                      .build());
  };
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (send(chunks[i].data, chunks[i].continue_bit)) return out;
    if (!chunks[i].continue_bit) break;
    out.last = await_itt(s, itt);  // an empty Text Response asks for the rest
    if (!out.last.is(pdu::opcode::text_response)) return out;
    out.responses.push_back(out.last.received);
  }
  for (;;) {
    out.last = await_itt(s, itt);
    if (!out.last.is(pdu::opcode::text_response)) return out;
    const auto& p = out.last.received;
    out.responses.push_back(p);
    const pdu::text_response_view v(p);
    if (!assembler.add(pdu::bytes_view{p.data}, v.continue_bit())) return out;
    if (v.final_bit() || !v.continue_bit()) {
      if (auto parsed = assembler.take()) out.pairs = std::move(*parsed);
      out.complete = v.final_bit();
      if (v.final_bit()) return out;
    }
    //= rfc7143#section-11.10.4
    //# By copying the
    //# Target Transfer Tag from the response to the next Text Request, the
    //# initiator tells the target to continue the operation for the specific
    //# Initiator Task Tag.
    ttt = v.target_transfer_tag();
    if (send({}, false)) return out;
  }
}

logout_outcome logout(session& s, pdu::logout_reason reason, after_logout then) {
  logout_outcome out;
  const auto itt = s.next_itt();
  const auto request = pdu::logout_request_builder{reason}
                           .initiator_task_tag(itt)
                           .cmd_sn(s.take_cmd_sn())
                           .exp_stat_sn(s.exp_stat_sn())
                           .build();
  if (const auto ec = s.send(request)) {
    out.last = {observed::io_error, {}, ec.message()};
    return out;
  }
  out.last = await_itt(s, itt);
  if (!out.last.is(pdu::opcode::logout_response)) return out;
  out.response = out.last.received;
  if (then == after_logout::leave) return out;
  if (reason == pdu::logout_reason::close_session || reason == pdu::logout_reason::close_connection)
    out.last = s.expect_close(s.times().wait);
  return out;
}

}  // namespace touchstone::conformance
