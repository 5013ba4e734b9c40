// The residual oracle of the in-process harnesses (fuzz/target_session.cpp,
// fuzz/target_program.cpp): every status-bearing PDU the target sends for a
// SCSI command (a SCSI Response, a Data-In with S) must carry U/O bits and a
// Residual Count that agree with the command's Expected Data Transfer
// Length and the Data-In bytes the target actually moved (RFC 7143 section
// 11.4.5). Fed the commands the target received and every PDU it sent; no
// I/O, no allocation beyond a bounded task table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz::inproc {

class residual_oracle {
 public:
  // Commands tracked at once; past it new ones go unjudged (bounded memory).
  static constexpr std::size_t max_tasks = 1024;

  // A SCSI Command PDU the target received.
  void on_command(const pdu::pdu& command);
  // A PDU the target sent. Returns the departure ("U set, Residual Count 0
  // where EDTL 4096 - 512 bytes moved = 3584"), empty when there is none.
  std::string on_sent(const pdu::pdu& p);

  std::size_t tracked() const { return tasks_.size(); }

 private:
  struct task {
    std::uint32_t edtl = 0;
    bool read = false;
    bool write = false;
    // Commands received on this ITT and not yet answered (a status or a
    // Reject). Above one the tag was reused while a task lived (one queued
    // behind a CmdSN gap counts too): which answer and which Data-In belong
    // to which command is not ours to guess, so none of them is judged until
    // every one was answered.
    unsigned outstanding = 1;
    bool ambiguous = false;
    std::uint64_t moved = 0;  // the end of the furthest Data-In segment
  };
  void answered(std::uint32_t itt);
  struct status {
    bool overflow = false;
    bool underflow = false;
    bool good = false;
    std::uint32_t residual = 0;
  };
  std::string judge(const task& t, const status& s) const;

  std::unordered_map<std::uint32_t, task> tasks_;  // by ITT
};

}  // namespace touchstone::fuzz::inproc
