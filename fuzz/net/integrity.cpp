// Canary blocks and the probe's session programs (integrity.hpp).
#include "touchstone/fuzz/net/integrity.hpp"

#include <algorithm>
#include <array>

#include "touchstone/conformance/cdb.hpp"
#include "touchstone/conformance/scsi_task.hpp"
#include "touchstone/pdu/data_out.hpp"
#include "touchstone/pdu/scsi_command.hpp"

namespace touchstone::fuzz::net {
namespace {

constexpr std::array<std::uint8_t, 8> magic{'T', 'S', 'C', 'A', 'N', 'A', 'R', 'Y'};

void put_be64(std::uint8_t* at, std::uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) at[i] = static_cast<std::uint8_t>(v);
}

std::uint64_t get_be64(const std::uint8_t* at) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | at[i];
  return v;
}

// splitmix64: the block's stream, from the id and the word's index.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

pdu::pdu command(std::uint16_t lun, pdu::byte_buffer cdb, std::uint32_t length, bool write) {
  pdu::scsi_command_builder b;
  b.read(!write && length > 0).write(write).expected_data_transfer_length(length).lun(conformance::lun_field(lun));
  b.cdb(cdb);
  return b.build();
}

void add_step(program& p, pdu::pdu pdu) { p.steps.push_back(step{std::move(pdu), send_plan{}}); }

// A normal login, then TEST UNIT READY: it takes the unit attention a new
// I_T nexus may be owed (a reset a fuzzed program caused), so the steps
// that follow are not answered with it.
program with_login(std::uint64_t isid, std::uint16_t lun) {
  program p;
  p.login.kind = login_kind::normal;
  p.login.isid = isid & max_isid;
  add_step(p, command(lun, conformance::cdb::test_unit_ready(), 0, false));
  return p;
}

void add_reads(program& p, const canary_plan& plan) {
  for (const auto& c : plan.canaries)
    add_step(p, command(plan.lun, conformance::cdb::read10(static_cast<std::uint32_t>(c.lba), 1),
                        plan.block_length, false));
}

}  // namespace

pdu::byte_buffer canary_block(const canary_id& id, std::uint32_t block_length) {
  pdu::byte_buffer b(std::max<std::size_t>(block_length, canary_header_bytes), 0);
  std::copy(magic.begin(), magic.end(), b.begin());
  put_be64(&b[8], id.lba);
  put_be64(&b[16], id.generation);
  put_be64(&b[24], id.seed);
  const auto base = mix(id.lba) ^ mix(id.generation + 0x5bd1e995) ^ mix(id.seed + 0x1b873593);
  for (std::size_t i = canary_header_bytes; i < b.size(); i += 8) {
    const auto word = mix(base + i / 8);
    for (std::size_t k = 0; k < 8 && i + k < b.size(); ++k) b[i + k] = static_cast<std::uint8_t>(word >> (8 * k));
  }
  return b;
}

std::optional<canary_id> canary_in(pdu::bytes_view block) {
  if (block.size() < canary_header_bytes || !std::equal(magic.begin(), magic.end(), block.begin()))
    return std::nullopt;
  return canary_id{get_be64(&block[8]), get_be64(&block[16]), get_be64(&block[24])};
}

// Per canary: the WRITE(10) (no immediate data: every target takes the
// Data-Out its R2T asks for), the Data-Out answering it (ITT "the task of
// step i", TTT that of its R2T: program.hpp's follow numbering), then the
// reads of every canary in the same session.
program canary_write_program(const canary_plan& plan) {
  auto p = with_login(plan.isid, plan.lun);
  for (const auto& c : plan.canaries) {
    const auto task = static_cast<std::uint32_t>(p.steps.size());
    add_step(p, command(plan.lun, conformance::cdb::write10(static_cast<std::uint32_t>(c.lba), 1),
                        plan.block_length, true));
    add_step(p, pdu::data_out_builder{}
                    .lun(conformance::lun_field(plan.lun))
                    .initiator_task_tag(task)
                    .target_transfer_tag(0)
                    .buffer_offset(0)
                    .data(canary_block(c, plan.block_length))
                    .build());
  }
  add_reads(p, plan);
  return p;
}

program canary_read_program(const canary_plan& plan) {
  auto p = with_login(plan.isid, plan.lun);
  add_reads(p, plan);
  return p;
}

program capacity_program(std::uint16_t lun, std::uint64_t isid) {
  auto p = with_login(isid, lun);
  add_step(p, command(lun, conformance::cdb::read_capacity10(), 8, false));
  return p;
}

}  // namespace touchstone::fuzz::net
