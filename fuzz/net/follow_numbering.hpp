// numbering::follow (touchstone/fuzz/program.hpp): the executor writes the
// session's CmdSN and ExpStatSN into a step's PDU, gives each task-creating
// step a fresh ITT, reads a tag field holding a step index as "the task that
// step created", and gives a Data-Out's or SNACK's TTT the task's latest R2T
// TTT. Bounded by the program: one entry per step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "touchstone/conformance/session.hpp"
#include "touchstone/fuzz/task_tags.hpp"
#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz::net {

class follow_numbering {
 public:
  explicit follow_numbering(std::size_t steps) : tags_(steps) {}

  // Rewrites p, the PDU of step `index`, with the session's numbers.
  void apply(pdu::pdu& p, std::size_t index, conformance::session& s);
  // Whether p, sent under follow, uses up a CmdSN (a non-immediate command).
  static bool takes_cmd_sn(const pdu::pdu& p);
  // A Reject of our latest non-immediate command: its CmdSN was not
  // received, so the next command carries it again (plugging the gap).
  static void plug_gap(const pdu::pdu& reject, conformance::session& s);
  // Notes an R2T the target sent for one of our tasks.
  void on_answer(const pdu::pdu& answer) { tags_.on_answer(answer); }
  // The ITT step `index` was given, if it created a task.
  std::optional<std::uint32_t> itt_of(std::size_t index) const { return tags_.itt_of(index); }

 private:
  task_tags tags_;
};

}  // namespace touchstone::fuzz::net
