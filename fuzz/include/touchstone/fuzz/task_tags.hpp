// The task tags of numbering::follow (touchstone/fuzz/program.hpp), kept the
// same way by the network executor (fuzz/net/follow_numbering) and the
// in-process runner (fuzz/inproc/program_numbering): each task-creating step
// gets a fresh ITT; a tag field holding a step index names the task that
// step created (a TMF's Referenced Task Tag, a Data-Out's or SNACK's ITT);
// a Data-Out's or SNACK's TTT becomes the task's latest R2T TTT. Bounded by
// the program: one entry per step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::fuzz {

class task_tags {
 public:
  explicit task_tags(std::size_t steps) : task_itt_(steps), latest_ttt_(steps) {}

  // Steps that start a task the program may name later.
  static bool creates_task(const pdu::pdu& p);
  // p, the PDU of step `index`, creates a task: it gets `itt` (a TMF names
  // its referenced task first).
  void fresh(pdu::pdu& p, std::size_t index, std::uint32_t itt);
  // The step-index tags in p replaced by those steps' tasks' tags.
  void resolve(pdu::pdu& p) const;
  // Notes an R2T the target sent for one of the program's tasks.
  void on_answer(const pdu::pdu& answer);
  // The ITT step `index` was given, if it created a task.
  std::optional<std::uint32_t> itt_of(std::size_t index) const;

 private:
  std::vector<std::optional<std::uint32_t>> task_itt_;    // by step index
  std::vector<std::optional<std::uint32_t>> latest_ttt_;  // by step index
  std::unordered_map<std::uint32_t, std::size_t> step_of_itt_;  // our ITTs only: one per step
};

}  // namespace touchstone::fuzz
