// device_server::submit on an LU whose store blocks (a file). Private to
// scsi/src.
//
// A command joins its LU's queue in arrival order. One thread at a time
// (the first caller that finds nobody doing it) takes the queue in order,
// each command under the LU's execution lock, as execute() would check it:
//   - with a plan (READ, WRITE, SYNCHRONIZE CACHE): checks and plan under
//     the lock, then the I/O off it, on the store's threads; its range joins
//     the LU's range tracker, so it starts once no older overlapping range is
//     in flight (with none: a cached read, and a write while the store's
//     inline writes are fast, end at once on the caller; a FUA write done
//     there has only its sync on a store thread);
//   - flagged store_io without a plan, or ORDERED: it runs alone, whole, on
//     a store thread once every I/O before it has ended; the queue waits for
//     it (exactly as when commands to one LU ran one at a time);
//   - anything else: at once, on the taking thread.
// The answer goes to the command's completion; the caller that submitted it
// gets it back directly when it ended on its own thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "touchstone/scsi/device_server.hpp"
#include "touchstone/scsi/range_tracker.hpp"

namespace touchstone::scsi {

// What execute() does to a response before the transport sees it.
response fit_to_transport(response r, const request& req);

struct queued_command {
  device_server* server;
  logical_unit* lu;  // alive: ~logical_unit waits for its queue to empty
  const nexus* nx;
  request req;
  device_server::completion done;
  io_plan plan;
  bool in_ranges = false;
  bool written_inline = false;  // a FUA write done on the submitting thread, sync to come
};

class lu_io_queue {
 public:
  // Until every submitted command has been answered.
  void wait_idle() {
    std::unique_lock lock(mutex);
    idle.wait(lock, [this] { return outstanding == 0; });
  }

  std::mutex mutex;  // guards everything below
  std::deque<std::unique_ptr<queued_command>> waiting;  // arrived, not yet taken
  bool draining = false;                                // a thread takes `waiting`
  std::unique_ptr<queued_command> alone;                // runs alone (see above)
  bool alone_started = false;
  std::size_t in_flight = 0;  // taken, with I/O not yet ended
  range_tracker<queued_command*> ranges;
  std::size_t outstanding = 0;  // submitted, not yet answered; + 1 while a drain runs
  std::condition_variable idle;
};

class io_runner {
 public:
  static std::optional<response> submit(device_server& server, logical_unit& lu, const nexus& nx,
                                        const request& req, device_server::completion done);

 private:
  struct turn {
    std::unique_ptr<queued_command> command;
    response answer;
  };
  static std::optional<response> drain(logical_unit& lu, const queued_command* mine);
  static std::optional<turn> take(std::unique_ptr<queued_command> c);
  static std::optional<turn> plan(std::unique_ptr<queued_command> c, const command_entry& entry);
  static std::optional<response> try_now(queued_command& c);
  static std::optional<turn> sync_off_thread(std::unique_ptr<queued_command> c);
  static void queue_alone(std::unique_ptr<queued_command> c);
  static void run_alone(logical_unit& lu);
  static void issue(queued_command* c);
  static void io_done(queued_command* c, store_result r);
  static void release_range(queued_command* c);
  static void end_io(queued_command* c, response r);
  static response finish(std::unique_ptr<queued_command> c, response r, bool deliver);
};

}  // namespace touchstone::scsi
