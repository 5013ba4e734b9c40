// check_integrity(): what one run of a canary program says about the data
// (integrity.hpp). The rule, from SBC-3 (quoted from memory, not from the
// text; the section number too): a WRITE(10) that completes with GOOD
// status has transferred its blocks to the medium, and a READ(10) returns
// the data of the logical blocks it names (sbc3#section-5.11, READ(10)).
// So a READ(10) of a block written with GOOD, and not written since, must
// end GOOD with exactly those bytes.
#include <set>

#include "touchstone/fuzz/net/integrity.hpp"
#include "touchstone/pdu/serial.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::fuzz::net {
namespace {

constexpr std::uint8_t good = 0x00, check_condition = 0x02, unit_attention = 0x06, aborted_command = 0x0b;
constexpr std::uint8_t op_read10 = 0x28, op_write10 = 0x2a, op_read_capacity10 = 0x25, op_tur = 0x00;

struct rw {
  std::uint8_t op = 0;
  std::uint64_t lba = 0;
  std::uint32_t blocks = 0;
  std::uint32_t length = 0;  // EDTL
};

rw decode(const pdu::pdu& p) {
  const auto* cdb = &p.bhs[32];
  return {cdb[0], pdu::load_be32(cdb + 2), static_cast<std::uint32_t>(cdb[7] << 8 | cdb[8]),
          pdu::load_be32(&p.bhs[20])};
}

std::string hex(pdu::bytes_view b, std::size_t from, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = from; i < b.size() && i < from + n; ++i) {
    if (!out.empty()) out += ' ';
    out += digits[b[i] >> 4];
    out += digits[b[i] & 0xf];
  }
  return out.empty() ? "(nothing)" : out;
}

std::string status_name(std::uint8_t s) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", s);
  return text;
}

// "byte 17 differs: expected 8a 01 ... got 8a 00 ..." (16 bytes from there),
// and what the block read is when it names itself.
std::string difference(pdu::bytes_view want, pdu::bytes_view got) {
  std::size_t at = 0;
  while (at < want.size() && at < got.size() && want[at] == got[at]) ++at;
  auto text = "byte " + std::to_string(at) + " of " + std::to_string(want.size()) + " differs: expected " +
              hex(want, at, 16) + ", got " + hex(got, at, 16);
  if (const auto id = canary_in(got))
    text += " (the block read is the canary of LBA " + std::to_string(id->lba) + ", generation " +
            std::to_string(id->generation) + ", seed " + std::to_string(id->seed) + ")";
  return text;
}

class checker {
 public:
  checker(const program& p, const run_result& r, const canary_expectations* e) : p_(p), r_(r), expected_(e) {}
  integrity_verdict run();

 private:
  void on_write(std::size_t i, const rw& c);
  void on_read(std::size_t i, const rw& c);
  void judge_block(const std::string& where, std::uint64_t lba, pdu::bytes_view got, std::uint32_t bl);
  const pdu::byte_buffer* expectation(std::uint64_t lba) const;
  void problem(std::string_view req, std::uint64_t lba, std::string text) {
    v_.problems.push_back({std::string(req), std::move(text), lba});
  }

  const program& p_;
  const run_result& r_;
  const canary_expectations* expected_;
  canary_expectations written_;
  std::set<std::uint64_t> unknown_;  // written without GOOD: anything may be there
  bool foreign_ = false;             // another command ran: judge nothing after it
  integrity_verdict v_;
};

const pdu::byte_buffer* checker::expectation(std::uint64_t lba) const {
  if (foreign_ || unknown_.count(lba)) return nullptr;
  if (const auto w = written_.find(lba); w != written_.end()) return &w->second;
  if (expected_)
    if (const auto e = expected_->find(lba); e != expected_->end()) return &e->second;
  return nullptr;
}

// The data a WRITE at step i sent: its `follow` Data-Out steps (ITT field
// i) laid out by buffer offset; how many bytes they covered in `got`.
pdu::byte_buffer data_written(const program& p, std::size_t i, std::uint32_t length, std::size_t& got) {
  pdu::byte_buffer data(length, 0);
  got = 0;
  for (std::size_t j = i + 1; j < p.steps.size(); ++j) {
    const auto& d = p.steps[j].pdu;
    if (d.op() != pdu::opcode::data_out || p.steps[j].send.numbers != numbering::follow ||
        d.header().initiator_task_tag() != i)
      continue;
    const std::size_t offset = pdu::load_be32(&d.bhs[40]);
    for (std::size_t k = 0; k < d.data.size() && offset + k < data.size(); ++k, ++got) data[offset + k] = d.data[k];
  }
  return data;
}

void checker::on_write(std::size_t i, const rw& c) {
  for (std::uint32_t k = 0; k < c.blocks; ++k) {
    written_.erase(c.lba + k);
    unknown_.insert(c.lba + k);
  }
  // Blocks of whole canaries, within the bound on what a run keeps.
  const bool judgeable = c.blocks > 0 && c.length % c.blocks == 0 && c.length / c.blocks >= canary_header_bytes &&
                         c.length <= max_task_data_bytes;
  const auto bl = judgeable ? c.length / c.blocks : 0;
  std::size_t got = 0;
  const auto data = judgeable ? data_written(p_, i, c.length, got) : pdu::byte_buffer{};
  const auto itt = i < r_.tasks.step_itts.size() ? std::optional(r_.tasks.step_itts[i]) : std::nullopt;
  const auto status = itt ? r_.tasks.status_of(*itt) : std::nullopt;
  if (!judgeable || !status || *status != good || got != data.size()) {
    v_.skipped.push_back("WRITE(10) of LBA " + std::to_string(c.lba) + " (step " + std::to_string(i) + ") " +
                         (status ? "ended with status " + status_name(*status) : "got no status") +
                         ": its blocks are not judged");
    return;
  }
  for (std::uint32_t k = 0; k < c.blocks; ++k) {
    const pdu::bytes_view block(data.data() + std::size_t{k} * bl, bl);
    if (!canary_in(block)) continue;  // not a canary: not ours to judge
    unknown_.erase(c.lba + k);
    written_[c.lba + k].assign(block.begin(), block.end());
    ++v_.blocks_written;
  }
}

void checker::judge_block(const std::string& where, std::uint64_t lba, pdu::bytes_view got, std::uint32_t bl) {
  const auto* want = expectation(lba);
  if (want) {
    ++v_.blocks_checked;
    if (got.size() < want->size())
      problem(integrity_requirement::short_read, lba,
              where + ": GOOD with " + std::to_string(got.size()) + " of " + std::to_string(want->size()) +
                  " bytes of LBA " + std::to_string(lba) + " (" + difference(*want, got) + ")");
    else if (!std::equal(want->begin(), want->end(), got.begin()))
      problem(integrity_requirement::wrong_data, lba,
              where + ": GOOD with wrong bytes for LBA " + std::to_string(lba) + ": " + difference(*want, got));
    return;
  }
  if (foreign_ || unknown_.count(lba)) return;
  // No expectation: judged only when the block names itself a canary.
  const auto id = canary_in(got);
  if (!id || got.size() < bl) return;
  ++v_.blocks_checked;
  auto own = canary_block(*id, bl);
  if (id->lba != lba) own = canary_block({lba, id->generation, id->seed}, bl);
  if (!std::equal(own.begin(), own.end(), got.begin()))
    problem(integrity_requirement::wrong_data, lba,
            where + ": GOOD with a canary block that is not LBA " + std::to_string(lba) + "'s: " +
                difference(own, got));
}

void checker::on_read(std::size_t i, const rw& c) {
  if (!c.blocks || c.length % c.blocks || c.length > max_task_data_bytes) return;
  const auto bl = c.length / c.blocks;
  const auto where = "READ(10) of LBA " + std::to_string(c.lba) + " (step " + std::to_string(i) + ")";
  bool owed = false;
  for (std::uint32_t k = 0; k < c.blocks; ++k) owed = owed || expectation(c.lba + k);
  if (i >= r_.tasks.step_itts.size() || r_.tasks.truncated) {
    if (owed) v_.skipped.push_back(where + ": not sent or not kept (the run was cut short)");
    return;
  }
  const auto itt = r_.tasks.step_itts[i];
  const auto status = r_.tasks.status_of(itt);
  if (!status) {
    if (owed) v_.skipped.push_back(where + ": no status came (liveness judges that, not this oracle)");
    return;
  }
  // sam5 (from memory, section not checked): a unit attention condition is
  // reported on a later command of each I_T nexus it was established for.
  // A unit attention (a reset or a reservation change a fuzzed program
  // caused) and ABORTED COMMAND (a task set cleared by another nexus's TMF)
  // say nothing about the data; nor do RESERVATION CONFLICT, BUSY, TASK SET
  // FULL, TASK ABORTED or any status but CHECK CONDITION.
  const auto key = r_.tasks.sense_key_of(itt);
  const bool judged =
      *status == good || (*status == check_condition && key != unit_attention && key != aborted_command);
  if (!judged) {
    v_.skipped.push_back(where + ": status " + status_name(*status) +
                         (key ? ", sense key " + status_name(*key) : std::string()) +
                         " (a reservation, a reset, a full or cleared task set: not the data)");
    return;
  }
  if (*status == check_condition) {
    if (owed)
      problem(integrity_requirement::read_failed, c.lba,
              where + ": CHECK CONDITION (sense key " + (key ? status_name(*key) : std::string("none")) +
                  ") on a plain read of a block written with GOOD");
    return;
  }
  const auto data = r_.tasks.data_of(itt, c.length);
  for (std::uint32_t k = 0; k < c.blocks; ++k) {
    const std::size_t from = std::min<std::size_t>(data.size(), std::size_t{k} * bl);
    const std::size_t to = std::min<std::size_t>(data.size(), from + bl);
    judge_block(where, c.lba + k, pdu::bytes_view(data.data() + from, to - from), bl);
  }
}

integrity_verdict checker::run() {
  for (std::size_t i = 0; i < p_.steps.size(); ++i) {
    const auto& s = p_.steps[i];
    if (s.pdu.op() != pdu::opcode::scsi_command) continue;
    const auto c = decode(s.pdu);
    const bool follows = s.send.numbers == numbering::follow;
    if (follows && c.op == op_write10) on_write(i, c);
    else if (follows && c.op == op_read10) on_read(i, c);
    else if (c.op != op_read_capacity10 && c.op != op_tur) foreign_ = true;
  }
  return std::move(v_);
}

}  // namespace

integrity_verdict check_integrity(const program& p, const run_result& r, const canary_expectations* expected) {
  return checker(p, r, expected).run();
}

}  // namespace touchstone::fuzz::net
