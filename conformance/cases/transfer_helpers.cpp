// Data-transfer helpers.
#include "transfer_helpers.hpp"

namespace touchstone::conformance::cases {

transfer_session transfer_session_with(case_context& ctx, const pdu::text_pairs& offers) {
  transfer_session t;
  auto o = ctx.normal_login();
  o.operational = offers;
  t.s = ctx.logged_in(o);
  if (!t.s) {
    t.problem = ctx.setup_error();
    return t;
  }
  t.block = block_length(ctx, *t.s);
  if (t.block == 0) t.problem = ctx.error_after("READ CAPACITY(10) failed", *t.s);
  return t;
}

scsi_request write_request(const case_context& ctx, std::uint32_t lba, std::uint16_t blocks,
                           std::uint32_t edtl, std::size_t data_bytes) {
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::write10(lba, blocks);
  r.write = true;
  r.expected_length = edtl;
  r.data_out = pattern(data_bytes, 0x31);
  return r;
}

verdict expect_iscsi_condition(const scsi_outcome& out, std::uint8_t asc, std::uint8_t ascq,
                               std::string_view what) {
  if (!out.completed()) return verdict::fail(std::string(what) + " ended without a status: " + out.summary());
  if (out.response != 0 || out.status != 0x02)
    return verdict::fail(std::string(what) + " got " + out.summary() + ", expected CHECK CONDITION");
  const auto sense = parse_sense(out.sense);
  //= rfc7143#section-11.4.7 type=test
  //# iSCSI targets MUST support and enable Autosense. If Status is CHECK
  //# CONDITION (0x02), then the data segment MUST contain sense data for the
  //# failed command.
  if (!sense) return verdict::fail(std::string(what) + ": CHECK CONDITION without readable sense data");
  if (sense->key != 0x0b || sense->asc != asc || sense->ascq != ascq) {
    char want[48];
    std::snprintf(want, sizeof want, "ABORTED COMMAND %02xh/%02xh", asc, ascq);
    return verdict::fail(std::string(what) + " got " + describe_sense(*sense) + ", expected " + want);
  }
  return verdict::pass();
}

pdu::data_out_builder data_out_for(const case_context& ctx, const held_write& w, std::uint32_t offset,
                                   std::uint32_t length, bool final, std::optional<std::uint32_t> ttt) {
  pdu::data_out_builder b;
  b.final_bit(final)
      .lun(lun_field(ctx.target().lun))
      .initiator_task_tag(w.itt)
      .target_transfer_tag(ttt.value_or(pdu::r2t_view(w.r2t).target_transfer_tag()))
      .exp_stat_sn(w.s->exp_stat_sn())
      .data_sn(0)
      .buffer_offset(offset)
      .data(pattern(length, 0x44));
  return b;
}

observation answer_about(session& s, std::uint32_t itt) {
  const auto until = s.times().after(s.times().wait);
  for (;;) {
    auto seen = s.next(until);
    if (!seen.is_pdu()) return seen;
    if (seen.received.header().initiator_task_tag() == itt) return seen;
    if (seen.is(opcode::reject)) return seen;
  }
}

std::optional<std::uint8_t> reject_reason(const observation& seen) {
  if (!seen.is(opcode::reject)) return std::nullopt;
  return pdu::reject_view(seen.received).raw_reason();
}

verdict completes_after_reject(const case_context& ctx, const held_write& w) {
  if (answer_r2t(ctx, w)) return verdict::error("sending the good Data-Out failed");
  const auto seen = await_itt(*w.s, w.itt);
  //= rfc7143#section-7.3
  //# Targets MUST NOT implicitly terminate an active task by sending a
  //# Reject PDU for any PDU exchanged during the life of the task.
  if (!seen.is(opcode::scsi_response) && !seen.is(opcode::r2t))
    return verdict::fail("after the rejected Data-Out and the good one, the WRITE got " + seen.describe());
  return verdict::pass();
}

scsi_outcome finish_task(const case_context& ctx, session& s, std::uint32_t itt) {
  scsi_outcome out;
  out.itt = itt;
  held_write w;
  w.s = &s;
  w.itt = itt;
  for (int i = 0; i < 256; ++i) {
    const auto seen = await_itt(s, itt);
    out.last = seen;
    if (seen.is(opcode::r2t)) {
      out.r2ts.push_back(seen.received);
      w.r2t = seen.received;
      if (answer_r2t(ctx, w)) break;
      continue;
    }
    if (seen.is(opcode::data_in)) {
      const pdu::data_in_view v(seen.received);
      out.data_ins.push_back(seen.received);
      out.data_bytes_received += seen.received.data.size();
      if (!v.has_status()) continue;
      out.how = task_ending::status;
      out.status = v.raw_status();
      out.underflow = v.residual_underflow();
      out.overflow = v.residual_overflow();
      out.residual_count = v.residual_count();
      out.final_pdu = seen.received;
      return out;
    }
    if (seen.is(opcode::scsi_response)) {
      const pdu::scsi_response_view v(seen.received);
      out.how = task_ending::status;
      out.status = v.raw_status();
      out.response = v.raw_response();
      out.underflow = v.residual_underflow();
      out.overflow = v.residual_overflow();
      out.residual_count = v.residual_count();
      if (auto segment = v.sense_and_response_data()) out.sense.assign(segment->sense.begin(), segment->sense.end());
      out.final_pdu = seen.received;
      return out;
    }
    out.how = seen.is_pdu() ? task_ending::unexpected : task_ending::transport;
    out.detail = seen.describe();
    return out;
  }
  out.detail = "too many R2Ts";
  return out;
}

}  // namespace touchstone::conformance::cases
