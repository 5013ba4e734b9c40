// device_server::submit on a blocking store (io_runner.hpp): the queue of an
// LU taken in arrival order, store I/O off the execution lock and off the
// caller's thread, answers through the completion.
#include "io_runner.hpp"

#include "touchstone/scsi/async_store.hpp"

namespace touchstone::scsi {
namespace {

bool runs_alone(const command_entry& entry, const request& req) {
  //= sam5#8.6
  //# ORDERED: after every older task, and before every younger one
  if (req.attribute == task_attribute::ordered) return true;
  return has(entry.flags, cmd_flag::store_io) && entry.plan == nullptr;
}

}  // namespace

std::optional<response> io_runner::submit(device_server& server, logical_unit& lu, const nexus& nx,
                                          const request& req, device_server::completion done) {
  if (auto refused = server.start_task(lu, nx, req)) return fit_to_transport(std::move(*refused), req);
  auto c = std::make_unique<queued_command>(queued_command{&server, &lu, &nx, req, std::move(done), {}});
  const queued_command* mine = c.get();
  auto& q = lu.io_queue();
  {
    std::lock_guard lock(q.mutex);
    ++q.outstanding;
    q.waiting.push_back(std::move(c));
    if (q.draining || q.alone) return std::nullopt;  // the one taking the queue takes it
    q.draining = true;
    ++q.outstanding;  // the drain's own hold on the LU (drain() releases it)
  }
  return drain(lu, mine);
}

// Takes the queue in order until it is empty or a command runs alone. The
// drain holds one count of `outstanding` (taken by whoever set `draining`):
// the last command it answers must not let ~logical_unit free the queue it
// is still looking at.
std::optional<response> io_runner::drain(logical_unit& lu, const queued_command* mine) {
  auto& q = lu.io_queue();
  std::optional<response> own;
  for (;;) {
    std::unique_ptr<queued_command> c;
    {
      std::lock_guard lock(q.mutex);
      if (q.waiting.empty() || q.alone) {
        q.draining = false;
        if (--q.outstanding == 0) q.idle.notify_all();
        break;  // the LU may go now: nothing below touches it
      }
      c = std::move(q.waiting.front());
      q.waiting.pop_front();
    }
    auto ended = take(std::move(c));
    if (!ended) continue;
    const bool is_mine = ended->command.get() == mine;
    auto r = finish(std::move(ended->command), std::move(ended->answer), !is_mine);
    if (is_mine) own = std::move(r);
  }
  return own;
}

// One command's turn, under the execution lock: answered now, or handed on
// (I/O started, or queued to run alone).
std::optional<io_runner::turn> io_runner::take(std::unique_ptr<queued_command> c) {
  auto& lu = *c->lu;
  auto& server = *c->server;
  auto lock = lu.lock_execution();
  // Aborted while it waited its turn: it never runs (end_task answers it).
  if (!lu.tasks().present(c->nx->it, c->req.tag)) return turn{std::move(c), response{}};
  auto found = server.table_->find(c->req.cdb);
  const command_entry* entry = found ? *found : nullptr;
  if (entry != nullptr && runs_alone(*entry, c->req)) {
    lock.unlock();
    queue_alone(std::move(c));
    return std::nullopt;
  }
  if (entry == nullptr || entry->plan == nullptr) {
    auto r = server.dispatch(&lu, *c->nx, c->req);
    return turn{std::move(c), std::move(r)};
  }
  if (auto refused = server.admit(&lu, *c->nx, c->req, entry)) return turn{std::move(c), std::move(*refused)};
  return plan(std::move(c), *entry);
}

// With the execution lock held: the plan, and its I/O registered in arrival
// order (the lock orders registrations; completions only remove ranges).
std::optional<io_runner::turn> io_runner::plan(std::unique_ptr<queued_command> c,
                                               const command_entry& entry) {
  auto& lu = *c->lu;
  auto& q = lu.io_queue();
  command_context ctx{*c->server, &lu, *c->nx, c->req, entry};
  c->plan = entry.plan(ctx);
  io_plan& p = c->plan;
  if (p.op == io_plan::kind::none) {
    auto r = std::move(p.finished);
    return turn{std::move(c), std::move(r)};
  }
  if (auto r = try_now(*c)) return turn{std::move(c), std::move(*r)};
  if (c->written_inline) return sync_off_thread(std::move(c));
  bool start = true;
  {
    std::lock_guard lock(q.mutex);
    ++q.in_flight;
    if (p.op != io_plan::kind::sync) {
      c->in_ranges = true;
      start = q.ranges.add(c.get(), p.lba, p.blocks, p.op == io_plan::kind::write);
    }
  }
  queued_command* owned = c.release();  // until end_io
  if (start) issue(owned);
  return std::nullopt;
}

// A read the page cache holds, or a write the store takes at once, done on
// this thread when no older overlapping I/O is in flight: the answer, or
// nullopt (the I/O goes to the store's threads, or a FUA write that was done
// here still has its sync to do: written_inline says so).
std::optional<response> io_runner::try_now(queued_command& c) {
  io_plan& p = c.plan;
  if (p.op != io_plan::kind::read && p.op != io_plan::kind::write) return std::nullopt;
  const bool write = p.op == io_plan::kind::write;
  auto& q = c.lu->io_queue();
  {
    std::lock_guard lock(q.mutex);
    if (q.ranges.would_wait(p.lba, p.blocks, write)) return std::nullopt;
  }
  auto& io = *c.lu->store().async();
  auto now = write ? io.try_write(p.lba, p.data) : io.try_read(p.lba, p.finished.data_in);
  if (!now) return std::nullopt;
  if (write && *now && p.sync_after) {
    c.written_inline = true;
    return std::nullopt;
  }
  return plan_outcome(p, *now);
}

// A FUA write done on this thread: its sync on a store thread, then the answer.
std::optional<io_runner::turn> io_runner::sync_off_thread(std::unique_ptr<queued_command> c) {
  auto& q = c->lu->io_queue();
  {
    std::lock_guard lock(q.mutex);
    ++q.in_flight;
  }
  queued_command* owned = c.release();  // until end_io
  owned->lu->store().async()->sync([owned](store_result synced) {
    end_io(owned, plan_sync_outcome(owned->plan, synced));
  });
  return std::nullopt;
}

void io_runner::queue_alone(std::unique_ptr<queued_command> c) {
  auto& lu = *c->lu;
  auto& q = lu.io_queue();
  bool start = false;
  {
    std::lock_guard lock(q.mutex);
    q.alone = std::move(c);
    q.alone_started = start = q.in_flight == 0;
  }
  if (start) lu.store().async()->run_blocking([&lu] { run_alone(lu); });
}

// On a store thread, every I/O before it ended: the command whole, under the
// execution lock, as execute() runs it; then the queue goes on.
void io_runner::run_alone(logical_unit& lu) {
  auto& q = lu.io_queue();
  queued_command* c = nullptr;
  {
    std::lock_guard lock(q.mutex);
    c = q.alone.get();
  }
  response r;
  {
    auto lock = lu.lock_execution();
    if (lu.tasks().present(c->nx->it, c->req.tag)) r = c->server->dispatch(&lu, *c->nx, c->req);
  }
  std::unique_ptr<queued_command> owned;
  bool resume = false;
  {
    std::lock_guard lock(q.mutex);
    owned = std::move(q.alone);
    resume = !q.waiting.empty() && !q.draining;
    q.draining = q.draining || resume;
    if (resume) ++q.outstanding;  // the drain's hold (see drain)
  }
  (void)finish(std::move(owned), std::move(r), true);
  if (resume) (void)drain(lu, nullptr);
}

void io_runner::issue(queued_command* c) {
  auto& io = *c->lu->store().async();
  io_plan& p = c->plan;
  auto then = [c](store_result r) { io_done(c, r); };
  switch (p.op) {
    case io_plan::kind::read: return io.read(p.lba, p.finished.data_in, then);
    case io_plan::kind::write: return io.write(p.lba, p.data, then);
    case io_plan::kind::sync: return io.sync(then);
    case io_plan::kind::none: break;
  }
}

// On a store thread.
void io_runner::io_done(queued_command* c, store_result r) {
  if (c->plan.op == io_plan::kind::write && r && c->plan.sync_after) {
    // The write has landed: overlapping commands may go while it is synced.
    release_range(c);
    c->lu->store().async()->sync([c](store_result synced) {
      end_io(c, plan_sync_outcome(c->plan, synced));
    });
    return;
  }
  end_io(c, plan_outcome(c->plan, r));
}

void io_runner::release_range(queued_command* c) {
  if (!c->in_ranges) return;
  c->in_ranges = false;
  auto& q = c->lu->io_queue();
  std::vector<queued_command*> ready;
  {
    std::lock_guard lock(q.mutex);
    ready = q.ranges.remove(c);
  }
  for (auto* next : ready) issue(next);
}

void io_runner::end_io(queued_command* c, response r) {
  release_range(c);
  auto& lu = *c->lu;
  auto& q = lu.io_queue();
  bool launch = false;
  {
    std::lock_guard lock(q.mutex);
    --q.in_flight;
    launch = q.alone && !q.alone_started && q.in_flight == 0;
    q.alone_started = q.alone_started || launch;
  }
  // The command waiting to run alone keeps the LU alive (outstanding).
  if (launch) lu.store().async()->run_blocking([&lu] { run_alone(lu); });
  (void)finish(std::unique_ptr<queued_command>(c), std::move(r), true);
}

// The task set's verdict, the transport's fit, then the answer: delivered
// through the completion, or returned to the caller who submitted it.
response io_runner::finish(std::unique_ptr<queued_command> c, response r, bool deliver) {
  auto& lu = *c->lu;
  r = fit_to_transport(c->server->end_task(lu, *c->nx, c->req, std::move(r)), c->req);
  auto done = std::move(c->done);
  c.reset();
  if (deliver) done(std::move(r));
  done = nullptr;  // its captures (the transport's buffers) go before the LU may
  auto& q = lu.io_queue();
  std::lock_guard lock(q.mutex);
  if (--q.outstanding == 0) q.idle.notify_all();
  if (deliver) return response{};
  return r;  // moved (a conditional expression would copy the data-in)
}

}  // namespace touchstone::scsi
