// The integrity probe's rounds (integrity_probe.hpp).
#include "touchstone/fuzz/net/integrity_probe.hpp"

#include <algorithm>

#include "touchstone/conformance/cdb.hpp"

namespace touchstone::fuzz::net {
namespace {

// The probe's ISIDs: T=2 (random), B=0xca4a ("canary"), D a counter, so a
// probe session never reinstates a fuzzed one (their B is 0) or a liveness
// probe's.
std::uint64_t probe_isid(std::uint64_t n) { return 0x8000'0000'0000ull | 0xca4aull << 24 | (n & 0xffff); }

// LUN blocks: [1, last] minus the last few; the canaries at (2k+1)/2n of it.
std::vector<std::uint64_t> spread(std::uint64_t last_lba, int n) {
  std::vector<std::uint64_t> lbas;
  const std::uint64_t usable = last_lba > 16 ? last_lba - 8 : 0;
  for (int k = 0; k < n && usable > 0; ++k) {
    const auto lba = 8 + usable * static_cast<std::uint64_t>(2 * k + 1) / static_cast<std::uint64_t>(2 * n);
    if (lbas.empty() || lbas.back() != lba) lbas.push_back(std::min<std::uint64_t>(lba, 0xffffffffull));
  }
  return lbas;
}

}  // namespace

integrity_probe::integrity_probe(const run_target& target, disturbance_log& log, integrity_probe_options o)
    : target_(target), log_(log), o_(std::move(o)) {
  o_.run.keep_read_data = true;
  o_.run.keep_traffic = true;
  o_.canaries = std::clamp(o_.canaries, 1, 16);
}

integrity_session integrity_probe::run_session(std::string purpose, program p, const canary_expectations* expected) {
  integrity_session s;
  s.purpose = std::move(purpose);
  s.prog = std::move(p);
  state_graph scratch;  // the probe's transitions are not the campaign's coverage
  s.run = run_program(s.prog, target_, scratch, o_.run);
  s.verdict = check_integrity(s.prog, s.run, expected);
  if (!s.run.logged_in) s.note = "the probe could not log in: " + s.run.detail;
  return s;
}

bool integrity_probe::ensure_plan(std::vector<integrity_session>& out) {
  if (plan_) return true;
  auto s = run_session("read capacity", capacity_program(target_.config.lun, probe_isid(isid_counter_++)), nullptr);
  std::optional<conformance::cdb::capacity> cap;
  if (s.run.tasks.step_itts.size() >= 2) {
    const auto itt = s.run.tasks.step_itts[1];
    if (s.run.tasks.status_of(itt) == std::uint8_t{0})
      cap = conformance::cdb::parse_capacity10(s.run.tasks.data_of(itt, 8));
  }
  if (!cap || cap->block_length < canary_header_bytes || cap->block_length > max_data_segment || cap->last_lba < 32) {
    if (s.note.empty()) s.note = "READ CAPACITY(10) gave no usable capacity: no canaries this round";
    out.push_back(std::move(s));
    return false;
  }
  canary_plan plan;
  plan.block_length = cap->block_length;
  plan.lun = target_.config.lun;
  for (const auto lba : spread(cap->last_lba, o_.canaries)) plan.canaries.push_back({lba, 0, o_.seed});
  std::vector<std::uint64_t> lbas;
  for (const auto& c : plan.canaries) lbas.push_back(c.lba);
  log_.set_canaries(std::move(lbas));
  plan_ = std::move(plan);
  return true;
}

void integrity_probe::check_survivors(std::vector<integrity_session>& out) {
  if (!written_at_) return;
  if (!log_.quiet_since(*written_at_)) {
    // Not run: the session is listed so the round says why.
    integrity_session s;
    s.purpose = "check survivors";
    s.disturbed = true;
    s.note = "a fuzzed program that may change the canaries ran since they were written: rewritten, not read";
    out.push_back(std::move(s));
    return;
  }
  auto plan = *plan_;
  plan.isid = probe_isid(isid_counter_++);
  auto s = run_session("check survivors", canary_read_program(plan), &expected_);
  // A disturbance that began while the reads ran may have changed a block
  // before it was read: then nothing is judged.
  s.disturbed = !log_.quiet_since(*written_at_);
  if (s.disturbed) s.note = "a fuzzed program that may change the canaries ran during the check";
  out.push_back(std::move(s));
}

void integrity_probe::write_next(std::vector<integrity_session>& out) {
  written_at_.reset();
  const auto mark = log_.now();
  auto plan = *plan_;
  plan.isid = probe_isid(isid_counter_++);
  ++generation_;
  for (auto& c : plan.canaries) c.generation = generation_;
  auto s = run_session("write and read back", canary_write_program(plan), nullptr);
  s.disturbed = !log_.quiet_since(mark);
  if (s.disturbed) s.note = "a fuzzed program that may change the canaries ran while they were written";
  if (!s.disturbed && s.verdict.problems.empty() && s.verdict.blocks_written == plan.canaries.size()) {
    written_at_ = mark;
    expected_.clear();
    for (const auto& c : plan.canaries) expected_[c.lba] = canary_block(c, plan.block_length);
  }
  out.push_back(std::move(s));
}

std::vector<integrity_session> integrity_probe::round() {
  std::vector<integrity_session> out;
  if (!ensure_plan(out)) return out;
  check_survivors(out);
  write_next(out);
  return out;
}

}  // namespace touchstone::fuzz::net
