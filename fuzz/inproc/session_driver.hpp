// The in-process driver of the reference target's sans-I/O connection core,
// shared by fuzz/target_session.cpp (raw streams) and fuzz/target_program.cpp
// (session programs): one target::connection on a node with an in-memory LU,
// a synthetic clock, a pdu::framer with the limits the core asks for, and
// the oracles every PDU the target sends goes through (docs/fuzzing.md,
// "target_session"). An oracle departure prints what broke and abort()s,
// which libFuzzer and the replay driver report as a finding.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "../target_session.hpp"
#include "touchstone/fuzz/inproc/residual_oracle.hpp"
#include "touchstone/pdu/framer.hpp"
#include "touchstone/pdu/text.hpp"
#include "touchstone/target/connection.hpp"

namespace touchstone::fuzz::inproc {

namespace ts = touchstone::fuzz::target_session;

// Prints "target_session oracle failed: what" and aborts unless ok.
void oracle(bool ok, const char* what);

// The node a scenario asks for: its own session registry and directory, a
// 64-block in-memory LU (fresh per input: nothing written leaks into the
// next one).
std::shared_ptr<target::target_node> make_node(const ts::scenario& s);

class session_driver {
 public:
  // `clock`: a synthetic clock shared with the other connections of the
  // node (a program group's, group_runner.hpp); null: one of its own.
  session_driver(const ts::scenario& s, std::shared_ptr<target::target_node> node,
                 target::clock::time_point* clock = nullptr);
  // A copy of `from`, a driver whose connection leads a session in the Full
  // Feature Phase and that runs on a clock of its own, with its connection
  // copied onto `node` (a fresh node as make_node builds it: connection.hpp)
  // and a clock of its own at from's time. The post-login snapshot's copy
  // for one input (login_snapshot.hpp); records nothing.
  session_driver(const session_driver& from, std::shared_ptr<target::target_node> node);
  session_driver& operator=(const session_driver&) = delete;

  target::connection& core() { return *conn_; }
  const target::connection& core() const { return *conn_; }
  bool closed() const { return closed_; }
  const target::target_node& node() const { return *node_; }
  target::clock::time_point now() const { return *now_; }
  std::uint32_t expected_stat_sn() const { return stat_sn_; }
  // What the target sent in answer to the last feed or frame error.
  const std::vector<pdu::pdu>& last_sent() const { return last_sent_; }
  // Jobs the next PDUs start are held until after the following PDU.
  void defer_jobs(bool on) { s_.defer_jobs = on; }
  void advance(std::chrono::milliseconds d) { *now_ += d; }
  // Whether another connection's login or TMF asked this one to end since
  // the last call (the session directory's waker, which the transport turns
  // into a prompt on_tick; poll() is that tick here).
  bool take_woken() { return std::exchange(woken_, false); }
  // The core ticked at the current time, its actions taken: how a
  // termination another connection asked for takes effect.
  void poll();

  void feed(pdu::pdu p);
  void frame_error(pdu::frame_error e, pdu::pdu partial);
  // Stream bytes through the framer; false once the connection is over
  // (closed, or a fatal framing error). `renumber` rewrites each PDU first.
  template <class F>
  bool feed_bytes(pdu::bytes_view in, F&& renumber);
  bool feed_bytes(pdu::bytes_view in) {
    return feed_bytes(in, [](pdu::pdu&) {});
  }
  const pdu::framer_limits& framer_limits() const { return framer_.limits(); }
  // Every PDU the target sends from now on is appended to `out` (tests
  // compare runs by it); null: none kept.
  void record_to(std::vector<pdu::pdu>* out) { transcript_ = out; }

  // The end of the connection: jobs finish, time passes, the peer goes away;
  // the node must then hold no session. A group ends its connections in the
  // same three parts, each over every connection, then checks the node.
  void finish();
  void settle();           // held jobs finish
  void age(int seconds);   // time passes (the shared clock), the core ticks
  void close_transport();  // the peer goes away; the connection is destroyed

 private:
  void step();
  void drain();
  void complete(target::execute_scsi& j);
  void check_sent(const pdu::pdu& p, pdu::digest_config digests);
  void check_stat_sn(const pdu::pdu& p);
  void check_segment_size(const pdu::pdu& p);
  void check_bounds();

  ts::scenario s_;
  std::shared_ptr<target::target_node> node_;
  std::optional<target::connection> conn_;
  pdu::framer framer_;
  target::clock::time_point own_clock_{};
  target::clock::time_point* now_;
  bool woken_ = false;
  std::uint32_t stat_sn_;
  bool closed_ = false;
  std::vector<target::execute_scsi> held_;
  std::vector<pdu::pdu> last_sent_;
  residual_oracle residuals_;
  std::vector<pdu::pdu>* transcript_ = nullptr;
};

template <class F>
bool session_driver::feed_bytes(pdu::bytes_view in, F&& renumber) {
  while (!in.empty()) {
    const auto r = framer_.decode(in);
    in = in.subspan(r.consumed);
    if (r.status == pdu::frame_status::need_more) return true;
    auto p = framer_.take();
    if (r.status == pdu::frame_status::done) {
      renumber(p);
      feed(std::move(p));
    } else {
      frame_error(r.error, std::move(p));
    }
    if (closed_ || framer_.failed()) return false;
  }
  return true;
}

// A well-formed login from the pdu builders (CHAP from the target's
// challenge when the scenario requires it), with `offers` appended to the
// operational stage's keys as written. True when it reached the Full Feature
// Phase; false when the target refused or answered oddly (the caller decides
// whether that is a finding).
struct login_request_fields {
  std::uint64_t isid = ts::isid;
  std::uint16_t tsih = 0;
  std::uint16_t cid = 1;
  pdu::text_pairs offers;
};
bool log_in(session_driver& d, const ts::scenario& s, const login_request_fields& fields = {});

}  // namespace touchstone::fuzz::inproc
