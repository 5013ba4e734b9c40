// Task-management helpers.
#include "tmf_helpers.hpp"

#include <algorithm>

namespace touchstone::conformance::cases {

pdu::task_mgmt_request_builder tmf_request(const case_context& ctx, session& s, pdu::tmf_function f,
                                           bool immediate) {
  pdu::task_mgmt_request_builder b;
  b.immediate(immediate).final_bit().function(f).lun(lun_field(ctx.target().lun));
  b.initiator_task_tag(s.next_itt()).referenced_task_tag(pdu::reserved_tag);
  b.cmd_sn(immediate ? s.cmd_sn() : s.take_cmd_sn()).exp_stat_sn(s.exp_stat_sn());
  return b;
}

observation send_tmf(session& s, const pdu::pdu& tmf) {
  if (const auto ec = s.send(tmf)) return {observed::io_error, {}, ec.message()};
  return await_itt(s, tmf.header().initiator_task_tag());
}

tmf_answer tmf_response_of(const observation& seen) {
  tmf_answer a;
  if (!seen.is(opcode::task_mgmt_response)) {
    a.problem = unexpected(seen, "a Task Management Function Response");
    return a;
  }
  a.response = pdu::task_mgmt_response_view(seen.received).raw_response();
  return a;
}

verdict expect_tmf_response(const observation& seen, std::string_view what,
                            std::initializer_list<std::uint8_t> allowed) {
  const auto a = tmf_response_of(seen);
  if (!a.response) return a.problem;
  if (std::find(allowed.begin(), allowed.end(), *a.response) == allowed.end()) {
    std::string list;
    for (const auto r : allowed) list += (list.empty() ? "" : " or ") + std::to_string(r);
    return verdict::fail(std::string(what) + " got TMF response " + std::to_string(*a.response) + ", expected " + list);
  }
  return verdict::pass("TMF response " + std::to_string(*a.response));
}

held_write hold_write(case_context& ctx) { return hold_write(ctx, solicited_session(ctx)); }

held_write hold_write(case_context& ctx, session* s) {
  held_write w;
  w.s = s;
  if (!w.s) {
    w.problem = ctx.setup_error();
    return w;
  }
  w.block = block_length(ctx, *w.s);
  if (w.block == 0) {
    w.problem = ctx.error_after("READ CAPACITY(10) failed", *w.s);
    return w;
  }
  if (!w.s->params().initial_r2t || w.s->params().immediate_data) {
    w.problem = verdict::error("InitialR2T=Yes, ImmediateData=No did not come out of the negotiation");
    return w;
  }
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::write10(0, 1);
  r.write = true;
  r.expected_length = w.block;
  const auto command = command_for(*w.s, r).build();
  w.itt = command.header().initiator_task_tag();
  w.cmd_sn = pdu::scsi_command_view(command).cmd_sn();
  if (w.s->send(command)) {
    w.problem = ctx.error_after("sending the WRITE", *w.s);
    return w;
  }
  const auto seen = await_itt(*w.s, w.itt);
  if (!seen.is(opcode::r2t)) {
    w.problem = verdict::skip("the WRITE was not answered by an R2T (is the LUN writable?): " + seen.describe());
    return w;
  }
  w.r2t = seen.received;
  return w;
}

std::error_code answer_r2t(const case_context& ctx, const held_write& w) {
  const pdu::r2t_view v(w.r2t);
  return w.s->send(pdu::data_out_builder{}
                       .final_bit()
                       .lun(lun_field(ctx.target().lun))
                       .initiator_task_tag(w.itt)
                       .target_transfer_tag(v.target_transfer_tag())
                       .exp_stat_sn(w.s->exp_stat_sn())
                       .data_sn(0)
                       .buffer_offset(v.buffer_offset())
                       .data(pdu::byte_buffer(v.desired_data_transfer_length(), 0))
                       .build());
}

verdict multi_task_abort(case_context& ctx, pdu::tmf_function f, std::initializer_list<std::uint8_t> allowed) {
  const auto w = hold_write(ctx);
  if (!w.ok()) return w.problem;
  const auto tmf = tmf_request(ctx, *w.s, f).build();
  if (w.s->send(tmf)) return ctx.error_after("sending the TMF", *w.s);
  //= rfc7143#section-4.2.3.3
  //# a) MUST continue to respond to each TTT received for the affected
  //# tasks.
  if (answer_r2t(ctx, w)) return ctx.error_after("answering the R2T", *w.s);
  const auto seen = await_itt(*w.s, tmf.header().initiator_task_tag());
  if (auto v = expect_tmf_response(seen, "the TMF", allowed); v.kind != verdict_kind::pass) return v;
  if (pdu::task_mgmt_response_view(seen.received).raw_response() != 0)
    return verdict::pass("the function is not supported (response " +
                         std::to_string(pdu::task_mgmt_response_view(seen.received).raw_response()) + ")");
  return no_answer_for(*w.s, w.itt, "the aborted WRITE, after the TMF Response,");
}

}  // namespace touchstone::conformance::cases
