// Fuzz persistent reservations through the scsi device server: a sequence of
// PERSISTENT RESERVE IN/OUT, READ, WRITE and TEST UNIT READY commands (and LU
// resets, I_T nexus losses) from four I_T nexuses on one in-memory LU.
//
// Input: records of [op byte][argument bytes]. The op byte's low two bits
// pick the nexus (0-2 on target port 1, 3 = nexus 0's initiator on port 2),
// the rest the command (see run_record); keys come from a small table so the
// fuzzer meets registered keys often; a "raw" record takes its CDB and
// parameter list from the input.
//
// After each command an observer nexus (never registered) reads the state
// with READ KEYS, READ RESERVATION and READ FULL STATUS, and checks:
//  - all three report one PRgeneration, which never decreases, moves by one
//    on each GOOD REGISTER / REGISTER AND IGNORE / CLEAR / PREEMPT / PREEMPT
//    AND ABORT / REGISTER AND MOVE and not at all otherwise;
//  - registered keys are non-zero; READ KEYS and READ FULL STATUS agree;
//  - at most one reservation; none without registrations; its holder is a
//    registrant (key 0 and every registrant a holder for all-registrants);
//  - a GOOD REGISTER leaves the sender registered with the new key (or
//    unregistered for key 0);
//  - READ and WRITE conflict exactly as the reservation type says.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "touchstone/scsi/device_server.hpp"

namespace {

using namespace touchstone::scsi;

void oracle(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "scsi_reservations oracle failed: %s\n", what);
  std::abort();
}

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
std::uint64_t be64(const std::uint8_t* p) { return (std::uint64_t{be32(p)} << 32) | be32(p + 4); }
void put32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
void put64(std::uint8_t* p, std::uint64_t v) {
  put32(p, static_cast<std::uint32_t>(v >> 32));
  put32(p + 4, static_cast<std::uint32_t>(v));
}

constexpr std::uint64_t keys[8] = {0, 0x1111, 0x2222, 0x3333, 0xabcdef0123456789ULL, 1, 0x1111, ~0ULL};

nexus make_nexus(const char* initiator, std::uint16_t port) {
  nexus nx;
  nx.it.initiator_port = initiator;
  nx.it.target_port = port == 1 ? "iqn.2026-11.org.touchstone:target,t,0x0001"
                                : "iqn.2026-11.org.touchstone:target,t,0x0002";
  nx.relative_target_port = port;
  return nx;
}

// One registration as READ FULL STATUS reports it.
struct registration {
  std::uint64_t key = 0;
  bool all_tg_pt = false;
  bool holder = false;
  std::uint8_t type = 0;
  std::uint16_t port = 0;
  std::string initiator;  // the TransportID's iSCSI name, ",i,0x" and ISID
};

struct pr_state {
  std::uint32_t generation = 0;
  std::vector<std::uint64_t> keys;  // READ KEYS
  std::optional<std::uint64_t> reservation_key;
  std::uint8_t type = 0;
  std::vector<registration> full;   // READ FULL STATUS
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

class harness {
 public:
  harness() {
    lu_config config;
    config.lun = 0;
    server_.add_lu(std::make_shared<logical_unit>(
        config, std::shared_ptr<block_store>(make_memory_store(512, 16))));
    nexuses_ = {make_nexus("iqn.2026-11.org.fuzz:a,i,0x400001370001", 1),
                make_nexus("iqn.2026-11.org.fuzz:b,i,0x400001370002", 1),
                make_nexus("iqn.2026-11.org.fuzz:c,i,0x400001370003", 1),
                make_nexus("iqn.2026-11.org.fuzz:a,i,0x400001370001", 2)};
    observer_ = make_nexus("iqn.2026-11.org.fuzz:observer,i,0x400001370009", 1);
    // The first command of every nexus reports POWER ON: take it now.
    for (const auto& nx : nexuses_) (void)run(nx, {0, 0, 0, 0, 0, 0}, {}, 0);
    state_ = read_state();
  }

  void run_record(std::uint8_t op, const std::uint8_t*& in, const std::uint8_t* end);

 private:
  response run(const nexus& nx, byte_buffer cdb, byte_buffer data_out, std::uint32_t in_len) {
    request req;
    req.cdb = cdb;
    req.data_out = data_out;
    req.expected_data_in_length = in_len;
    auto r = server_.execute(nx, req);
    // SCSI_RESERVATIONS_TRACE=1: every command and its status, to read a reproducer.
    static const bool trace = std::getenv("SCSI_RESERVATIONS_TRACE") != nullptr;
    if (trace) {
      std::fprintf(stderr, "%s port %u:", nx.it.initiator_port.c_str(), nx.relative_target_port);
      for (auto c : cdb) std::fprintf(stderr, " %02x", c);
      std::fprintf(stderr, " |");
      for (auto c : data_out) std::fprintf(stderr, " %02x", c);
      std::fprintf(stderr, " -> status %02x\n", static_cast<unsigned>(r.status));
    }
    return r;
  }

  response pr_in(const nexus& nx, std::uint8_t sa) {
    byte_buffer cdb(10, 0);
    cdb[0] = 0x5e;
    cdb[1] = sa;
    cdb[7] = 0x10;  // allocation length 4096
    for (int attempt = 0;; ++attempt) {
      auto r = run(nx, cdb, {}, 4096);
      // Unit attentions (registrations preempted, reservations released...)
      // are reported once each; the observer is never a target of them.
      if (r.status != status::check_condition || attempt > 4) return r;
    }
  }

  pr_state read_state();
  void check_state(const pr_state& s);
  void after(std::size_t who, std::uint8_t sa, std::uint64_t sark, bool all_tg_pt, bool is_pr_out,
             const response& r);
  void check_access(std::size_t who, bool write, const response& r, const pr_state& before);
  const registration* find(const pr_state& s, const nexus& nx) const;

  device_server server_;
  std::vector<nexus> nexuses_;
  nexus observer_;
  pr_state state_;
};

pr_state harness::read_state() {
  pr_state s;
  const auto keys_r = pr_in(observer_, 0);
  const auto res_r = pr_in(observer_, 1);
  const auto full_r = pr_in(observer_, 3);
  oracle(keys_r.status == status::good && res_r.status == status::good &&
             full_r.status == status::good,
         "PERSISTENT RESERVE IN failed for a plain observer");
  const auto& k = keys_r.data_in;
  oracle(k.size() >= 8, "READ KEYS shorter than its header");
  s.generation = be32(&k[0]);
  const std::uint32_t klen = be32(&k[4]);
  //= spc4#6.15.2 type=test
  //# The ADDITIONAL LENGTH field indicates the number of bytes in the Reservation key list.
  oracle(klen % 8 == 0 && k.size() == 8 + klen, "READ KEYS length");
  for (std::size_t i = 8; i + 8 <= k.size(); i += 8) s.keys.push_back(be64(&k[i]));

  const auto& rr = res_r.data_in;
  oracle(rr.size() >= 8, "READ RESERVATION shorter than its header");
  //= spc4#6.15.3 type=test
  //# the PRgeneration field ... the same for every PERSISTENT RESERVE IN
  oracle(be32(&rr[0]) == s.generation, "READ RESERVATION's PRgeneration differs from READ KEYS'");
  const std::uint32_t rlen = be32(&rr[4]);
  //= spc4#6.15.3 type=test
  //# at most one persistent reservation: ADDITIONAL LENGTH zero or 10h
  oracle((rlen == 0 && rr.size() == 8) || (rlen == 16 && rr.size() == 24), "READ RESERVATION length");
  if (rlen == 16) {
    s.reservation_key = be64(&rr[8]);
    s.type = rr[21] & 0x0f;
    oracle((rr[21] >> 4) == 0, "a reservation scope other than LU_SCOPE");
  }

  const auto& f = full_r.data_in;
  oracle(f.size() >= 8 && be32(&f[0]) == s.generation, "READ FULL STATUS's PRgeneration differs");
  oracle(f.size() == 8 + std::size_t{be32(&f[4])}, "READ FULL STATUS length");
  for (std::size_t i = 8; i < f.size();) {
    oracle(i + 24 <= f.size(), "a truncated full status descriptor");
    registration reg;
    reg.key = be64(&f[i]);
    reg.all_tg_pt = (f[i + 12] & 0x02) != 0;
    reg.holder = (f[i + 12] & 0x01) != 0;
    reg.type = f[i + 13] & 0x0f;
    reg.port = static_cast<std::uint16_t>((f[i + 18] << 8) | f[i + 19]);
    const std::size_t tid = be32(&f[i + 20]);
    oracle(i + 24 + tid <= f.size() && tid >= 4, "a TransportID beyond the descriptor");
    // iSCSI TransportID, format 01b: the name and ISID, NUL terminated.
    const auto* name = reinterpret_cast<const char*>(&f[i + 28]);
    reg.initiator = lower(std::string(name, strnlen(name, tid - 4)));
    s.full.push_back(reg);
    i += 24 + tid;
  }
  return s;
}

const registration* harness::find(const pr_state& s, const nexus& nx) const {
  const auto name = lower(nx.it.initiator_port);
  for (const auto& r : s.full)
    if (r.initiator == name && (r.all_tg_pt || r.port == nx.relative_target_port)) return &r;
  return nullptr;
}

bool all_registrants(std::uint8_t type) { return type == 0x7 || type == 0x8; }

void harness::check_state(const pr_state& s) {
  for (auto k : s.keys) {
    //= spc4#5.13.7 type=test
    //# a reservation key of zero is never registered
    oracle(k != 0, "a registered key of zero");
    oracle(std::any_of(s.full.begin(), s.full.end(), [&](const auto& r) { return r.key == k; }),
           "READ KEYS lists a key READ FULL STATUS does not");
  }
  for (const auto& r : s.full)
    oracle(std::find(s.keys.begin(), s.keys.end(), r.key) != s.keys.end(),
           "READ FULL STATUS lists a key READ KEYS does not");
  if (!s.reservation_key) {
    for (const auto& r : s.full) oracle(!r.holder, "a holder without a reservation");
    return;
  }
  //= spc4#5.13.9 type=test
  //# a persistent reservation exists only while registrations exist
  oracle(!s.keys.empty(), "a reservation without registrations");
  oracle(s.type == 1 || s.type == 3 || (s.type >= 5 && s.type <= 8), "a reservation of an invalid type");
  if (all_registrants(s.type)) {
    //= spc4#6.15.3 type=test
    //# for an all registrants type the RESERVATION KEY field shall be set to zero
    oracle(*s.reservation_key == 0, "an all-registrants reservation with a non-zero key");
    for (const auto& r : s.full) oracle(r.holder, "a registrant not holding an all-registrants reservation");
  } else {
    std::size_t holders = 0;
    for (const auto& r : s.full) {
      if (!r.holder) continue;
      ++holders;
      oracle(r.key == *s.reservation_key, "the holder's key is not the reservation key");
      oracle(r.type == s.type, "the holder's type is not the reservation's");
    }
    oracle(holders >= 1, "a reservation without a registered holder");
  }
}

void harness::after(std::size_t who, std::uint8_t sa, std::uint64_t sark, bool all_tg_pt,
                    bool is_pr_out, const response& r) {
  const auto before = state_;
  state_ = read_state();
  check_state(state_);
  //= spc4#6.16.2 type=test
  //# The PRgeneration value shall be incremented when a PERSISTENT RESERVE OUT command
  //# requests a REGISTER ..., REGISTER AND IGNORE EXISTING KEY ..., CLEAR ..., PREEMPT ...,
  //# PREEMPT AND ABORT ..., or REGISTER AND MOVE service action. ... shall not be
  //# incremented by ... RESERVE or RELEASE ... or ... terminated due to an error
  const bool counts = is_pr_out && r.status == status::good && sa != 1 && sa != 2 && sa <= 7;
  //= spc4#5.13.7 type=test
  //# an unregistered I_T nexus that registers key zero: no action, GOOD status
  // Whether "no action" spares PRgeneration is not said: either is accepted.
  const bool no_action = counts && (sa == 0 || sa == 6) && sark == 0 &&
                         (who >= nexuses_.size() || find(before, nexuses_[who]) == nullptr);
  if (no_action)
    oracle(state_.generation - before.generation <= 1, "PRgeneration moved by more than one");
  else
    oracle(state_.generation == before.generation + (counts ? 1u : 0u), "PRgeneration moved wrongly");
  if (!is_pr_out || r.status != status::good || (sa != 0 && sa != 6) || who >= nexuses_.size()) return;
  const auto* mine = find(state_, nexuses_[who]);
  //= spc4#5.13.7 type=test
  //# REGISTER with a non-zero service action reservation key registers it; zero unregisters
  if (sark == 0)
    oracle(mine == nullptr, "still registered after REGISTER with key zero");
  else
    // ALL_TG_PT counts for a new registration; a registered nexus only changes its key.
    oracle(mine != nullptr && mine->key == sark &&
               (!all_tg_pt || mine->all_tg_pt || find(before, nexuses_[who]) != nullptr),
           "REGISTER did not register the key");
}

// spc4#5.13.1 table: READ and WRITE under each reservation type and relation.
void harness::check_access(std::size_t who, bool write, const response& r, const pr_state& s) {
  const bool conflict = r.status == status::reservation_conflict;
  if (!s.reservation_key) {
    oracle(!conflict, "a conflict without a persistent reservation");
    return;
  }
  const auto* reg = find(s, nexuses_[who]);
  // An ALL_TG_PT registration covers the initiator on every port, but only
  // the nexus that reserved holds a non-all-registrants reservation
  // (spc4#5.13.9): from outside, which port that was is unknown.
  if (reg && reg->all_tg_pt && reg->holder && !all_registrants(s.type)) return;
  const bool holder = reg && reg->holder;
  bool expected = false;
  if (!holder) {
    const bool exclusive_access = s.type == 3 || s.type == 6 || s.type == 8;
    const bool registrants_may = s.type >= 5;  // registrants only / all registrants
    if (reg && registrants_may)
      expected = false;
    else
      expected = write || exclusive_access;
  }
  //= spc4#5.13.1 type=test
  //# RESERVATION CONFLICT per the type of the persistent reservation and the I_T nexus
  oracle(conflict == expected, "READ/WRITE access differs from the reservation type");
}

void harness::run_record(std::uint8_t op, const std::uint8_t*& in, const std::uint8_t* end) {
  auto next = [&]() -> std::uint8_t { return in < end ? *in++ : 0; };
  const std::size_t who = op & 3;
  const nexus& nx = nexuses_[who];
  const std::uint8_t kind = (op >> 2) % 12;
  if (kind <= 7) {
    // PERSISTENT RESERVE OUT, service action = kind.
    const std::uint8_t a = next(), b = next();
    const std::uint64_t rk = keys[a & 7];
    const std::uint64_t sark = keys[(a >> 3) & 7];
    const std::uint8_t type = b & 0x0f;
    const bool all_tg_pt = (b & 0x10) != 0;
    byte_buffer cdb(10, 0);
    cdb[0] = 0x5f;
    cdb[1] = kind;
    cdb[2] = type;
    byte_buffer param(24, 0);
    put64(&param[0], rk);
    put64(&param[8], sark);
    if (kind == 7) {
      // REGISTER AND MOVE: the destination's TransportID follows.
      const auto& dest = nexuses_[(b >> 5) & 3];
      const std::string tid_name = dest.it.initiator_port;
      std::size_t tid_len = 4 + tid_name.size() + 1;
      tid_len = (tid_len + 3) & ~std::size_t{3};
      param.resize(24 + tid_len, 0);
      param[17] = (b & 0x80) ? 0x02 : 0;  // UNREG
      param[18] = 0;
      param[19] = static_cast<std::uint8_t>(dest.relative_target_port);
      put32(&param[20], static_cast<std::uint32_t>(tid_len));
      param[24] = 0x45;  // format 01b, protocol iSCSI
      param[26] = static_cast<std::uint8_t>((tid_len - 4) >> 8);
      param[27] = static_cast<std::uint8_t>(tid_len - 4);
      std::copy(tid_name.begin(), tid_name.end(), param.begin() + 28);
    } else {
      param[20] = all_tg_pt ? 0x04 : 0;
    }
    put32(&cdb[5], static_cast<std::uint32_t>(param.size()));
    const auto r = run(nx, cdb, param, 0);
    after(who, kind, sark, all_tg_pt, true, r);
    return;
  }
  if (kind == 8 || kind == 9) {
    const bool write = kind == 9;
    byte_buffer cdb(10, 0);
    cdb[0] = write ? 0x2a : 0x28;
    cdb[5] = next() & 0x0f;
    cdb[8] = 1;
    const auto before = state_;
    const auto r = run(nx, cdb, write ? byte_buffer(512, 0x5a) : byte_buffer{}, write ? 0 : 512);
    if (r.status != status::check_condition) check_access(who, write, r, before);
    after(who, 0xff, 0, false, false, r);
    return;
  }
  if (kind == 10) {
    // Raw PERSISTENT RESERVE IN/OUT: CDB and parameter list from the input.
    byte_buffer cdb(10, 0);
    for (auto& c : cdb) c = next();
    const bool out = (cdb[0] & 1) != 0;
    cdb[0] = out ? 0x5f : 0x5e;
    byte_buffer param;
    if (out) {
      const std::size_t n = next();
      for (std::size_t i = 0; i < n; ++i) param.push_back(next());
    }
    const auto r = run(nx, cdb, param, out ? 0 : 8192);
    const std::uint64_t sark = param.size() >= 16 ? be64(&param[8]) : 0;
    // A raw REGISTER's own effect is checked only through the invariants.
    after(out ? nexuses_.size() : who, cdb[1] & 0x1f, sark, false, out, r);
    return;
  }
  // kind 11: TEST UNIT READY, an LU reset or an I_T nexus loss.
  const std::uint8_t c = next() % 3;
  response r;
  if (c == 0) r = run(nx, byte_buffer(6, 0), {}, 0);
  if (c == 1) (void)server_.task_management(nx, tmf_function::logical_unit_reset);
  //= spc4#5.13.10 type=test
  //# registrations and the persistent reservation survive an I_T nexus loss
  if (c == 2) server_.it_nexus_lost(nx.it);
  after(who, 0xff, 0, false, false, r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  harness h;
  const std::uint8_t* in = data;
  const std::uint8_t* end = data + size;
  for (int commands = 0; in < end && commands < 64; ++commands) {
    const std::uint8_t op = *in++;
    h.run_record(op, in, end);
  }
  return 0;
}
