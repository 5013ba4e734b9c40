// Turning a device server response into Data-In PDUs and a SCSI Response
// (RFC 7143 sections 11.4 and 11.7). Pure functions of the response, the
// command and the negotiated limits; the caller stamps the sequence numbers.
#pragma once

#include <cstdint>
#include <vector>

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/scsi/command.hpp"

namespace touchstone::target {

struct data_in_limits {
  std::uint32_t max_segment = 8192;   // the initiator's MaxRecvDataSegmentLength
  std::uint32_t max_burst = 262144;   // MaxBurstLength: one sequence at most
};

// The residual of one direction (section 11.4.5).
struct residual {
  bool overflow = false;
  bool underflow = false;
  std::uint32_t count = 0;
};
residual compute_residual(std::uint32_t expected, std::uint64_t wanted);

struct task_numbers {
  std::uint32_t itt = 0;
  std::uint64_t lun = 0;
  std::uint32_t stat_sn = 0;
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
};

struct completion_pdus {
  std::vector<pdu::pdu> pdus;  // Data-In PDUs, then the SCSI Response if any
  bool status_sent = false;    // status went in a PDU (always true)
  std::uint32_t data_in_count = 0;
};

// The PDUs that complete a command. `read_expected` is the EDTL of a read.
// `write_residual` describes the write direction (for write commands). The
// response's data buffer becomes the first Data-In PDU's (not copied).
completion_pdus complete_command(scsi::response r, bool is_read,
                                 std::uint32_t read_expected, std::optional<residual> write_residual,
                                 const data_in_limits& limits, const task_numbers& numbers);

// A SCSI Response carrying CHECK CONDITION with the given sense bytes.
pdu::pdu check_condition_response(const scsi::byte_buffer& sense, const task_numbers& numbers);

}  // namespace touchstone::target
