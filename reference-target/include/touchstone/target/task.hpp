// A session's task set as the iSCSI layer holds it: a SCSI task from its
// command until its status (keyed by ITT in the session), and the one
// multi-task TMF whose response waits for tasks (section 4.2.3.3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/scsi/command.hpp"
#include "touchstone/target/task_transfer.hpp"

namespace touchstone::target {

// A SCSI task from its command until its status.
struct task {
  std::uint32_t itt = 0;
  // The connection its command came on: its PDUs go there (allegiance,
  // section 4.2.1) and it ends with that connection at ERL 0 and 1.
  std::uint16_t cid = 0;
  std::uint64_t lun_field = 0;
  scsi::byte_buffer cdb;
  bool read = false;
  bool write = false;
  scsi::task_attribute attribute = scsi::task_attribute::simple;
  std::uint32_t edtl = 0;          // write EDTL (or read EDTL for reads)
  std::uint32_t read_length = 0;   // the data-in length to ask for
  scsi::byte_buffer data;          // write data as it arrived; edtl bytes once executing
  // A write's Data-Out bursts and R2Ts (task_transfer.hpp).
  task_transfer transfer;
  std::optional<scsi::byte_buffer> failure_sense;  // an iSCSI condition, sent after the F bit
  std::uint64_t job = 0;
  bool executing = false;
  std::uint32_t cmd_sn = 0;
  bool immediate = false;
  // Aborted by a TMF: still absorbs the Data-Out of its open transfers,
  // never executes and never answers (tmf.cpp).
  bool aborting = false;
  // ... but answers TASK ABORTED then: a third-party task aborted with
  // TAS=1 (tmf_third_party.cpp).
  bool report_aborted = false;
  // ABORT TASK requests for it while its store I/O was in flight: answered
  // when that I/O ends (tmf_single.cpp); at most max_abort_waiters.
  std::vector<pdu::pdu> abort_requests;
  static constexpr std::size_t max_abort_waiters = 4;
};

// A TMF whose response waits for the affected tasks' transfers and for the
// commands ahead of it in CmdSN order (section 4.2.3.3).
struct pending_tmf {
  pdu::pdu request;
  std::uint32_t cmd_sn = 0;
  bool wait_for_cmd_sn = false;  // ExpCmdSN must pass cmd_sn first
  std::uint8_t response = 0;     // the TMF Response code, once known
  bool executed = false;         // the SCSI layer has run it
  // ABORT TASK SET, CLEAR TASK SET: the StatSN the initiator's ExpStatSN
  // must reach (every response sent before the TMF completed acknowledged).
  std::optional<std::uint32_t> ack_due;
};

}  // namespace touchstone::target
