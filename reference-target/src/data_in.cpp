// Data-In sequencing and the SCSI Response (RFC 7143 sections 11.4 and 11.7).
#include "touchstone/target/data_in.hpp"

#include <algorithm>

#include "touchstone/pdu/data_in.hpp"
#include "touchstone/pdu/scsi_response.hpp"
#include "touchstone/scsi/read_buffers.hpp"

namespace touchstone::target {

//= rfc7143#section-11.4.5.1
//# If the O bit is set, the Residual Count indicates the number of bytes that
//# were not transferred because the initiator's Expected Data Transfer Length
//# was not sufficient.  If the U bit is set, the Residual Count indicates the
//# number of bytes that were not transferred out of the number of bytes expected
residual compute_residual(std::uint32_t expected, std::uint64_t wanted) {
  // expected: EDTL; wanted: SPDTL, what the SCSI layer presented (after its
  // ALLOCATION LENGTH truncation).
  residual r;
  //= rfc7143#section-11.4.5.3
  //# If all of the LU inventory data presented to the iSCSI layer -- i.e., the
  //# data remaining after any SCSI truncation -- is transferred to the
  //# initiator by the iSCSI layer, an iSCSI Residual Overflow has not occurred
  //# and the iSCSI (O) bit MUST NOT be set in the SCSI Response or final SCSI
  //# Data-Out PDU.
  if (wanted > expected) {
    //= rfc7143#section-11.4.5.2
    //# The Residual Count MUST be set to the numerical value of (SPDTL - EDTL).
    r.overflow = true;
    r.count = static_cast<std::uint32_t>(std::min<std::uint64_t>(wanted - expected, 0xffffffffu));
  } else if (wanted < expected) {
    //= rfc7143#section-11.4.5.2
    //# If SPDTL < EDTL for a task, iSCSI Underflow MUST be signaled in the SCSI
    //# Response PDU as specified in Section 11.4.5.1. The Residual Count MUST
    //# be set to the numerical value of (EDTL - SPDTL).
    //= rfc7143#section-11.4.5.3
    //# However, if the iSCSI EDTL is larger than the ALLOCATION LENGTH in this
    //# scenario, note that the iSCSI Underflow MUST be signaled in the SCSI
    //# Response PDU.
    //= rfc7143#section-11.4.5.3
    //# An iSCSI Underflow MUST also be signaled when the iSCSI EDTL is equal to
    //# the ALLOCATION LENGTH but the LU inventory data presented to the iSCSI
    //# layer is smaller than the ALLOCATION LENGTH.
    r.underflow = true;
    r.count = static_cast<std::uint32_t>(expected - wanted);
  }
  return r;
}

namespace {

pdu::scsi_status wire_status(scsi::status s) { return static_cast<pdu::scsi_status>(s); }

//= rfc7143#section-11.7.3
//# The last SCSI data packet sent ... for a SCSI command that completed
//# successfully (with a status of GOOD, CONDITION MET, INTERMEDIATE, or
//# INTERMEDIATE-CONDITION MET) may also optionally contain the Status
bool status_fits_data_in(const scsi::response& r, bool has_write_direction) {
  //= rfc7143#section-11.7.3
  //# For bidirectional commands, the status MUST be sent in a SCSI Response PDU.
  //= rfc7143#section-11.7.3
  //# If the command is completed with an error, then the response and sense
  //# data MUST be sent in a SCSI Response PDU (i.e., MUST NOT be sent in a SCSI
  //# data packet).
  if (has_write_direction || !r.sense.empty()) return false;
  return r.status == scsi::status::good || r.status == scsi::status::condition_met;
}

pdu::pdu response_pdu(const scsi::response& r, const residual& res, std::uint32_t exp_data_sn,
                      const task_numbers& n, const residual& bidi_read = {}) {
  pdu::scsi_response_builder b;
  b.initiator_task_tag(n.itt)
      .response(pdu::iscsi_response::command_completed)
      .status(wire_status(r.status))
      .stat_sn(n.stat_sn)
      .exp_cmd_sn(n.exp_cmd_sn)
      .max_cmd_sn(n.max_cmd_sn)
      //= rfc7143#section-11.4.8
      //# This field indicates the number of Data-In (read) PDUs the target has sent
      //= rfc7143#section-11.4.8
      //# This field MUST be 0 if the response code is not Command Completed at
      //# Target or the target sent no Data-In PDUs for the command.
      .exp_data_sn(exp_data_sn)
      //= rfc7143#section-11.4.5.1
      //# The Residual Count field MUST be valid in the case where either the U
      //# bit or the O bit is set.
      .residual_overflow(res.overflow)
      .residual_underflow(res.underflow)
      .residual_count(res.count)
      //= rfc7143#section-11.4.6
      //# The Bidirectional Read Residual Count field MUST be valid in the case
      //# where either the u bit or the o bit is set.
      .bidi_read_overflow(bidi_read.overflow)
      .bidi_read_underflow(bidi_read.underflow)
      .bidi_read_residual_count(bidi_read.count);
  //= rfc7143#section-11.4.7
  //# iSCSI targets MUST support and enable Autosense.
  //= rfc7143#section-10.2
  //# iSCSI initiators and targets MUST support and use Autosense.
  //= rfc7143#section-4.6.1.2
  //# The use of Autosense ([SAM2]) is REQUIRED by iSCSI.
  //= rfc7143#section-11.4.7
  //# If Status is CHECK CONDITION (0x02), then the data segment MUST contain
  //# sense data for the failed command.
  if (!r.sense.empty()) b.sense_data(r.sense);
  return b.build();
}

}  // namespace

namespace {

// The Data-In PDU of `c` carrying `payload`; the status in it when `c` is
// the last and the status fits.
template <class Payload>
pdu::pdu data_in_pdu(const data_in_chunk& c, Payload&& payload, pdu::scsi_status status,
                     bool status_in_data, const residual& res, const task_numbers& n) {
  pdu::data_in_builder b;
  b.initiator_task_tag(n.itt)
      .final_bit(c.end_of_sequence)
      //= rfc7143#section-4.2.2.4
      //# Data and R2T PDUs transferred as part of some command execution MUST be sequenced.
      .data_sn(c.data_sn)
      .buffer_offset(c.offset)
      .exp_cmd_sn(n.exp_cmd_sn)
      .max_cmd_sn(n.max_cmd_sn);
  //= rfc7143#section-11.7.2
  //# The target MUST NOT set to 1 the A bit for sessions with ErrorRecoveryLevel=0.
  //= rfc7143#section-11.7.2
  //# The target should use the A bit moderately; it MAY only set the A bit to 1
  //# once every MaxBurstLength bytes, or on the last Data-In PDU that concludes
  //# the entire requested read data transfer for the task from the target's
  //# perspective, and it MUST NOT do so more frequently.
  // The builder leaves A at 0 and nothing here sets it: only ERL 0 is implemented.
  if (c.last && status_in_data) {
    //= rfc7143#section-11.7.3
    //# If this bit is set to 1, the F bit MUST also be set to 1.
    b.has_status().final_bit().status(status);
    //= rfc7143#section-11.7
    //# |Status or Rsvd| ... StatSN or Reserved
    // Without the S bit the field is reserved: zero (found by fuzz/target_session).
    b.stat_sn(n.stat_sn);
    b.residual_overflow(res.overflow).residual_underflow(res.underflow).residual_count(res.count);
  }
  b.data(std::forward<Payload>(payload));
  return b.build();
}

}  // namespace

data_in_stream::data_in_stream(scsi::byte_buffer data, pdu::scsi_status status, bool status_in_data,
                               const residual& res, const data_in_limits& limits, const task_numbers& numbers)
    : data_(std::move(data)), seq_(data_.size(), limits.max_segment, limits.max_burst), status_(status),
      status_in_data_(status_in_data), res_(res), numbers_(numbers) {}

data_in_stream::~data_in_stream() { scsi::give_back_read_buffer(std::move(data_)); }

pdu::pdu data_in_stream::next() {
  const data_in_chunk c = seq_.next();
  // A response of one PDU keeps the buffer itself (no copy).
  if (c.offset == 0 && c.last) return data_in_pdu(c, std::move(data_), status_, status_in_data_, res_, numbers_);
  return data_in_pdu(c, pdu::bytes_view(data_).subspan(c.offset, c.length), status_, status_in_data_, res_,
                     numbers_);
}

streamed_completion complete_command_streamed(scsi::response r, bool is_read, std::uint32_t read_expected,
                                              std::optional<residual> write_residual,
                                              const data_in_limits& limits, const task_numbers& n) {
  const residual read_res = compute_residual(read_expected, r.data_in_length);
  const residual res = is_read && !write_residual ? read_res : write_residual.value_or(residual{});
  const bool status_in_data = !r.data_in.empty() && status_fits_data_in(r, write_residual.has_value());
  streamed_completion out{data_in_stream(std::move(r.data_in), wire_status(r.status), status_in_data, res, limits, n),
                          std::nullopt};
  // A bidirectional command reports its read side in the u/o bits and the
  // Bidirectional Read Residual Count; its write side in U/O.
  const bool bidirectional = is_read && write_residual.has_value();
  if (!status_in_data)
    out.response = response_pdu(r, res, out.data.count(), n, bidirectional ? read_res : residual{});
  return out;
}

completion_pdus complete_command(scsi::response r, bool is_read, std::uint32_t read_expected,
                                 std::optional<residual> write_residual,
                                 const data_in_limits& limits, const task_numbers& n) {
  auto done = complete_command_streamed(std::move(r), is_read, read_expected, write_residual, limits, n);
  completion_pdus out;
  out.data_in_count = done.data.count();
  out.pdus.reserve(out.data_in_count + 1);
  while (!done.data.done()) out.pdus.push_back(done.data.next());
  if (done.response) out.pdus.push_back(std::move(*done.response));
  out.status_sent = true;
  return out;
}

pdu::pdu check_condition_response(const scsi::byte_buffer& sense, const task_numbers& n) {
  scsi::response r;
  r.status = scsi::status::check_condition;
  r.sense = sense;
  return response_pdu(r, residual{}, 0, n);
}

}  // namespace touchstone::target
