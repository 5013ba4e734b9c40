// numbering::follow for programs run in-process (program_runner.cpp): the
// rules of touchstone/fuzz/program.hpp, as fuzz/net/follow_numbering.cpp
// applies them over TCP, but with the numbers read from the target core
// itself (its ExpCmdSN, the next StatSN), so no gap ever needs plugging.
// Bounded by the program: one entry per step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "touchstone/fuzz/task_tags.hpp"
#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz::inproc {

class program_numbering {
 public:
  explicit program_numbering(std::size_t steps) : tags_(steps) {}

  // Rewrites p, the PDU of step `index`, given the target's ExpCmdSN and the
  // StatSN it will send next.
  void apply(pdu::pdu& p, std::size_t index, std::uint32_t exp_cmd_sn, std::uint32_t exp_stat_sn);
  // Notes an R2T the target sent for one of the program's tasks.
  void on_answer(const pdu::pdu& answer) { tags_.on_answer(answer); }

 private:
  std::uint32_t next_itt_ = 0x1000;
  task_tags tags_;
};

}  // namespace touchstone::fuzz::inproc
