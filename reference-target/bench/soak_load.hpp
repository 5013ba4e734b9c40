// touchstone-soak-load's workers and what they count. Each worker is one
// thread with blocking conformance-engine sessions (every wait has a
// deadline), so stopping takes at most one wait. Sessions are replaced after
// a bounded number of operations: the engine keeps every PDU and byte of a
// session for its reports, and a soak must not grow itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "touchstone/conformance/session.hpp"

namespace touchstone::soak {

struct options {
  conformance::endpoint where;
  std::string iqn;
  unsigned seconds = 60;
  unsigned interval = 10;          // seconds between report lines
  unsigned verified = 8;           // sessions writing and reading back their own blocks
  unsigned blocks_per_worker = 256;  // 4 KiB blocks each verified session owns
  unsigned churn_rate = 20;        // fresh-ISID logins a second (0: none)
  unsigned flood = 2;              // sessions sending malformed PDUs
  unsigned flood_rate = 100;       // malformed PDUs a second per flood session
  unsigned slow = 16;              // connections that trickle one byte every few seconds
  unsigned ops_per_session = 2000;  // operations before a session is replaced
};

// What the workers did; read and reset by the reporter every interval.
struct counters {
  std::atomic<std::uint64_t> verified_ops{0};   // write + read back, equal
  std::atomic<std::uint64_t> mismatches{0};     // read back differs from the last write
  std::atomic<std::uint64_t> io_failures{0};    // a verified or probe command not GOOD
  std::atomic<std::uint64_t> logins{0};         // fresh-ISID logins that succeeded
  std::atomic<std::uint64_t> login_failures{0};  // by any worker
  std::atomic<std::uint64_t> malformed_sent{0};
  std::atomic<std::uint64_t> flood_closes{0};   // flood connections the target ended
  std::atomic<std::uint64_t> slow_closes{0};    // slow connections the target ended
  std::atomic<std::uint64_t> sessions_replaced{0};

  // Latencies (microseconds) of the probe's reads this interval; the probe
  // reads every 100 ms, so this holds about 10 a second.
  std::mutex probe_mutex;
  std::vector<std::uint32_t> probe_us;
  void add_probe(std::uint32_t us);
  std::vector<std::uint32_t> take_probes();
};

struct shared_state {
  const options& opts;
  counters& count;
  const std::atomic<bool>& stop;
  std::uint32_t block_length = 512;  // from READ CAPACITY before the workers start
};

// ISID qualifiers per worker kind (random format, T=2): distinct so each
// kind's nexuses are told apart in the target's session.list.
constexpr std::uint64_t churn_isid = 0x81'0000'0000'00ULL;
constexpr std::uint64_t verified_isid = 0x82'0000'0000'00ULL;
constexpr std::uint64_t probe_isid = 0x83'0000'0000'00ULL;
constexpr std::uint64_t flood_isid = 0x84'0000'0000'00ULL;
constexpr std::uint64_t isid_low_mask = 0xff'ffff'ffffULL;

// The engine's usual waits (3 s for an answer): the bound on a stop.
const conformance::timing& times();
// A connected, logged-in Normal session, or nullptr (login_failures counted).
std::unique_ptr<conformance::session> open_session(const options& o, std::uint64_t isid, counters& c);
// TEST UNIT READY until GOOD (unit attentions taken), at most 8 times.
bool clear_unit_attentions(conformance::session& s);
// Logout when the connection is still open, then drop the session.
void end_session(std::unique_ptr<conformance::session>& s);
// Sleeps up to d in short steps, returning early once stop is set.
void nap(const std::atomic<bool>& stop, conformance::milliseconds d);

// READ CAPACITY(10) through one session: the LUN's block length, or 0 and why.
std::uint32_t read_block_length(const options& o, std::string& why);

void run_verified(shared_state& s, unsigned index);
void run_probe(shared_state& s);
void run_churn(shared_state& s);
void run_flood(shared_state& s, unsigned index);
void run_slow(shared_state& s);

}  // namespace touchstone::soak
