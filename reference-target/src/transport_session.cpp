// One TCP connection of the Asio transport (C++20 coroutines, error codes).
//
// Threads: a connection lives on one io_context, run by exactly one I/O
// thread, so its coroutines and handlers never run at once and its own state
// needs no lock; several I/O threads serve several connections at once. The
// instance and the connection cores are shared with management and with
// other connections' events: they are only touched with `core_` (the
// instance lock) held. SCSI commands run without it (the device server is
// thread-safe; the action owns its CDB and data), so commands of different
// connections execute in parallel. Calls that come from elsewhere
// (disconnect, request_logout: made under the lock by another thread) are
// posted to the connection's executor.
//
// Storage: a command to an LU whose store blocks (a file) leaves this
// thread (scsi::device_server::submit): its answer comes back from a store
// thread, posted to the connection's executor, and is handed to the core
// there under the lock as an inline one is. The completion keeps the
// session_io alive; a connection closed meanwhile drops the answer.
#include "transport_session.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <spdlog/spdlog.h>

#include "touchstone/pdu/framer.hpp"
#include "touchstone/target/connection.hpp"
#include "touchstone/target/instance.hpp"
#include "touchstone/target/server.hpp"
#include "mutant_hooks.hpp"
#include "transport_outbox.hpp"

namespace touchstone::target {

using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

std::string text_of(const tcp::endpoint& ep) {
  return endpoint_text{ep.address().to_string(), ep.port()}.portal();
}

using core_lock = std::unique_lock<std::mutex>;

// Commands whose answer a store thread has yet to post: the server waits for
// them before its contexts go (wait_for_storage_jobs).
// A counter every command passes (twice), so an atomic: the mutex is only
// taken when the count reaches 0 or someone waits for it to.
class storage_jobs {
 public:
  void started() { count_.fetch_add(1, std::memory_order_relaxed); }
  void posted() {
    if (count_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    std::lock_guard lock(mutex_);  // a waiter between its check and its wait sees the notify
    none_.notify_all();
  }
  void wait_none() {
    std::unique_lock lock(mutex_);
    none_.wait(lock, [this] { return count_.load(std::memory_order_acquire) == 0; });
  }

 private:
  std::atomic<std::size_t> count_{0};
  std::mutex mutex_;
  std::condition_variable none_;
};
storage_jobs pending_storage;

// The first PDU picks the target (instance::route); the connection core is
// created then and fed every PDU after it. A tick every 250 ms drives the
// core's clocks (login timeout, NOP-In pings, the logout deadline, sessions
// ended from elsewhere).
//
// Reading and writing overlap: the reader feeds the core and puts what it
// answers in the outbox without waiting; one writer coroutine sends all that
// accumulated in one gather write (several PDUs per syscall under load,
// large data segments without a copy). The reader pauses while more than
// max_backlog bytes wait, so a peer that does not read cannot grow it.
class session_io : public std::enable_shared_from_this<session_io> {
 public:
  session_io(tcp::socket socket, instance& targets, std::mutex& core, const peer_address& from)
      : socket_(std::move(socket)),
        executor_(socket_.get_executor()),
        targets_(targets),
        core_(core),
        from_(from),
        tick_timer_(socket_.get_executor()),
        wake_writer_(socket_.get_executor()),
        writer_progress_(socket_.get_executor()) {}

  tcp::socket::executor_type executor() { return socket_.get_executor(); }

  asio::awaitable<void> run() {
    std::error_code ec;
    local_ = text_of(socket_.local_endpoint(ec));
    remote_ = text_of(socket_.remote_endpoint(ec));
    socket_.set_option(tcp::no_delay(true), ec);
    std::uint64_t id = 0;
    {
      core_lock lock(core_);
      entry_ = &targets_.connected(local_, remote_, on_own_thread([](session_io& s) { s.disconnect(); }));
      entry_->request_logout = [weak = weak_from_this()](std::chrono::seconds within) {
        if (auto self = weak.lock())
          asio::post(self->socket_.get_executor(), [self, within] { self->request_logout(within); });
      };
      id = entry_->id;
      log_budget_ = targets_.peer_log_budget();
    }
    if (may_log_info()) spdlog::info("[{}] connected to {}", remote_, local_);
    first_pdu_deadline_ = clock::now() + std::chrono::seconds(30);
    asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->tick_loop(); },
                   asio::detached);
    asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->write_loop(); },
                   asio::detached);
    co_await read_loop();
    // A read error: the peer is gone, nothing more is sent. Otherwise the core
    // closes the connection: the writer sends what it queued first.
    if (!close_after_flush_) disconnect();
    close_after_flush_ = true;
    wake_writer_.cancel();
    while (!writer_done_) co_await wait_on(writer_progress_);
    closed_ = true;
    tick_timer_.cancel();
    {
      // The core leaves its session (directory, I_T nexus loss) under the
      // lock, and is destroyed there: management may be reading it.
      core_lock lock(core_);
      if (conn_) conn_->on_transport_closed();
      targets_.disconnected(id);
      targets_.admission().release(from_, in_login_);
      entry_ = nullptr;
      conn_.reset();
    }
    disconnect();
    log_disconnected();
  }

 private:
  // A callback for the instance (called with the lock held, on any thread)
  // that runs `f` on this connection's thread, if it still exists then.
  template <class F>
  std::function<void()> on_own_thread(F f) {
    return [weak = weak_from_this(), f] {
      if (auto self = weak.lock()) asio::post(self->socket_.get_executor(), [self, f] { f(*self); });
    };
  }

  // Lines once per connection, within the instance's budget of lines about
  // initiators (log_throttle.hpp): a connection flood does not flood the log.
  // A line below the log level takes nothing from the budget.
  bool may_log_info() { return spdlog::should_log(spdlog::level::info) && log_budget_->take(clock::now()); }

  // With the read error that ended the connection, if any (the peer closing is none).
  void log_disconnected() {
    if (!may_log_info()) return;
    if (!read_error_ || read_error_ == asio::error::eof || read_error_ == asio::error::operation_aborted)
      spdlog::info("[{}] disconnected", remote_);
    else
      spdlog::info("[{}] disconnected: {}", remote_, read_error_.message());
  }

  void disconnect() {
    std::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  asio::awaitable<void> tick_loop() {
    while (!closed_) {
      tick_timer_.expires_after(std::chrono::milliseconds(250));
      auto [ec] = co_await tick_timer_.async_wait(use_tuple);
      if (ec || closed_) co_return;
      if (!tick_core() && clock::now() >= first_pdu_deadline_) disconnect();  // not even a first PDU
    }
  }

  // The core's clocks, now: from the tick loop, and when another connection
  // ended this one's session (session_directory's waker), so that end takes
  // effect at once. False when no PDU has come yet (no core).
  bool tick_core() {
    core_lock lock(core_);
    if (!conn_) return false;
    conn_->on_tick(clock::now());
    perform(lock);
    return true;
  }

  // Shutdown: the core sends an Async Message asking for a Logout within
  // `within` (and drops the connection past it); before the Full Feature
  // Phase it closes.
  void request_logout(std::chrono::seconds within) {
    if (closed_) return;
    core_lock lock(core_);
    if (!conn_) {
      lock.unlock();
      return disconnect();
    }
    conn_->request_logout(clock::now(), within);
    perform(lock);
  }

  // The first PDU chose the target: the core starts with it.
  void start_core(const pdu::pdu& first) {
    node_ = targets_.route(*entry_, first);
    conn_.emplace(node_, connection_info{local_, remote_, 1}, clock::now());
    entry_->conn = &*conn_;
    conn_->stream_data_in(true);
    conn_->set_waker(on_own_thread([](session_io& s) { if (!s.closed_) s.tick_core(); }));
  }

  // Until a read error, or the core (or a fatal framing error) ends the
  // connection: then close_after_flush_ is set.
  asio::awaitable<void> read_loop() {
    // Not zero-filled: pages are touched only as far as reads fill them, so
    // idle connections stay small.
    constexpr std::size_t buffer_size = 256 * 1024;
    const auto buffer = std::make_unique_for_overwrite<std::uint8_t[]>(buffer_size);
    pdu::framer framer;
    for (;;) {
      // Nor does it read while a Data-In stream is being written: the
      // answers to what it would read would wait behind the stream anyway.
      while ((outbox_.size() > max_backlog || !queued_.empty()) && !writer_done_)
        co_await wait_on(writer_progress_);
      auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer.get(), buffer_size),
                                                      use_tuple);
      if (ec) {
        read_error_ = ec;
        co_return;
      }
      if (!take_input(framer, pdu::bytes_view(buffer.get(), n))) co_return;
    }
  }

  // Frames and feeds what one read brought; false once the connection ends.
  bool take_input(pdu::framer& framer, pdu::bytes_view input) {
    core_lock lock(core_);
    if (!entry_) return false;
    entry_->traffic.bytes_in += input.size();
    while (!input.empty()) {
      auto step = framer.decode(input);
      input = input.subspan(step.consumed);
      if (node_ && zero_fill_due(node_->config.mutants, step)) step = complete_with_zeros(framer);  // a mutant
      if (step.status == pdu::frame_status::need_more) break;
      auto p = framer.take();
      ++entry_->traffic.pdus_in;
      if (!conn_) start_core(p);
      if (step.status == pdu::frame_status::done) conn_->on_pdu(std::move(p), clock::now());
      if (step.status == pdu::frame_status::error) conn_->on_frame_error(step.error, std::move(p));
      if (!perform(lock)) return false;
      note_login_ended();
      framer.set_limits(conn_->receive_limits());
      if (framer.failed()) {
        close_after_flush_ = true;
        wake_writer_.cancel();
        return false;
      }
    }
    return true;
  }

  // Runs every action the core produced, with the lock held (and released
  // while a SCSI command executes): PDUs into the outbox for the writer.
  // False once the connection must close (the writer closes it after
  // sending what came before).
  bool perform(core_lock& lock) {
    if (closed_ || close_after_flush_ || !entry_ || !conn_) return false;
    bool open = true;
    for (auto actions = conn_->take_actions(); !actions.empty(); actions = conn_->take_actions()) {
      for (auto& a : actions) {
        if (auto* s = std::get_if<send_pdu>(&a)) {
          if (!queued_.empty()) {
            queued_.push(std::move(s->pdu), s->digests);
          } else {
            entry_->traffic.bytes_out += outbox_.add(std::move(s->pdu), s->digests);
            ++entry_->traffic.pdus_out;
          }
        }
        if (auto* d = std::get_if<send_data_in>(&a)) queued_.push(std::move(d->stream), d->digests);
        if (auto* j = std::get_if<execute_scsi>(&a)) execute(lock, std::move(*j));
        if (std::get_if<close_connection>(&a)) open = false;
      }
    }
    refill(lock);
    if (!open) close_after_flush_ = true;
    if (!outbox_.empty() || !open) wake_writer_.cancel();
    return open;
  }

  // The next batch of a Data-In stream (and what waits behind it) into the
  // outbox, with the lock held (the traffic counts are the instance's).
  void refill(core_lock&) {
    const auto moved = queued_.refill(outbox_, stream_batch);
    entry_->traffic.bytes_out += moved.bytes;
    entry_->traffic.pdus_out += moved.pdus;
  }

  // From the writer: the lock taken only while a stream is being written.
  void refill_from_writer() {
    if (queued_.empty()) return;
    core_lock lock(core_);
    if (entry_) refill(lock);
  }

  // The connection stops counting against max_login_connections once it is
  // in the Full Feature Phase (with the lock held).
  void note_login_ended() {
    const auto p = conn_->current_phase();
    if (!in_login_ || (p != phase::ffp_normal && p != phase::ffp_discovery)) return;
    in_login_ = false;
    targets_.admission().left_login();
  }

  // The device server is thread-safe: it is called without the instance
  // lock. A command it ends on this thread is answered at once; one whose
  // store I/O went to a store thread is answered by scsi_done, later.
  void execute(core_lock& lock, execute_scsi job) {
    const auto devices = node_->devices;
    if (!devices) return scsi_done(lock, job.job, scsi::response{});
    // Owns the CDB and data the device server reads until its completion.
    auto held = std::make_shared<execute_scsi>(std::move(job));
    lock.unlock();
    pending_storage.started();
    auto now = devices->submit(held->nexus, held->request(),
                               [self = shared_from_this(), held](scsi::response r) mutable {
                                 const auto id = held->job;
                                 auto executor = self->executor_;
                                 asio::post(executor, [self = std::move(self), id, r = std::move(r)]() mutable {
                                   self->answer_later(id, std::move(r));
                                 });
                                 pending_storage.posted();
                               });
    if (now) pending_storage.posted();
    lock.lock();
    if (now) scsi_done(lock, held->job, std::move(*now));
  }

  void scsi_done(core_lock&, std::uint64_t job, scsi::response response) {
    ++entry_->traffic.commands;
    if (response.status != scsi::status::good) ++entry_->traffic.errors;
    conn_->on_scsi_done(job, std::move(response));
  }

  // On the connection's thread: an answer from a store thread.
  void answer_later(std::uint64_t job, scsi::response response) {
    core_lock lock(core_);
    if (closed_ || !entry_ || !conn_) return;  // the connection has gone
    scsi_done(lock, job, std::move(response));
    perform(lock);
  }

  // The one writer: sends the outbox whenever it is not empty, then swaps in
  // what accumulated meanwhile. Ends on a write error or, once the outbox is
  // empty, when the connection is closing; it closes the socket then.
  asio::awaitable<void> write_loop() {
    std::vector<asio::const_buffer> pieces;
    for (;;) {
      if (outbox_.size() < stream_batch) refill_from_writer();
      if (outbox_.empty()) {
        if (close_after_flush_ || closed_) break;
        co_await wait_on(wake_writer_);
        continue;
      }
      std::swap(outbox_, sending_);
      writer_progress_.cancel();
      sending_.gather(pieces);
      auto [ec, written] = co_await asio::async_write(socket_, pieces, use_tuple);
      (void)written;
      sending_.clear();
      if (ec) break;
    }
    disconnect();
    writer_done_ = true;
    writer_progress_.cancel();
  }

  // A timer used as a condition: waits until someone cancels it. Callers
  // re-check their condition in a loop (everything runs on the one thread:
  // no lost wake-up).
  static asio::awaitable<void> wait_on(asio::steady_timer& t) {
    t.expires_at(asio::steady_timer::time_point::max());
    co_await t.async_wait(use_tuple);
  }

  static constexpr std::size_t max_backlog = 8u << 20;
  // A Data-In stream enters the outbox this many bytes at a time (below the
  // capacity an outbox keeps after a write, so batches reuse its buffer).
  static constexpr std::size_t stream_batch = 64u << 10;

  tcp::socket socket_;
  const tcp::socket::executor_type executor_;  // read from store threads
  instance& targets_;
  std::mutex& core_;
  const peer_address from_;  // as admitted (connection_admission)
  bool in_login_ = true;     // counted in login; with core_ held
  asio::steady_timer tick_timer_;
  clock::time_point first_pdu_deadline_;
  asio::steady_timer wake_writer_;      // cancelled when the outbox fills or closing starts
  asio::steady_timer writer_progress_;  // cancelled when the writer takes the outbox or ends
  bool closed_ = false;
  bool close_after_flush_ = false;
  bool writer_done_ = false;
  connection_entry* entry_ = nullptr;    // with core_ held
  std::shared_ptr<target_node> node_;    // set once, on the connection's thread
  std::optional<connection> conn_;       // with core_ held
  std::string local_, remote_;
  std::shared_ptr<log_budget> log_budget_;  // the instance's, set once
  std::error_code read_error_;
  outbox outbox_;   // filled by perform()
  outbox sending_;  // being written
  send_queue queued_;  // a Data-In stream and what waits behind it (this thread only)
};

}  // namespace

void wait_for_storage_jobs() { pending_storage.wait_none(); }

void serve_connection(tcp::socket socket, instance& targets, std::mutex& core, const peer_address& from) {
  auto io = std::make_shared<session_io>(std::move(socket), targets, core, from);
  const auto executor = io->executor();
  asio::co_spawn(executor, [io]() { return io->run(); }, asio::detached);
}

}  // namespace touchstone::target
