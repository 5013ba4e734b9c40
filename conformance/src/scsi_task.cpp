// Driving one SCSI task: the command, its data either way, its status.
#include "touchstone/conformance/scsi_task.hpp"

#include <algorithm>
#include <cstdio>

#include "touchstone/pdu/all.hpp"

namespace touchstone::conformance {

std::uint64_t lun_field(std::uint16_t lun) {
  //= rfc7143#section-11.2.1.7
  //# The LUN field is 64 bits and should be formatted in accordance
  //# with [SAM2].
  // SAM-5 single-level LUN: peripheral addressing below 256, flat above.
  if (lun < 256) return std::uint64_t{lun} << 48;
  return (std::uint64_t{0x4000u | (lun & 0x3fffu)}) << 48;
}

std::string scsi_outcome::summary() const {
  char text[96];
  switch (how) {
    case task_ending::status:
      std::snprintf(text, sizeof text, " response 0x%02x, %zu data bytes", response, data_bytes_received);
      return "status " + pdu::scsi_status_text(status) + text;
    case task_ending::rejected: return "rejected: " + detail;
    case task_ending::transport: return "no status: " + detail;
    case task_ending::unexpected: return "unexpected: " + detail;
  }
  return "?";
}

namespace {

constexpr std::size_t max_placed_bytes = 16u << 20;  // Data-In placement bound

std::size_t immediate_bytes(const session& s, const scsi_request& r) {
  const auto& p = s.params();
  if (!r.write || !p.immediate_data || !r.use_immediate_data) return 0;
  return std::min<std::size_t>({r.data_out.size(), p.first_burst_length,
                                p.max_send_data_segment_length, r.expected_length});
}

// Bytes of unsolicited data to send after the command (immediate data included).
std::size_t unsolicited_limit(const session& s, const scsi_request& r) {
  const auto& p = s.params();
  const auto immediate = immediate_bytes(s, r);
  if (!r.write || p.initial_r2t || !r.use_unsolicited_data) return immediate;
  return std::min<std::size_t>({r.data_out.size(), p.first_burst_length, r.expected_length});
}

class task_driver {
 public:
  task_driver(session& s, const scsi_request& r) : s_(s), r_(r) {}

  scsi_outcome drive(const pdu::pdu& command) {
    const pdu::scsi_command_view cmd(command);
    out_.itt = cmd.initiator_task_tag();
    out_.cmd_sn = cmd.cmd_sn();
    if (const auto ec = s_.send(command)) return transport("sending the command: " + ec.message());
    const auto first_unsolicited = command.data.size();
    const auto limit = unsolicited_limit(s_, r_);
    if (!cmd.final_bit() && limit > first_unsolicited)
      if (const auto ec = send_data(pdu::reserved_tag, first_unsolicited, limit - first_unsolicited))
        return transport("sending unsolicited Data-Out: " + ec.message());
    return collect();
  }

 private:
  scsi_outcome transport(std::string why) {
    out_.how = task_ending::transport;
    out_.detail = std::move(why);
    return std::move(out_);
  }

  // Data-Out PDUs for [offset, offset+length), each within the target's
  // MaxRecvDataSegmentLength, DataSN from 0, F on the last.
  std::error_code send_data(std::uint32_t ttt, std::size_t offset, std::size_t length) {
    const std::size_t segment = std::max<std::uint32_t>(1, s_.params().max_send_data_segment_length);
    std::uint32_t data_sn = 0;
    for (std::size_t done = 0; done < length;) {
      const auto n = std::min(segment, length - done);
      pdu::byte_buffer chunk(n, 0);
      for (std::size_t i = 0; i < n; ++i) {
        const auto at = offset + done + i;
        if (at < r_.data_out.size()) chunk[i] = r_.data_out[at];
      }
      done += n;
      const auto p = pdu::data_out_builder{}
                         .final_bit(done == length)
                         .lun(lun_field(r_.lun))
                         .initiator_task_tag(out_.itt)
                         .target_transfer_tag(ttt)
                         .exp_stat_sn(s_.exp_stat_sn())
                         .data_sn(data_sn++)
                         .buffer_offset(static_cast<std::uint32_t>(offset + done - n))
                         .data(std::move(chunk))
                         .build();
      if (const auto ec = s_.send(p)) return ec;
    }
    return {};
  }

  scsi_outcome collect() {
    for (;;) {
      auto seen = s_.expect_pdu();
      out_.last = seen;
      if (!seen.is_pdu()) return transport(seen.describe());
      const auto& p = seen.received;
      const bool ours = p.header().initiator_task_tag() == out_.itt;
      if (ours && p.op() == pdu::opcode::data_in) {
        if (on_data_in(p)) return std::move(out_);
      } else if (ours && p.op() == pdu::opcode::r2t) {
        if (const auto ec = on_r2t(p)) return transport("answering an R2T: " + ec.message());
      } else if (ours && p.op() == pdu::opcode::scsi_response) {
        on_response(p);
        return std::move(out_);
      } else if (p.op() == pdu::opcode::reject && names_us(p)) {
        out_.how = task_ending::rejected;
        out_.detail = describe(p);
        out_.final_pdu = p;
        return std::move(out_);
      } else {
        out_.others.push_back(p);
      }
    }
  }

  bool names_us(const pdu::pdu& reject) const {
    const auto header = pdu::reject_view(reject).rejected_header();
    return header && header->initiator_task_tag() == out_.itt;
  }

  bool on_data_in(const pdu::pdu& p) {
    const pdu::data_in_view v(p);
    out_.data_ins.push_back(p);
    out_.data_bytes_received += p.data.size();
    const std::size_t end = std::size_t{v.buffer_offset()} + p.data.size();
    if (end <= max_placed_bytes) {
      if (out_.data.size() < end) out_.data.resize(end);
      std::copy(p.data.begin(), p.data.end(), out_.data.begin() + v.buffer_offset());
    }
    if (!v.has_status()) return false;
    out_.how = task_ending::status;
    out_.status = v.raw_status();
    out_.underflow = v.residual_underflow();
    out_.overflow = v.residual_overflow();
    out_.residual_count = v.residual_count();
    out_.final_pdu = p;
    return true;
  }

  std::error_code on_r2t(const pdu::pdu& p) {
    const pdu::r2t_view v(p);
    out_.r2ts.push_back(p);
    return send_data(v.target_transfer_tag(), v.buffer_offset(), v.desired_data_transfer_length());
  }

  void on_response(const pdu::pdu& p) {
    const pdu::scsi_response_view v(p);
    out_.how = task_ending::status;
    out_.status = v.raw_status();
    out_.response = v.raw_response();
    out_.underflow = v.residual_underflow();
    out_.overflow = v.residual_overflow();
    out_.residual_count = v.residual_count();
    if (auto segment = v.sense_and_response_data())
      out_.sense.assign(segment->sense.begin(), segment->sense.end());
    out_.final_pdu = p;
  }

  session& s_;
  const scsi_request& r_;
  scsi_outcome out_;
};

}  // namespace

pdu::scsi_command_builder command_for(session& s, const scsi_request& r) {
  pdu::scsi_command_builder b;
  b.read(r.read).write(r.write).attribute(r.attribute).lun(lun_field(r.lun));
  b.initiator_task_tag(s.next_itt()).expected_data_transfer_length(r.expected_length);
  b.cmd_sn(s.take_cmd_sn()).exp_stat_sn(s.exp_stat_sn()).cdb(r.cdb);
  const auto immediate = immediate_bytes(s, r);
  if (immediate > 0) b.data(pdu::bytes_view{r.data_out.data(), immediate});
  //= rfc7143#section-11.3.1
  //# (F) is set to 1 when no unsolicited SCSI Data-Out PDUs
  //# follow this PDU.
  b.final_bit(unsolicited_limit(s, r) <= immediate);
  return b;
}

scsi_outcome drive_scsi(session& s, const pdu::pdu& command, const scsi_request& r) {
  return task_driver(s, r).drive(command);
}

scsi_outcome run_scsi(session& s, const scsi_request& r) {
  return drive_scsi(s, command_for(s, r).build(), r);
}

// spc4#section-4.5.2 (from memory): fixed-format sense carries the key in
// byte 2 and ASC/ASCQ in bytes 12-13; descriptor format in bytes 1, 2-3.
std::optional<sense_code> parse_sense(pdu::bytes_view sense) {
  if (sense.empty()) return std::nullopt;
  const auto code = sense[0] & 0x7f;
  if ((code == 0x70 || code == 0x71) && sense.size() >= 14)
    return sense_code{static_cast<std::uint8_t>(sense[2] & 0x0f), sense[12], sense[13]};
  if ((code == 0x72 || code == 0x73) && sense.size() >= 4)
    return sense_code{static_cast<std::uint8_t>(sense[1] & 0x0f), sense[2], sense[3]};
  return std::nullopt;
}

namespace {

// spc4#section-4.5.6 table 41 (the sense keys); 0xc is obsolete.
constexpr std::string_view sense_key_names[16] = {
    "NO SENSE",        "RECOVERED ERROR", "NOT READY",       "MEDIUM ERROR",    "HARDWARE ERROR", "ILLEGAL REQUEST",
    "UNIT ATTENTION",  "DATA PROTECT",    "BLANK CHECK",     "VENDOR SPECIFIC", "COPY ABORTED",   "ABORTED COMMAND",
    "obsolete key",    "VOLUME OVERFLOW", "MISCOMPARE",      "COMPLETED"};

}  // namespace

std::string describe_sense(const sense_code& c) {
  char text[64];
  std::snprintf(text, sizeof text, " (0x%x) ASC 0x%02x ASCQ 0x%02x", c.key, c.asc, c.ascq);
  return "sense key " + std::string(sense_key_names[c.key & 0x0f]) + text;
}

}  // namespace touchstone::conformance
