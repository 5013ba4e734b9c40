// The task set of one logical unit: the tasks from the moment the transport
// knows of them (enter, e.g. while it still collects data-out) until they
// complete. The device server executes synchronously; the task set exists so
// task management can abort what is queued or running and answer QUERY TASK.
//
// ORDERING (sam5#8.6): the transport honours task attributes by the order in
// which it calls execute(): can_start() says whether a task may start now —
// HEAD OF QUEUE always; ORDERED once every older task has completed; SIMPLE
// once no older ORDERED task is still in the set. A transport that calls
// execute() for one LU from one strand in arrival order (CmdSN order for
// iSCSI) satisfies all three without asking.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "touchstone/scsi/command.hpp"

namespace touchstone::scsi {

struct aborted_task {
  it_nexus it;
  task_tag tag = 0;
  bool report_task_aborted = false;  // TAS=1, aborted by another I_T nexus
};

class task_set {
 public:
  enum class start_outcome : std::uint8_t { started, was_aborted, overlapped };

  // Idempotent; returns false if (it, tag) is already running.
  bool enter(const it_nexus& it, task_tag tag, task_attribute attribute);
  // Enters if needed and marks running.
  start_outcome start(const it_nexus& it, task_tag tag, task_attribute attribute,
                      bool* report_task_aborted);
  // Removes the task; returns its abort record if it was aborted while running.
  std::optional<aborted_task> finish(const it_nexus& it, task_tag tag);
  bool present(const it_nexus& it, task_tag tag) const;
  bool can_start(const it_nexus& it, task_tag tag) const;
  std::size_t size() const;

  // Drops a task the transport will not execute (e.g. after an abort).
  void forget(const it_nexus& it, task_tag tag);

  // Marks tasks aborted and returns them. A running task is removed when it
  // finishes (execute() then answers `aborted`); a queued one stays marked
  // until the transport either calls execute() (answered `aborted` at once)
  // or forget().
  std::optional<aborted_task> abort(const it_nexus& it, task_tag tag);
  std::vector<aborted_task> abort_nexus(const it_nexus& it);
  // Every task; `by` is the nexus asking (tasks of others get TAS treatment).
  std::vector<aborted_task> abort_all(const it_nexus* by, bool tas);
  // Every task whose I_T nexus `which` selects, aborted on behalf of another
  // I_T nexus (PREEMPT AND ABORT): reported TASK ABORTED when `tas`.
  std::vector<aborted_task> abort_where(const std::function<bool(const it_nexus&)>& which,
                                        bool tas);

 private:
  struct task {
    it_nexus it;
    task_tag tag;
    task_attribute attribute;
    std::uint64_t seq;
    bool running = false;
    bool aborted = false;
    bool report_task_aborted = false;
  };
  task* locate(const it_nexus& it, task_tag tag);
  const task* locate(const it_nexus& it, task_tag tag) const;
  aborted_task mark(task& t, bool report);

  mutable std::mutex mutex_;
  std::vector<task> tasks_;  // in arrival order
  std::uint64_t next_seq_ = 0;
};

}  // namespace touchstone::scsi
