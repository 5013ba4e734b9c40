// The MC/S helpers: a connected group, Logout by CID, one-block transfers.
#include "mcs_helpers.hpp"

namespace touchstone::conformance::cases {

group_session connected_group(case_context& ctx, std::size_t connections, std::uint32_t max_connections,
                              std::uint8_t erl) {
  group_session g{ctx.group()};
  const auto led = g.group.lead(with_recovery(ctx.normal_login(), erl, max_connections));
  if (!led.ok()) {
    g.problem = verdict::error("the leading login: " + led.summary());
    return g;
  }
  if (g.group.negotiated().max_connections < connections) {
    g.problem = verdict::skip("the session negotiated MaxConnections=" +
                              std::to_string(g.group.negotiated().max_connections) + " (offered " +
                              std::to_string(max_connections) + ")");
    return g;
  }
  if (g.group.tsih() == 0) {
    g.problem = verdict::error("the leading Login Final-Response carried TSIH 0 (reserved, rfc7143#section-11.13.3)");
    return g;
  }
  while (g.group.size() < connections) {
    const auto cid = g.group.next_cid();
    const auto joined = g.group.add();
    if (!joined.ok()) {
      g.problem = verdict::error("connection CID " + std::to_string(cid) + " joining the session (TSIH " +
                                 hex16(g.group.tsih()) + "): " + joined.summary());
      return g;
    }
  }
  return g;
}

pdu::pdu logout_request_for(session& s, pdu::logout_reason reason, std::uint16_t cid, bool immediate) {
  return pdu::logout_request_builder{reason}
      .immediate(immediate)
      .initiator_task_tag(s.next_itt())
      .cid(cid)
      .cmd_sn(immediate ? s.cmd_sn() : s.take_cmd_sn())
      .exp_stat_sn(s.exp_stat_sn())
      .build();
}

scsi_request write_block(const case_context& ctx, const pdu::byte_buffer& data) {
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::write10(mcs_lba, 1);
  r.write = true;
  r.expected_length = static_cast<std::uint32_t>(data.size());
  r.data_out = data;
  return r;
}

scsi_request read_block(const case_context& ctx, std::uint32_t block) {
  scsi_request r;
  r.lun = ctx.target().lun;
  r.cdb = cdb::read10(mcs_lba, 1);
  r.read = true;
  r.expected_length = block;
  return r;
}

pdu::byte_buffer data_of(const scsi_outcome& out, std::size_t length) {
  pdu::byte_buffer data(length);
  for (const auto& p : out.data_ins) {
    const auto offset = pdu::data_in_view(p).buffer_offset();
    for (std::size_t i = 0; i < p.data.size() && offset + i < length; ++i) data[offset + i] = p.data[i];
  }
  return data;
}

std::string status_text(pdu::login_status s) { return hex16(static_cast<std::uint16_t>(s)); }

}  // namespace touchstone::conformance::cases
