// The device server: several logical units behind one command table.
// execute() and submit() are thread-safe; commands to one LU are checked one
// at a time in arrival order (see logical_unit::lock_execution), commands to
// different LUs in parallel. On an LU whose store blocks (a file), submit()
// moves the store I/O off the caller's thread and out of that lock:
// I/O of different commands may be in flight at once, overlapping ranges
// keep their arrival order (range_tracker.hpp), and a command without an
// asynchronous form runs alone on the store's threads (command_table.hpp).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <vector>

#include "touchstone/scsi/command.hpp"
#include "touchstone/scsi/command_table.hpp"
#include "touchstone/scsi/logical_unit.hpp"

namespace touchstone::scsi {

//= sam5#7.1 table 44
//# task management functions
enum class tmf_function : std::uint8_t {
  abort_task,
  abort_task_set,
  clear_task_set,
  logical_unit_reset,
  it_nexus_reset,
  query_task,
};

//= sam5#7.1
//# service responses of a task management function
enum class tmf_service_response : std::uint8_t {
  function_complete,
  function_succeeded,  // QUERY TASK: the task is in the task set
  function_rejected,
  incorrect_lun,
};

struct tmf_result {
  tmf_service_response response = tmf_service_response::function_complete;
  bool task_found = false;            // ABORT TASK / QUERY TASK found the task
  std::vector<aborted_task> aborted;  // the transport drops these
};

class device_server {
 public:
  // The built-in command table, built once per process and shared: it is
  // configuration, never written after it is built, and a copy per device
  // server was 41 allocations and 6 KB (docs/fuzzing.md, target_session speed).
  device_server();
  explicit device_server(command_table table);
  explicit device_server(std::shared_ptr<const command_table> table);
  // Waits for the commands still running on store threads.
  ~device_server();
  device_server(const device_server&) = delete;
  device_server& operator=(const device_server&) = delete;

  // Adding or removing an LU raises REPORTED LUNS DATA HAS CHANGED on the others.
  bool add_lu(std::shared_ptr<logical_unit> lu);
  bool remove_lu(lun_t lun);
  std::shared_ptr<logical_unit> find_lu(lun_t lun) const;
  std::vector<lun_t> luns() const;  // ascending
  const command_table& commands() const { return *table_; }
  // Sizes of the per-I_T-nexus tables, summed over the LUs (for stats and tests).
  std::size_t tracked_nexuses() const;
  std::uint64_t forgotten_nexuses() const;
  std::size_t tasks() const;

  // Runs the command to its end on the calling thread (waiting for the
  // store threads where the LU's store blocks).
  response execute(const nexus& nx, const request& req);

  // The transport's entry: the response at once when the command ended on
  // the calling thread (memory and null stores, no LU, a check that failed,
  // a read the page cache held); otherwise nullopt, and `done` runs later,
  // exactly once, on a store thread. `nx` and the spans of `req` must stay
  // valid until then.
  using completion = std::function<void(response)>;
  std::optional<response> submit(const nexus& nx, const request& req, completion done);

  // The transport tells the device server of a task before its data-out is in.
  void enter_task(const nexus& nx, task_tag tag, task_attribute attribute);
  void forget_task(const nexus& nx, task_tag tag);

  // `nx.lun` names the LU (ignored for I_T NEXUS RESET); `tag` the task for
  // ABORT TASK and QUERY TASK.
  tmf_result task_management(const nexus& nx, tmf_function fn, task_tag tag = 0);

  // The transport lost the I_T nexus (session closed, reinstated, dropped):
  // tasks aborted, 29h/07h established, extensions told.
  void it_nexus_lost(const it_nexus& it);
  // Tasks cleared by a transport event (e.g. iSCSI connection recovery).
  void commands_cleared_by_protocol_event(const it_nexus& it);

 private:
  friend class io_runner;  // submit() on blocking stores (io_runner.cpp)

  response run(logical_unit* lu, const nexus& nx, const request& req);
  // The task set's view before and after a command (aborted, overlapped).
  std::optional<response> start_task(logical_unit& lu, const nexus& nx, const request& req);
  response end_task(logical_unit& lu, const nexus& nx, const request& req, response r);
  // The checks before a handler (command_table.hpp); nullopt: it may run.
  std::optional<response> admit(logical_unit* lu, const nexus& nx, const request& req,
                                const command_entry* entry);
  response dispatch(logical_unit* lu, const nexus& nx, const request& req);
  std::vector<std::shared_ptr<logical_unit>> all_lus() const;

  std::shared_ptr<const command_table> table_;
  mutable std::shared_mutex lus_mutex_;
  std::map<lun_t, std::shared_ptr<logical_unit>> lus_;
};

}  // namespace touchstone::scsi
