// The data-integrity oracle: canary blocks name themselves; the disturbance
// rule; the probe against the reference target (no finding over rounds),
// against a target that flips one byte of every block read after a write
// (an integrity finding, and its program replays it), and with a fuzzed
// program that overwrites a canary (no finding: the probe rewrites; the
// same overwrite unseen by the log would be one); how a read's status is
// judged; a reservation left behind (a note); dedup by requirement id.
#include <catch2/catch.hpp>

#include "net_test_target.hpp"
#include "touchstone/conformance/cdb.hpp"
#include "touchstone/conformance/scsi_task.hpp"
#include "touchstone/fuzz/net/integrity_probe.hpp"
#include "touchstone/fuzz/net/reproduce.hpp"
#include "touchstone/pdu/all.hpp"

using namespace touchstone;
using namespace touchstone::fuzz::net;

namespace {

integrity_probe_options quick() {
  integrity_probe_options o;
  o.seed = 7;
  o.run.answer_wait = milliseconds{1000};
  o.run.cap = milliseconds{8000};
  return o;
}

std::vector<integrity_problem> problems_of(const std::vector<integrity_session>& round) {
  std::vector<integrity_problem> out;
  for (const auto& s : round)
    if (!s.disturbed) out.insert(out.end(), s.verdict.problems.begin(), s.verdict.problems.end());
  return out;
}

const integrity_session* session(const std::vector<integrity_session>& round, std::string_view purpose) {
  for (const auto& s : round)
    if (s.purpose == purpose) return &s;
  return nullptr;
}

// A fuzzed program (as the generator writes one) that writes LBA `lba` with
// a block that is a canary of another generation (after a TEST UNIT READY
// that takes the new I_T nexus's unit attention).
fuzz::program overwrite(std::uint64_t lba, std::uint32_t block_length) {
  fuzz::program p;
  p.steps.push_back({pdu::scsi_command_builder{}.cdb(conformance::cdb::test_unit_ready()).build(), {}});
  p.steps.push_back({pdu::scsi_command_builder{}.write().expected_data_transfer_length(block_length)
                         .cdb(conformance::cdb::write10(static_cast<std::uint32_t>(lba), 1)).build(), {}});
  p.steps.push_back({pdu::data_out_builder{}.initiator_task_tag(1).target_transfer_tag(0)
                         .data(canary_block({lba, 999, 7}, block_length)).build(), {}});
  return p;
}

}  // namespace

TEST_CASE("a canary block names its LBA, generation and seed", "[integrity][canary]") {
  const auto b = canary_block({1234, 5, 7}, 512);
  REQUIRE(b.size() == 512);
  CHECK(canary_in(b) == canary_id{1234, 5, 7});
  CHECK(canary_block({1234, 5, 7}, 512) == b);
  CHECK(canary_block({1235, 5, 7}, 512) != b);
  CHECK(canary_block({1234, 6, 7}, 512) != b);
  auto zero = pdu::byte_buffer(512, 0);
  CHECK_FALSE(canary_in(zero));
}

TEST_CASE("the disturbance rule: writers over a canary and unknown opcodes disturb", "[integrity][disturbance]") {
  const std::vector<std::uint64_t> lbas{100, 200};
  auto cdb16 = [](pdu::byte_buffer c) { c.resize(16, 0); return c; };
  CHECK_FALSE(cdb_may_change(cdb16(conformance::cdb::read10(100, 8)), lbas));
  CHECK_FALSE(cdb_may_change(cdb16(conformance::cdb::inquiry(96)), lbas));
  CHECK(cdb_may_change(cdb16(conformance::cdb::write10(98, 4)), lbas));
  CHECK_FALSE(cdb_may_change(cdb16(conformance::cdb::write10(101, 4)), lbas));
  CHECK(cdb_may_change(cdb16({0x93}), lbas));  // WRITE SAME(16), 0 blocks: to the end
  CHECK(cdb_may_change(cdb16({0x42}), lbas));  // UNMAP: its ranges are in the data
  CHECK(cdb_may_change(cdb16({0xc7}), lbas));  // not known
  CHECK(cdb_may_change(cdb16({0x1b}), lbas));  // START STOP UNIT: a read may fail after it
  CHECK(cdb_may_change(cdb16(conformance::cdb::write10(5000, 1)), {}));  // canaries not placed yet

  disturbance_log log;
  log.set_canaries(lbas);
  const auto before = log.now();
  CHECK(log.quiet_since(before));
  const bool disturbing = log.started(overwrite(100, 512));
  CHECK(disturbing);
  CHECK_FALSE(log.quiet_since(before));
  const auto during = log.now();
  log.finished(disturbing);
  CHECK_FALSE(log.quiet_since(during));  // it was in flight at the mark
  const auto after = log.now();
  CHECK(log.quiet_since(after));
  CHECK_FALSE(log.started(overwrite(150, 512)));
  CHECK(log.quiet_since(after));
}

TEST_CASE("the integrity probe finds nothing on the reference target", "[integrity][probe]") {
  test::proxied_target t(test::misbehaviour::none);
  const run_target target{t.config()};
  disturbance_log log;
  integrity_probe probe(target, log, quick());
  const auto first = probe.round();
  REQUIRE(probe.plan());
  CHECK(problems_of(first).empty());
  const auto* wrote = session(first, "write and read back");
  REQUIRE(wrote);
  CHECK(wrote->verdict.blocks_written == probe.plan()->canaries.size());
  CHECK(wrote->verdict.blocks_checked == probe.plan()->canaries.size());
  const auto second = probe.round();
  CHECK(problems_of(second).empty());
  const auto* survived = session(second, "check survivors");
  REQUIRE(survived);
  CHECK(survived->verdict.blocks_checked == probe.plan()->canaries.size());
  CHECK(probe.generation() == 2);
}

TEST_CASE("a target that returns one wrong byte after a write gives an integrity finding that replays",
          "[integrity][probe]") {
  test::proxied_target t(test::misbehaviour::corrupt);
  const run_target target{t.config()};
  disturbance_log log;
  integrity_probe probe(target, log, quick());
  const auto round = probe.round();
  const auto found = problems_of(round);
  REQUIRE_FALSE(found.empty());
  CHECK(found.front().requirement == integrity_requirement::wrong_data);
  CHECK(found.front().summary.find("byte 100 of 512 differs") != std::string::npos);
  // The finding's program is the probe's own session: run again, judged
  // alone (as --replay does), it shows the same departure.
  const auto* wrote = session(round, "write and read back");
  REQUIRE(wrote);
  state_graph graph;
  run_options o = quick().run;
  o.keep_read_data = true;
  const auto again = run_program(wrote->prog, target, graph, o);
  const auto verdict = check_integrity(wrote->prog, again);
  REQUIRE_FALSE(verdict.problems.empty());
  CHECK(verdict.problems.front().requirement == integrity_requirement::wrong_data);
}

TEST_CASE("a fuzzed program that overwrites a canary makes the probe rewrite, not report",
          "[integrity][disturbance]") {
  test::proxied_target t(test::misbehaviour::none);
  const run_target target{t.config()};
  disturbance_log log;
  integrity_probe probe(target, log, quick());
  REQUIRE(problems_of(probe.round()).empty());
  REQUIRE(probe.plan());
  const auto lba = probe.plan()->canaries.front().lba;
  const auto program = overwrite(lba, probe.plan()->block_length);
  state_graph graph;
  const bool seen_by_log = GENERATE(true, false);
  const bool disturbing = seen_by_log && log.started(program);
  const auto r = run_program(program, target, graph, quick().run);
  REQUIRE(r.logged_in);
  REQUIRE(r.answers.size() >= 3);
  CHECK(r.answers.back().find("status 0x00") != std::string::npos);  // the write took
  if (seen_by_log) log.finished(disturbing);
  const auto next = probe.round();
  if (seen_by_log) {
    CHECK(disturbing);
    CHECK(problems_of(next).empty());
    const auto* survivors = session(next, "check survivors");
    REQUIRE(survivors);
    CHECK(survivors->disturbed);
    CHECK(survivors->prog.steps.empty());  // not run: the canaries were rewritten
  } else {
    // The control: the same overwrite unseen by the log is a finding (the
    // block read is the other generation's canary).
    const auto found = problems_of(next);
    REQUIRE_FALSE(found.empty());
    CHECK(found.front().lba == lba);
    CHECK(found.front().summary.find("generation 999") != std::string::npos);
  }
}

namespace {

// A run of the write program for one canary, as the executor would keep it:
// steps 0 TEST UNIT READY, 1 WRITE(10), 2 Data-Out, 3 READ(10), ITTs 10-13;
// the write GOOD, the read ending with `status` (and `sense_key`), and
// `data` as its Data-In.
run_result one_canary_run(std::uint8_t status, std::optional<std::uint8_t> sense_key, pdu::byte_buffer data) {
  run_result r;
  r.tasks.step_itts = {10, 11, 12, 13};
  r.tasks.answers.push_back({10, 0, {}, std::uint8_t{0}, std::nullopt});
  r.tasks.answers.push_back({11, 0, {}, std::uint8_t{0}, std::nullopt});
  r.tasks.answers.push_back({13, 0, std::move(data), status, sense_key});
  return r;
}

}  // namespace

TEST_CASE("the oracle judges a read's status: CHECK CONDITION is a finding, conflicts and unit attentions are not",
          "[integrity][check]") {
  canary_plan plan;
  plan.canaries = {{300, 1, 7}};
  const auto p = canary_write_program(plan);
  REQUIRE(p.steps.size() == 4);
  const auto block = canary_block(plan.canaries[0], 512);
  CHECK(check_integrity(p, one_canary_run(0x00, std::nullopt, block)).problems.empty());
  CHECK(check_integrity(p, one_canary_run(0x00, std::nullopt, block)).blocks_checked == 1);

  const auto medium_error = check_integrity(p, one_canary_run(0x02, std::uint8_t{0x03}, {}));
  REQUIRE(medium_error.problems.size() == 1);
  CHECK(medium_error.problems[0].requirement == integrity_requirement::read_failed);

  auto short_block = block;
  short_block.resize(200);
  const auto short_read = check_integrity(p, one_canary_run(0x00, std::nullopt, short_block));
  REQUIRE(short_read.problems.size() == 1);
  CHECK(short_read.problems[0].requirement == integrity_requirement::short_read);

  for (const auto& [status, key] : {std::pair{std::uint8_t{0x18}, std::optional<std::uint8_t>{}},
                                    std::pair{std::uint8_t{0x02}, std::optional<std::uint8_t>{0x06}},
                                    std::pair{std::uint8_t{0x02}, std::optional<std::uint8_t>{0x0b}},
                                    std::pair{std::uint8_t{0x40}, std::optional<std::uint8_t>{}}}) {
    const auto v = check_integrity(p, one_canary_run(status, key, {}));
    CHECK(v.problems.empty());
    CHECK(v.skipped.size() == 1);
  }
}

TEST_CASE("integrity findings are deduplicated by requirement id", "[integrity][findings]") {
  signature a;
  a.kind = finding_kind::integrity;
  a.requirement = std::string(integrity_requirement::wrong_data);
  auto b = a;
  b.last_answer = answer{answer_kind::silence};
  b.at = phase::logout;
  CHECK(a.key() == b.key());
  CHECK(a.key() == "integrity sbc3#section-5.11/read-returns-written-data");
  auto c = a;
  c.requirement = std::string(integrity_requirement::read_failed);
  CHECK(a.key() != c.key());
  CHECK(same_finding(a, b));
  CHECK_FALSE(same_finding(a, c));
  CHECK(name(finding_kind::integrity) == "integrity");
}

namespace {

// PERSISTENT RESERVE OUT with its 24-byte parameter list sent as the
// Data-Out its R2T asks for (spc4, from memory: service action 0 REGISTER,
// 1 RESERVE; type 1 Write Exclusive; the list: reservation key, service
// action reservation key, ...).
void add_pr_out(fuzz::program& p, std::uint8_t action, std::uint64_t key, std::uint64_t new_key) {
  pdu::byte_buffer cdb{0x5f, action, 0x01, 0, 0, 0, 0, 0, 24, 0};
  pdu::byte_buffer list(24, 0);
  for (int i = 0; i < 8; ++i) {
    list[static_cast<std::size_t>(7 - i)] = static_cast<std::uint8_t>(key >> (8 * i));
    list[static_cast<std::size_t>(15 - i)] = static_cast<std::uint8_t>(new_key >> (8 * i));
  }
  const auto task = static_cast<std::uint32_t>(p.steps.size());
  p.steps.push_back({pdu::scsi_command_builder{}.write().expected_data_transfer_length(24).cdb(cdb).build(), {}});
  p.steps.push_back({pdu::data_out_builder{}.initiator_task_tag(task).target_transfer_tag(0).data(list).build(), {}});
}

}  // namespace

TEST_CASE("a persistent reservation a fuzzed program left behind is a note, not a finding",
          "[integrity][reservation]") {
  test::proxied_target t(test::misbehaviour::none);
  const run_target target{t.config()};
  fuzz::program reserve;
  reserve.steps.push_back({pdu::scsi_command_builder{}.cdb(conformance::cdb::test_unit_ready()).build(), {}});
  add_pr_out(reserve, 0x00, 0, 0x1234);  // REGISTER
  add_pr_out(reserve, 0x01, 0x1234, 0);  // RESERVE, Write Exclusive
  state_graph graph;
  const auto r = run_program(reserve, target, graph, quick().run);
  REQUIRE(r.answers.size() >= 2);
  REQUIRE(r.answers.back().find("status 0x00") != std::string::npos);  // reserved
  disturbance_log log;
  integrity_probe probe(target, log, quick());
  const auto round = probe.round();
  CHECK(problems_of(round).empty());
  const auto* wrote = session(round, "write and read back");
  REQUIRE(wrote);
  CHECK(wrote->verdict.blocks_written == 0);
  REQUIRE_FALSE(wrote->verdict.skipped.empty());
  CHECK(wrote->verdict.skipped.front().find("status 0x18") != std::string::npos);  // RESERVATION CONFLICT
}
