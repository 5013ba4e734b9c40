// Program groups of the three kinds issue 12 names. Members log in as
// Normal sessions with the run's names (the offers are the single-session
// programs' business); their ISIDs say which I_T nexus each is.
#include "touchstone/fuzz/group_generator.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "pick.hpp"
#include "touchstone/pdu/all.hpp"

namespace touchstone::fuzz {
namespace {

// SPC-4 from memory (spc4#6.16.2, 6.16.3): PR OUT service actions and
// reservation TYPEs.
constexpr std::uint8_t pr_register = 0x0, pr_reserve = 0x1, pr_release = 0x2, pr_clear = 0x3,
                       pr_preempt = 0x4, pr_register_and_ignore = 0x6;
constexpr std::uint8_t pr_out_opcode = 0x5f;
constexpr std::size_t cdb_at = 32;  // the CDB's first byte in a SCSI Command's BHS
constexpr std::array<std::uint8_t, 6> pr_types = {0x1, 0x3, 0x5, 0x6, 0x7, 0x8};
constexpr std::uint64_t base_isid = 0x8000'4d55'0000;  // T=2 (random), "MU"
constexpr std::uint64_t key_base = 0x7473'0000'0000'0000;

void put_be64(pdu::byte_buffer& b, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
}

step scsi_step(pdu::byte_buffer cdb, bool read, std::uint32_t bytes, pdu::byte_buffer data = {}) {
  pdu::scsi_command_builder b;
  b.cdb(cdb).expected_data_transfer_length(bytes);
  if (read) b.read();
  if (!read && bytes > 0) b.write();
  if (!data.empty()) b.data(std::move(data));
  return step{b.build(), send_plan{}};
}

// READ(10) or WRITE(10) of one 512-byte block at LBA 0 (sbc3#5.11, 5.35),
// or TEST UNIT READY: what the other nexuses do under a reservation.
step io_step(rng& r) {
  switch (uniform(r, 0, 2)) {
    case 0: return scsi_step({0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}, true, 512);
    case 1: return scsi_step({0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0}, false, 512, pdu::byte_buffer(512, 0x5a));
    default: return scsi_step(pdu::byte_buffer(6, 0), false, 0);
  }
}

// counts[i] turns of session i, shuffled, appended to schedule.
void append_mixed(std::vector<std::uint8_t>& schedule, const std::vector<std::size_t>& counts, rng& r) {
  std::vector<std::uint8_t> s;
  for (std::size_t i = 0; i < counts.size(); ++i) s.insert(s.end(), counts[i], static_cast<std::uint8_t>(i));
  for (std::size_t i = s.size(); i > 1; --i) std::swap(s[i - 1], s[uniform(r, 0, i - 1)]);
  schedule.insert(schedule.end(), s.begin(), s.end());
}

}  // namespace

std::string_view name(group_kind k) {
  switch (k) {
    case group_kind::reservations: return "reservations";
    case group_kind::session_reinstatement: return "session-reinstatement";
    case group_kind::connection_reinstatement: return "connection-reinstatement";
    case group_kind::racing: return "racing";
  }
  return "?";
}

step pr_out_step(std::uint8_t action, std::uint8_t type, std::uint64_t key, std::uint64_t service_action_key) {
  // CDB: opcode 5Fh, SERVICE ACTION (byte 1), SCOPE|TYPE (byte 2),
  // PARAMETER LIST LENGTH (bytes 5-8); list: RESERVATION KEY (0-7),
  // SERVICE ACTION RESERVATION KEY (8-15), the rest 0.
  pdu::byte_buffer cdb{0x5f, action, type, 0, 0, 0, 0, 0, 24, 0};
  pdu::byte_buffer list(24, 0);
  put_be64(list, 0, key);
  put_be64(list, 8, service_action_key);
  return scsi_step(std::move(cdb), false, 24, std::move(list));
}

std::vector<std::uint8_t> shuffled_schedule(const program_group& g, std::mt19937_64& r) {
  std::vector<std::size_t> counts;
  for (const auto& p : g.sessions) counts.push_back(std::max<std::size_t>(1, p.steps.size()));
  std::vector<std::uint8_t> s;
  append_mixed(s, counts, r);
  return s;
}

bool sends_pr_out(const program_group& g) {
  for (const auto& p : g.sessions)
    for (const auto& s : p.steps)
      if (s.pdu.op() == pdu::opcode::scsi_command && s.pdu.bhs[cdb_at] == pr_out_opcode) return true;
  return false;
}

program reservation_cleanup() {
  program p;
  p.login.isid = base_isid + 0x30;
  constexpr std::uint64_t cleaner_key = key_base | 0xc1ea;
  p.steps.push_back(scsi_step(pdu::byte_buffer(6, 0), false, 0));
  p.steps.push_back(pr_out_step(pr_register_and_ignore, 0, 0, cleaner_key));
  p.steps.push_back(pr_out_step(pr_clear, 0, cleaner_key, 0));
  return p;
}

group_generator::group_generator(std::uint64_t seed, generator_options options) : gen_(seed, options) {}

program_group group_generator::next() {
  return next(static_cast<group_kind>(uniform(gen_.engine(), 0, 3)));
}

program_group group_generator::next(group_kind k) {
  switch (k) {
    case group_kind::reservations: return reservations();
    case group_kind::session_reinstatement: return reinstatement(false);
    case group_kind::connection_reinstatement: return reinstatement(true);
    default: return racing();
  }
}

program group_generator::member(std::uint64_t isid, std::size_t steps) {
  program p;
  p.login.isid = isid;
  while (p.steps.size() < steps) {
    for (auto& s : gen_.ffp_steps(p.steps.size()))
      if (p.steps.size() < steps) p.steps.push_back(std::move(s));
  }
  return p;
}

// One nexus registers and reserves (a TYPE at random), the others (some
// registered too) read, write and test; the holder may preempt or release
// on the way and mostly CLEARs at the end, so the reservation does not
// outlive the group (a later session of the campaign would meet it).
program_group group_generator::reservations() {
  auto& r = gen_.engine();
  program_group g;
  const auto n = uniform(r, 2, 3);
  const auto type = pr_types[uniform(r, 0, pr_types.size() - 1)];
  const auto key = [](std::uint64_t i) { return key_base | (i + 1); };
  for (std::uint64_t i = 0; i < n; ++i) g.sessions.push_back(program{login_plan{}, {}});
  for (std::uint64_t i = 0; i < n; ++i) g.sessions[i].login.isid = base_isid + i;
  // Each nexus's first command takes its unit attention (a new nexus's
  // power-on one, spc4 from memory), so the PR commands are not its victims.
  for (auto& p : g.sessions) p.steps.push_back(scsi_step(pdu::byte_buffer(6, 0), false, 0));
  auto& holder = g.sessions[0].steps;
  holder.push_back(pr_out_step(pr_register, 0, 0, key(0)));
  holder.push_back(pr_out_step(pr_reserve, type, key(0), 0));
  for (std::uint64_t i = 1; i < n; ++i) {
    if (chance(r, 50)) g.sessions[i].steps.push_back(pr_out_step(pr_register, 0, 0, key(i)));
    for (auto k = uniform(r, 1, 4); k > 0; --k) g.sessions[i].steps.push_back(io_step(r));
  }
  switch (uniform(r, 0, 3)) {
    case 0: holder.push_back(pr_out_step(pr_preempt, type, key(0), key(1))); break;
    case 1: holder.push_back(pr_out_step(pr_release, type, key(0), 0)); break;
    default: break;
  }
  for (std::uint64_t i = 1; i < n; ++i) g.sessions[i].steps.push_back(io_step(r));
  const bool clears = chance(r, 90);
  if (clears) holder.push_back(pr_out_step(pr_clear, 0, key(0), 0));
  // The holder's first three turns first and its CLEAR last; the rest mixed.
  std::vector<std::size_t> counts{holder.size() - 3 - (clears ? 1 : 0)};
  for (std::uint64_t i = 1; i < n; ++i) counts.push_back(g.sessions[i].steps.size());
  g.schedule = {0, 0, 0};
  append_mixed(g.schedule, counts, r);
  if (clears) g.schedule.push_back(0);
  return g;
}

// Session 0 logs in and runs a few steps; session 1 logs in with its ISID
// (TSIH 0: the session is reinstated; its TSIH and CID: the connection
// is), then both go on. The old connection's close is the answer to see.
program_group group_generator::reinstatement(bool connection) {
  auto& r = gen_.engine();
  program_group g;
  const auto isid = base_isid + 0x10 + uniform(r, 0, 15);
  g.sessions = {member(isid, uniform(r, 1, 6)), member(isid, uniform(r, 1, 6))};
  if (connection) g.tsih_from = {-1, 0};
  const auto before = uniform(r, 1, g.sessions[0].steps.size());
  g.schedule.assign(before, 0);
  g.schedule.push_back(1);
  append_mixed(g.schedule, {g.sessions[0].steps.size() - before, g.sessions[1].steps.size() - 1}, r);
  return g;
}

// One program (Normal login) on 2-4 sessions of distinct ISIDs, their
// turns shuffled: the same commands, tags and numbers, racing.
program_group group_generator::racing() {
  auto& r = gen_.engine();
  program_group g;
  const auto n = uniform(r, 2, max_group_sessions);
  const auto p = member(base_isid + 0x20, uniform(r, 1, 8));
  for (std::uint64_t i = 0; i < n; ++i) {
    g.sessions.push_back(p);
    g.sessions.back().login.isid = base_isid + 0x20 + i;
  }
  g.schedule = shuffled_schedule(g, r);
  return g;
}

}  // namespace touchstone::fuzz
