// kill -9 durability of touchstone-target (a separate process, file LUN):
// writers send sequence-numbered, checksummed 4 KiB blocks (FUA writes, or
// writes each followed by SYNCHRONIZE CACHE), the target is killed with
// SIGKILL at a random moment (seeded: the seed is printed, and
// TOUCHSTONE_KILL9_SEED=N replays it) and restarted on the same file, and
// every block acknowledged durable must read back intact (durable_blocks.hpp).
// The same for APTPL: a registration acknowledged with APTPL=1 is still
// there after the restart.
//
// A SIGKILL ends the process, not the machine: what the process handed to
// the kernel survives in the page cache, what it still held is gone. So the
// read-back catches an acknowledgement sent before the write reached the
// kernel (and a torn or non-atomic APTPL state file), and, right after each
// kill, the page cache is asked (cachestat, page_cache.hpp) whether a block
// whose last version was acknowledged durable is still dirty: a power loss
// would lose it, so the sync did not come before GOOD.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "durable_blocks.hpp"
#include "page_cache.hpp"
#include "target_process.hpp"
#include "touchstone/conformance/cdb.hpp"
#include "touchstone/conformance/login.hpp"
#include "touchstone/conformance/pr_cdb.hpp"
#include "touchstone/conformance/scsi_task.hpp"

using namespace touchstone;
using namespace touchstone::target::test;

namespace {

constexpr unsigned writers = 4;
constexpr unsigned slots_per_writer = 16;
constexpr unsigned kills = 5;
constexpr std::uint64_t writer_isid = 0x80'0000'9000ULL;
constexpr std::uint64_t reader_isid = 0x80'0000'9100ULL;
const conformance::timing waits{};  // sessions keep a reference to it

struct temp_dir {
  std::string path;
  temp_dir() {
    char name[] = "/tmp/touchstone-kill9-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    path = name;
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

// The kill moments come from this seed, printed so a failure can be replayed.
std::mt19937 seeded(const char* test) {
  const char* forced = std::getenv("TOUCHSTONE_KILL9_SEED");
  const auto seed = forced ? static_cast<std::uint32_t>(std::strtoul(forced, nullptr, 10))
                           : std::random_device{}();
  std::printf("%s: seed %u (TOUCHSTONE_KILL9_SEED=%u replays it)\n", test, seed, seed);
  std::fflush(stdout);
  return std::mt19937(seed);
}

void sleep_random_ms(std::mt19937& random, int low, int high) {
  std::this_thread::sleep_for(
      std::chrono::milliseconds(std::uniform_int_distribution<int>(low, high)(random)));
}

std::unique_ptr<conformance::session> open_session(const target_process& t, std::uint64_t isid) {
  auto s = std::make_unique<conformance::session>(t.where, waits);
  if (s->connect()) return nullptr;
  conformance::login_options o;
  o.initiator_name = "iqn.2026-12.org.touchstone:kill9";
  o.target_name = t.iqn;
  o.isid = isid;
  if (!conformance::login(*s, o).ok()) return nullptr;
  return s;
}

bool unit_attention(const conformance::scsi_outcome& out) {
  return out.completed() && out.status == 0x02 && out.sense.size() > 2 &&
         (out.sense[2] & 0x0f) == 0x06;
}

// A command, repeated past the unit attentions a restarted target reports
// (POWER ON, RESET; at most 4).
conformance::scsi_outcome run(conformance::session& s, const conformance::scsi_request& r) {
  auto out = conformance::run_scsi(s, r);
  for (int i = 0; i < 4 && unit_attention(out); ++i) out = conformance::run_scsi(s, r);
  return out;
}

conformance::scsi_request write_request(std::uint32_t lba, pdu::byte_buffer data, bool fua) {
  conformance::scsi_request r;
  r.cdb = conformance::cdb::write10(lba, 1);
  //= sbc3#5.33
  // FUA (byte 1 bit 3) = 1: the write is on the medium before GOOD (WRITE(10)'s
  // section number from memory).
  if (fua) r.cdb[1] |= 0x08;
  r.write = true;
  r.expected_length = durable_block_size;
  r.data_out = std::move(data);
  return r;
}

conformance::scsi_request sync_cache_request() {
  conformance::scsi_request r;
  r.cdb = pdu::byte_buffer(10, 0);
  r.cdb[0] = 0x35;  // SYNCHRONIZE CACHE(10), the whole medium (LBA 0, 0 blocks)
  return r;
}

struct writer_state {
  unsigned id = 0;
  std::uint64_t next = 1;
  std::vector<slot_ledger> slots = std::vector<slot_ledger>(slots_per_writer);
  std::uint64_t acked_total = 0;
  std::string error;  // a command answered with anything but GOOD

  std::uint32_t lba(unsigned slot) const { return id * slots_per_writer + slot; }
};

// One block, then (mode B) SYNCHRONIZE CACHE; true while the target answers GOOD.
bool write_one(conformance::session& s, writer_state& w, bool fua) {
  const auto slot = static_cast<unsigned>(w.next % slots_per_writer);
  const std::uint64_t seq = w.next++ * writers + w.id;  // unique across writers
  w.slots[slot].sent = seq;
  auto out = run(s, write_request(w.lba(slot), make_block(seq, w.lba(slot)), fua));
  if (out.good() && !fua) out = run(s, sync_cache_request());
  if (!out.good()) {
    if (out.completed()) w.error = out.summary();  // answered, not killed
    return false;
  }
  w.slots[slot].acked = seq;
  ++w.acked_total;
  return true;
}

// Writes (one command at a time) until the target goes away; bounded.
void write_until_gone(const target_process& t, writer_state& w, bool fua) {
  auto s = open_session(t, writer_isid + w.id);
  if (!s) return;  // killed before the login ended
  for (int n = 0; n < 200000 && write_one(*s, w, fua); ++n) {
  }
}

// Right after a kill: blocks whose last version was acknowledged durable
// must be clean in the page cache (synced), whatever else is in flight.
void probe(const page_cache_probe& cache, const writer_state& w, durability_tally& t) {
  for (unsigned slot = 0; slot < slots_per_writer; ++slot) {
    const auto& s = w.slots[slot];
    if (s.acked == 0 || s.sent != s.acked) continue;
    const auto dirty =
        cache.unsynced(std::uint64_t{w.lba(slot)} * durable_block_size, durable_block_size);
    if (!dirty) return;
    ++t.probed;
    if (*dirty) ++t.unsynced;
  }
}

// Reads a writer's blocks back from the restarted target.
void verify(conformance::session& s, const writer_state& w, durability_tally& t) {
  conformance::scsi_request r;
  r.cdb = conformance::cdb::read10(w.lba(0), slots_per_writer);
  r.read = true;
  r.expected_length = durable_block_size * slots_per_writer;
  const auto out = run(s, r);
  REQUIRE(out.good());
  REQUIRE(out.data.size() == r.expected_length);
  for (unsigned slot = 0; slot < slots_per_writer; ++slot) {
    const auto got =
        pdu::bytes_view(out.data).subspan(slot * durable_block_size, durable_block_size);
    judge(w.slots[slot], inspect(got, w.lba(slot)), t);
  }
}

// `backend`: the file LUN's asynchronous I/O (TOUCHSTONE_IO_BACKEND).
void kill_writers(const std::string& test, bool fua, const std::string& backend) {
  temp_dir dir;
  const std::string image = dir.path + "/lun0.img";
  target_process t(TOUCHSTONE_TARGET_BIN, dir.path, "file:" + image + ",size=1MiB,bs=4096",
                   backend);
  auto random = seeded(test.c_str());
  std::vector<writer_state> state(writers);
  for (unsigned i = 0; i < writers; ++i) state[i].id = i;
  durability_tally total;
  t.start();
  // io_uring unless refused (then the thread pool serves), or the thread pool.
  const bool uring = t.has_io_uring();
  if (backend == "thread-pool") CHECK_FALSE(uring);
  for (unsigned round = 0; round < kills; ++round) {
    std::vector<std::thread> running;
    for (auto& w : state) running.emplace_back([&t, &w, fua] { write_until_gone(t, w, fua); });
    sleep_random_ms(random, 40, 300);
    t.kill9();
    for (auto& r : running) r.join();
    for (const auto& w : state) REQUIRE(w.error.empty());
    {
      const page_cache_probe cache(image);
      for (const auto& w : state) probe(cache, w, total);
    }
    t.start();  // on the same file
    auto reader = open_session(t, reader_isid);
    REQUIRE(reader);
    for (const auto& w : state) verify(*reader, w, total);
  }
  t.stop();
  std::uint64_t acked = 0;
  for (const auto& w : state) acked += w.acked_total;
  std::printf(
      "%s (%s): %u kills, %llu blocks acknowledged; read back: %u checked, %u lost, %u corrupt; "
      "page cache at the kill: %u probed, %u unsynced%s\n",
      test.c_str(), uring ? "an io_uring open" : "no io_uring", kills,
      static_cast<unsigned long long>(acked), total.checked, total.lost, total.corrupt,
      total.probed, total.unsynced,
      total.probed == 0 ? " (no cachestat here: Linux < 6.5 or tmpfs)" : "");
  CHECK(total.checked > 0);
  CHECK(total.lost == 0);
  CHECK(total.corrupt == 0);
  CHECK(total.unsynced == 0);
}

}  // namespace

//= sbc3#4.13 type=test
// WCE=1 (the file LUN's default): a write with FUA=1 is on the medium before
// its GOOD (section number from memory).
TEST_CASE("kill -9: every FUA write acknowledged with GOOD reads back intact",
          "[target][durability]") {
  const std::string backend = GENERATE(as<std::string>{}, "io_uring", "thread-pool");
  kill_writers("FUA writes, " + backend, true, backend);
}

//= sbc3#5.25 type=test
// SYNCHRONIZE CACHE: the blocks written before it are on the medium before its
// GOOD (section number from memory).
TEST_CASE("kill -9: every write whose SYNCHRONIZE CACHE got GOOD reads back intact",
          "[target][durability]") {
  const std::string backend = GENERATE(as<std::string>{}, "io_uring", "thread-pool");
  kill_writers("WRITE + SYNCHRONIZE CACHE, " + backend, false, backend);
}

namespace {

// REGISTER AND IGNORE EXISTING KEY with APTPL=1, a higher key each time, until
// the target goes away; `acked` and `sent` as in slot_ledger.
void register_until_gone(const target_process& t, std::uint64_t& next_key, slot_ledger& key) {
  auto s = open_session(t, writer_isid);
  if (!s) return;
  for (int n = 0; n < 20000; ++n) {
    conformance::cdb::pr_out_parameters p;
    p.service_action_key = next_key++;
    p.aptpl = true;
    conformance::scsi_request r;
    r.cdb = conformance::cdb::pr_out(conformance::cdb::pr_out_action::register_and_ignore,
                                     conformance::cdb::pr_type::none, 24);
    r.write = true;
    r.expected_length = 24;
    r.data_out = conformance::cdb::pr_out_list(p);
    key.sent = p.service_action_key;
    if (!run(*s, r).good()) return;
    key.acked = p.service_action_key;
  }
}

std::vector<std::uint64_t> read_keys(const target_process& t) {
  auto s = open_session(t, reader_isid);
  REQUIRE(s);
  conformance::scsi_request r;
  r.cdb = conformance::cdb::pr_in(conformance::cdb::pr_in_action::read_keys, 1024);
  r.read = true;
  r.expected_length = 1024;
  const auto out = run(*s, r);
  REQUIRE(out.good());
  auto keys = conformance::cdb::parse_read_keys(out.data);
  REQUIRE(keys);
  return keys->keys;
}

}  // namespace

//= spc4#5.13.5 type=test
// APTPL=1: the registrations (and the reservation) are kept across a power
// loss (section number from memory).
TEST_CASE("kill -9: a registration acknowledged with APTPL=1 survives the restart",
          "[target][durability][aptpl]") {
  temp_dir dir;
  target_process t(
      TOUCHSTONE_TARGET_BIN, dir.path,
      "file:" + dir.path + "/lun0.img,size=1MiB,bs=4096,aptpl=" + dir.path + "/lun0.pr");
  auto random = seeded("APTPL registrations");
  std::uint64_t next_key = 0x1000;
  slot_ledger key;
  t.start();
  for (unsigned round = 0; round < kills; ++round) {
    std::thread registrar([&] { register_until_gone(t, next_key, key); });
    sleep_random_ms(random, 40, 200);
    t.kill9();
    registrar.join();
    REQUIRE(key.acked != 0);
    t.start();
    const auto keys = read_keys(t);
    CAPTURE(round, key.acked, key.sent);
    // One I_T nexus, registered once: its key is the last acknowledged or the
    // one sent after it.
    REQUIRE(keys.size() == 1);
    CHECK(keys[0] >= key.acked);
    CHECK(keys[0] <= key.sent);
  }
  t.stop();
  std::printf("APTPL registrations: %u kills, last key acknowledged 0x%llx\n", kills,
              static_cast<unsigned long long>(key.acked));
}
