// The task set of one logical unit.
#include "touchstone/scsi/task_set.hpp"

#include <algorithm>

namespace touchstone::scsi {

task_set::task* task_set::locate(const it_nexus& it, task_tag tag) {
  for (auto& t : tasks_)
    if (t.tag == tag && t.it == it) return &t;
  return nullptr;
}

const task_set::task* task_set::locate(const it_nexus& it, task_tag tag) const {
  for (const auto& t : tasks_)
    if (t.tag == tag && t.it == it) return &t;
  return nullptr;
}

bool task_set::enter(const it_nexus& it, task_tag tag, task_attribute attribute) {
  std::lock_guard lock(mutex_);
  if (const task* t = locate(it, tag)) return !t->running;
  tasks_.push_back(task{it, tag, attribute, next_seq_++});
  return true;
}

task_set::start_outcome task_set::start(const it_nexus& it, task_tag tag,
                                        task_attribute attribute, bool* report_task_aborted) {
  std::lock_guard lock(mutex_);
  task* t = locate(it, tag);
  if (t == nullptr) {
    tasks_.push_back(task{it, tag, attribute, next_seq_++});
    t = &tasks_.back();
  } else if (t->running) {
    //= sam5#5.10
    //# a task tag already in use by the I_T nexus: OVERLAPPED COMMANDS ATTEMPTED
    return start_outcome::overlapped;
  } else if (t->aborted) {
    if (report_task_aborted != nullptr) *report_task_aborted = t->report_task_aborted;
    std::erase_if(tasks_, [&](const task& o) { return o.tag == tag && o.it == it; });
    return start_outcome::was_aborted;
  }
  t->running = true;
  return start_outcome::started;
}

std::optional<aborted_task> task_set::finish(const it_nexus& it, task_tag tag) {
  std::lock_guard lock(mutex_);
  std::optional<aborted_task> out;
  if (const task* t = locate(it, tag); t != nullptr && t->aborted)
    out = aborted_task{t->it, t->tag, t->report_task_aborted};
  std::erase_if(tasks_, [&](const task& o) { return o.tag == tag && o.it == it; });
  return out;
}

void task_set::forget(const it_nexus& it, task_tag tag) {
  std::lock_guard lock(mutex_);
  std::erase_if(tasks_, [&](const task& o) { return o.tag == tag && o.it == it; });
}

bool task_set::present(const it_nexus& it, task_tag tag) const {
  std::lock_guard lock(mutex_);
  const task* t = locate(it, tag);
  return t != nullptr && !t->aborted;
}

bool task_set::can_start(const it_nexus& it, task_tag tag) const {
  std::lock_guard lock(mutex_);
  const task* me = locate(it, tag);
  if (me == nullptr || me->attribute == task_attribute::head_of_queue) return true;
  //= sam5#8.6
  //# ORDERED: after every older task; SIMPLE: after every older ORDERED task
  return std::none_of(tasks_.begin(), tasks_.end(), [&](const task& o) {
    if (o.seq >= me->seq || o.aborted) return false;
    return me->attribute == task_attribute::ordered || o.attribute == task_attribute::ordered;
  });
}

std::size_t task_set::size() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

aborted_task task_set::mark(task& t, bool report) {
  t.aborted = true;
  t.report_task_aborted = report;
  return aborted_task{t.it, t.tag, report};
}

std::optional<aborted_task> task_set::abort(const it_nexus& it, task_tag tag) {
  std::lock_guard lock(mutex_);
  task* t = locate(it, tag);
  if (t == nullptr || t->aborted) return std::nullopt;
  return mark(*t, false);
}

std::vector<aborted_task> task_set::abort_nexus(const it_nexus& it) {
  std::lock_guard lock(mutex_);
  std::vector<aborted_task> out;
  for (auto& t : tasks_)
    if (t.it == it && !t.aborted) out.push_back(mark(t, false));
  return out;
}

std::vector<aborted_task> task_set::abort_all(const it_nexus* by, bool tas) {
  std::lock_guard lock(mutex_);
  std::vector<aborted_task> out;
  for (auto& t : tasks_) {
    //= sam5#5.6
    //# TAS=1: tasks of other I_T nexuses complete with TASK ABORTED status
    const bool other = by != nullptr && t.it != *by;
    if (!t.aborted) out.push_back(mark(t, tas && other));
  }
  return out;
}

std::vector<aborted_task> task_set::abort_where(
    const std::function<bool(const it_nexus&)>& which, bool tas) {
  std::lock_guard lock(mutex_);
  std::vector<aborted_task> out;
  for (auto& t : tasks_)
    if (!t.aborted && which(t.it)) out.push_back(mark(t, tas));
  return out;
}

}  // namespace touchstone::scsi
