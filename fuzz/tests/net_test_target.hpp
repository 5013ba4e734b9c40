// Test targets for the network-fuzzing tests: the reference target in
// process (embedded_server, 127.0.0.1, an ephemeral port) and, in front of
// it, a TCP proxy that forwards whole PDUs both ways until the initiator
// sends a trigger PDU (ITT trigger_itt), which it swallows and then:
//   crash  closes its listener and every connection (fresh sessions refused);
//   crash_at_close  forwards the trigger (its answer comes as usual) and
//          crashes as above when the initiator closes that connection (a
//          target that dies releasing a closed connection's tasks, as tgtd
//          does: the session itself ended answered);
//   hang   forwards nothing more on any connection and holds new ones silent;
//   stall  forwards nothing more on that connection, serves new ones;
//   stall_once  the same for the first trigger only; later triggers are
//          forwarded and answered (a stall no replay shows again: what a
//          deadline missed on a loaded machine looks like);
//   depart forwards the trigger (a NOP-Out ping) and breaks the one answer
//          to it: the NOP-In echoing trigger_itt has its F bit cleared (a
//          protocol departure: 11.19 draws byte 1 as 1, then reserved bits);
//          the rest of the session and every other session go on as the
//          target sends them;
//   ping_depart forwards the trigger and its echo, then sends a NOP-In ping
//          of its own (TTT 0x00c0ffee) with its F bit cleared: the engine
//          answers it, and the executor's oracle must see it all the same;
//   trickle swallows the trigger, then holds what the target sends on that
//          connection until the initiator's next NOP-Out (the executor's
//          ping), forwards that, and releases the held PDUs and all later ones one
//          per trickle_gap: a long answer that comes slower than a deadline
//          for the whole of it but well within one per PDU;
//   corrupt needs no trigger: once any session sent a WRITE(10/16), every
//          Data-In answering a READ(10/16) has one byte of its data (byte
//          100 of the segment) flipped (a target that returns one wrong
//          byte in a block read after a write: the integrity oracle's case).
// One thread, poll() with a short timeout, a bounded number of connections;
// stop() (and the destructor) ends it. Set-up failures throw
// std::runtime_error (a failed test inside Catch2, a message outside it:
// fuzz_test_target runs the proxy for the shell tests).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "touchstone/conformance/target.hpp"
#include "touchstone/target/embedded_server.hpp"

namespace touchstone::fuzz::net::test {

inline constexpr std::uint32_t trigger_itt = 0x7e57'd1e5;

enum class misbehaviour : std::uint8_t { none, crash, crash_at_close, hang, stall, stall_once, depart, ping_depart, corrupt, trickle };

// trickle: the time between two PDUs released.
inline constexpr std::chrono::milliseconds trickle_gap{50};

class trigger_proxy {
 public:
  static constexpr std::size_t max_connections = 32;

  trigger_proxy(std::uint16_t upstream_port, misbehaviour m);
  ~trigger_proxy();
  trigger_proxy(const trigger_proxy&) = delete;
  trigger_proxy& operator=(const trigger_proxy&) = delete;

  std::uint16_t port() const { return port_; }
  bool triggered() const { return triggered_; }
  void stop();

 private:
  struct link;
  void run();
  void accept_one();
  bool pump_from_initiator(link& l);
  bool pump_from_target(link& l);
  bool pump_answers(link& l, const std::uint8_t* bytes, std::size_t n);
  bool hold_answers(link& l, const std::uint8_t* bytes, std::size_t n);
  bool release_held(link& l);
  void on_trigger(link& l);
  void note_command(link& l, const pdu::pdu& p);
  void close_all();

  std::uint16_t upstream_port_;
  misbehaviour mode_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::vector<std::unique_ptr<link>> links_;
  bool hung_ = false;
  bool crash_ = false;  // the trigger came: close the listener and every link
  bool written_ = false;  // corrupt: a WRITE was seen (on any link)
  bool stalled_once_ = false;  // stall_once: the one stall happened
  std::atomic<bool> triggered_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The reference target and a proxy in front of it; config() points at the
// proxy with the target's name and LUN 0.
struct proxied_target {
  explicit proxied_target(misbehaviour m);
  conformance::target_config config() const;

  std::unique_ptr<target::embedded_server> server;
  std::unique_ptr<trigger_proxy> proxy;
};

}  // namespace touchstone::fuzz::net::test
