// The soak's workers: verified I/O, a latency probe, fresh-ISID logins,
// malformed floods and slow connections (soak_load.hpp).
#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>

#include "soak_load.hpp"
#include "touchstone/conformance/cdb.hpp"
#include "touchstone/conformance/login.hpp"
#include "touchstone/conformance/requests.hpp"
#include "touchstone/conformance/scsi_task.hpp"
#include "touchstone/pdu/unknown.hpp"

namespace touchstone::soak {
namespace {

using conformance::clock;
using conformance::milliseconds;
constexpr std::uint32_t unit = 4096;  // bytes per verified operation

// The bytes a verified worker writes for (index, seq): splitmix64 stream.
pdu::byte_buffer pattern(unsigned index, std::uint64_t seq) {
  pdu::byte_buffer b(unit);
  std::uint64_t x = (std::uint64_t{index} << 40) ^ seq;
  for (std::size_t i = 0; i < b.size(); i += 8) {
    x += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    std::memcpy(b.data() + i, &z, 8);
  }
  return b;
}

conformance::scsi_outcome read_unit(conformance::session& s, std::uint32_t lba, std::uint32_t bl) {
  conformance::scsi_request r;
  r.cdb = conformance::cdb::read10(lba, static_cast<std::uint16_t>(unit / bl));
  r.read = true;
  r.expected_length = unit;
  return conformance::run_scsi(s, r);
}

conformance::scsi_outcome write_unit(conformance::session& s, std::uint32_t lba, std::uint32_t bl,
                                     pdu::byte_buffer data) {
  conformance::scsi_request r;
  r.cdb = conformance::cdb::write10(lba, static_cast<std::uint16_t>(unit / bl));
  r.write = true;
  r.expected_length = unit;
  r.data_out = std::move(data);
  return conformance::run_scsi(s, r);
}

}  // namespace

const conformance::timing& times() {
  static const conformance::timing t;
  return t;
}

std::unique_ptr<conformance::session> open_session(const options& o, std::uint64_t isid, counters& c) {
  auto s = std::make_unique<conformance::session>(o.where, times());
  if (s->connect()) {
    c.login_failures++;
    return nullptr;
  }
  conformance::login_options lo;
  lo.initiator_name = "iqn.2024-01.org.touchstone:soak";
  lo.target_name = o.iqn;
  lo.isid = isid;
  if (!conformance::login(*s, lo).ok()) {
    c.login_failures++;
    return nullptr;
  }
  return s;
}

// A nexus's first commands may meet a unit attention (power on, the
// previous session's I_T nexus loss): TEST UNIT READY takes them first.
bool clear_unit_attentions(conformance::session& s) {
  conformance::scsi_request r;
  r.cdb = conformance::cdb::test_unit_ready();
  for (int i = 0; i < 8; ++i) {
    const auto out = conformance::run_scsi(s, r);
    if (out.good()) return true;
    if (!out.completed()) return false;
  }
  return false;
}

void nap(const std::atomic<bool>& stop, milliseconds d) {
  const auto until = clock::now() + d;
  while (!stop && clock::now() < until)
    std::this_thread::sleep_for(std::min<milliseconds>(milliseconds(50), d));
}

void end_session(std::unique_ptr<conformance::session>& s) {
  if (s && s->wire().is_open()) conformance::logout(*s);
  s.reset();
}

void counters::add_probe(std::uint32_t us) {
  std::lock_guard lock(probe_mutex);
  if (probe_us.size() < 100'000) probe_us.push_back(us);
}

std::vector<std::uint32_t> counters::take_probes() {
  std::lock_guard lock(probe_mutex);
  return std::exchange(probe_us, {});
}

std::uint32_t read_block_length(const options& o, std::string& why) {
  counters c;
  auto s = open_session(o, probe_isid | 0xffff, c);
  if (!s || !clear_unit_attentions(*s)) {
    why = "cannot log in to " + o.iqn + " at " + o.where.host + ":" + std::to_string(o.where.port);
    return 0;
  }
  conformance::scsi_request r;
  r.cdb = conformance::cdb::read_capacity10();
  r.read = true;
  r.expected_length = 8;
  const auto out = conformance::run_scsi(*s, r);
  const auto cap = out.good() ? conformance::cdb::parse_capacity10(out.data) : std::nullopt;
  end_session(s);
  if (!cap || cap->block_length == 0 || unit % cap->block_length != 0) {
    why = "READ CAPACITY(10) failed or gave a block length that does not divide 4096";
    return 0;
  }
  return cap->block_length;
}

// Each verified worker owns blocks_per_worker units after the probe's unit:
// it reads a unit back (it must hold the worker's last write there), then
// writes the next pattern to it.
void run_verified(shared_state& st, unsigned index) {
  const auto& o = st.opts;
  const std::uint32_t per_unit = unit / st.block_length;
  std::vector<std::uint64_t> last(o.blocks_per_worker, 0);  // 0: not written yet
  std::uint64_t seq = 0, rng = 0x2545f4914f6cdd1dULL ^ index;
  std::unique_ptr<conformance::session> s;
  unsigned ops = 0;
  while (!st.stop) {
    if (!s || ops >= o.ops_per_session) {
      if (s) st.count.sessions_replaced++;
      end_session(s);
      s = open_session(o, verified_isid | index, st.count);
      ops = 0;
      if (s && !clear_unit_attentions(*s)) s.reset();
      if (!s) { nap(st.stop, milliseconds(500)); continue; }
    }
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    const auto slot = static_cast<std::uint32_t>(rng % o.blocks_per_worker);
    const std::uint32_t lba = (1 + index * o.blocks_per_worker + slot) * per_unit;
    ++ops;
    if (last[slot] != 0) {
      const auto got = read_unit(*s, lba, st.block_length);
      if (!got.good()) { st.count.io_failures++; s.reset(); continue; }
      if (got.data != pattern(index, last[slot])) st.count.mismatches++;
      else st.count.verified_ops++;
    }
    const auto put = write_unit(*s, lba, st.block_length, pattern(index, ++seq));
    if (!put.good()) { st.count.io_failures++; last[slot] = 0; s.reset(); continue; }
    last[slot] = seq;
  }
  end_session(s);
}

// One session reading the first unit every 100 ms: what a well-behaved
// initiator sees of the target's latency while everything else goes on.
void run_probe(shared_state& st) {
  std::unique_ptr<conformance::session> s;
  unsigned ops = 0;
  while (!st.stop) {
    if (!s || ops >= st.opts.ops_per_session) {
      end_session(s);
      s = open_session(st.opts, probe_isid, st.count);
      ops = 0;
      if (s && !clear_unit_attentions(*s)) s.reset();
      if (!s) { nap(st.stop, milliseconds(500)); continue; }
    }
    const auto start = clock::now();
    const auto got = read_unit(*s, 0, st.block_length);
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - start);
    ++ops;
    if (!got.good()) { st.count.io_failures++; s.reset(); continue; }
    st.count.add_probe(static_cast<std::uint32_t>(std::min<long long>(us.count(), UINT32_MAX)));
    nap(st.stop, milliseconds(100));
  }
  end_session(s);
}
}  // namespace touchstone::soak
