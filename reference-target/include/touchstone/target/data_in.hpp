// Turning a device server response into Data-In PDUs and a SCSI Response
// (RFC 7143 sections 11.4 and 11.7). Pure functions of the response, the
// command and the negotiated limits; the caller stamps the sequence numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/pdu/scsi_response.hpp"
#include "touchstone/scsi/command.hpp"
#include "touchstone/target/data_in_sequence.hpp"

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

// A read's Data-In PDUs built one at a time, so a transport writes them as
// they are built: a 32 MiB READ at MaxRecvDataSegmentLength 512 is 65,535
// PDUs, which built all at once held the connection's thread (and every
// answer queued behind them) for hundreds of milliseconds under load. The
// PDUs are those complete_command gives, in the same order; where each
// goes is the data_in_sequence's.
class data_in_stream {
 public:
  data_in_stream(scsi::byte_buffer data, pdu::scsi_status status, bool status_in_data,
                 const residual& res, const data_in_limits& limits, const task_numbers& numbers);
  // Hands the READ's buffer back for the thread's next READ (read_buffers.hpp).
  ~data_in_stream();
  data_in_stream(data_in_stream&&) = default;
  // Not assignable: an assignment would free the buffer it replaces
  // instead of handing it back (streams live in a shared_ptr, never assigned).
  data_in_stream& operator=(data_in_stream&&) = delete;

  bool done() const { return seq_.done(); }
  // The next Data-In PDU; only while !done().
  pdu::pdu next();
  // How many Data-In PDUs the whole stream is (ExpDataSN of the response).
  std::uint32_t count() const { return seq_.count(); }
  // MaxCmdSN as the PDUs still to come carry it.
  void set_max_cmd_sn(std::uint32_t v) { numbers_.max_cmd_sn = v; }

 private:
  scsi::byte_buffer data_;
  data_in_sequence seq_;
  pdu::scsi_status status_;
  bool status_in_data_ = false;
  residual res_;
  task_numbers numbers_;
};

// A command's completion before its PDUs are built: the Data-In stream and
// the SCSI Response that follows it (none when the status rode in the last
// Data-In).
struct streamed_completion {
  data_in_stream data;
  std::optional<pdu::pdu> response;
};
streamed_completion complete_command_streamed(scsi::response r, bool is_read, std::uint32_t read_expected,
                                              std::optional<residual> write_residual,
                                              const data_in_limits& limits, const task_numbers& numbers);

// The PDUs that complete a command. `read_expected` is the EDTL of a read.
// `write_residual` describes the write direction (for write commands). The
// response's data buffer becomes the first Data-In PDU's (not copied).
completion_pdus complete_command(scsi::response r, bool is_read,
                                 std::uint32_t read_expected, std::optional<residual> write_residual,
                                 const data_in_limits& limits, const task_numbers& numbers);

// A SCSI Response carrying CHECK CONDITION with the given sense bytes.
pdu::pdu check_condition_response(const scsi::byte_buffer& sense, const task_numbers& numbers);

}  // namespace touchstone::target
