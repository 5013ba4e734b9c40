// One SCSI command through a session, done right by default: immediate data
// and unsolicited Data-Out as ImmediateData/InitialR2T/FirstBurstLength allow,
// R2Ts answered within MaxRecvDataSegmentLength, Data-In collected by
// offset, status from a SCSI Response or the final Data-In. Everything seen
// is kept for the case to judge (DataSN order, residual flags, StatSN, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "touchstone/conformance/session.hpp"
#include "touchstone/pdu/scsi_command.hpp"

namespace touchstone::conformance {

// The LUN field for a LUN number (SAM single-level: peripheral or flat).
std::uint64_t lun_field(std::uint16_t lun);

struct scsi_request {
  std::uint16_t lun = 0;
  pdu::byte_buffer cdb;
  bool read = false;
  bool write = false;
  std::uint32_t expected_length = 0;  // EDTL
  pdu::byte_buffer data_out;         // what a write sends (may differ from EDTL)
  bool use_immediate_data = true;    // when ImmediateData=Yes
  bool use_unsolicited_data = true;  // when InitialR2T=No
  pdu::task_attribute attribute = pdu::task_attribute::simple;
};

enum class task_ending : std::uint8_t {
  status,      // a SCSI Response, or a Data-In with S
  rejected,    // a Reject naming the command (or one of its Data-Outs)
  transport,   // closed, broken, or nothing before the deadline
  unexpected,  // a PDU no well-behaved target sends here
};

struct scsi_outcome {
  task_ending how = task_ending::transport;
  std::uint32_t itt = 0;
  std::uint32_t cmd_sn = 0;
  std::uint8_t status = 0;
  std::uint8_t response = 0;  // iSCSI response (SCSI Response only)
  pdu::byte_buffer sense;
  pdu::byte_buffer data;  // Data-In bytes placed by Buffer Offset
  std::size_t data_bytes_received = 0;
  bool underflow = false;
  bool overflow = false;
  std::uint32_t residual_count = 0;
  std::optional<pdu::pdu> final_pdu;  // the PDU that carried status
  std::vector<pdu::pdu> data_ins;
  std::vector<pdu::pdu> r2ts;
  std::vector<pdu::pdu> others;  // anything else seen meanwhile
  std::string detail;
  observation last;

  bool completed() const { return how == task_ending::status; }
  bool good() const { return completed() && status == 0 && response == 0; }
  std::string summary() const;
};

// Sense key, ASC and ASCQ from fixed (0x70/0x71) or descriptor (0x72/0x73)
// sense data; nullopt when the bytes are neither.
struct sense_code {
  std::uint8_t key = 0;
  std::uint8_t asc = 0;
  std::uint8_t ascq = 0;
};
std::optional<sense_code> parse_sense(pdu::bytes_view sense);
std::string describe_sense(const sense_code& c);

// Sends the command with the next CmdSN and a fresh ITT, then drives it.
scsi_outcome run_scsi(session& s, const scsi_request& r);

// Sends a built command as it is (any field wrong on purpose), then drives
// it as run_scsi does: answers R2Ts with data_out, collects Data-In.
scsi_outcome drive_scsi(session& s, const pdu::pdu& command, const scsi_request& r);

// The command PDU run_scsi would send (CmdSN taken, ITT allocated).
pdu::scsi_command_builder command_for(session& s, const scsi_request& r);

}  // namespace touchstone::conformance
