// The mutants of a command's completion (mutant_completion.hpp). Each
// rewrites what the target's own code built, so that code stays as the RFC
// asks; each names the rule it breaks.
#include "mutant_completion.hpp"

#include "touchstone/pdu/data_in.hpp"
#include "touchstone/pdu/opcode.hpp"
#include "touchstone/pdu/scsi_response.hpp"
#include "touchstone/pdu/wire.hpp"

namespace touchstone::target {

namespace {

bool is(const pdu::pdu& p, pdu::opcode op) { return p.op() == op; }

// The Data-In PDUs of `pdus` (the SCSI Response, if any, is last).
std::size_t data_in_count(const std::vector<pdu::pdu>& pdus) {
  std::size_t n = 0;
  while (n < pdus.size() && is(pdus[n], pdu::opcode::data_in)) ++n;
  return n;
}

//= rfc7143#section-11.7.5
//# For input (read) or bidirectional Data-In PDUs, the DataSN is the input
//# PDU number within the data transfer for the command identified by the
//# Initiator Task Tag.
// Mutant datasn-restart breaks it: from the middle on, DataSN counts from 0 again.
void restart_datasn(std::vector<pdu::pdu>& pdus) {
  const std::size_t n = data_in_count(pdus);
  if (n < 2) return;
  for (std::size_t i = n / 2; i < n; ++i)
    pdu::store_be32(&pdus[i].bhs[pdu::data_in_offset::data_sn], static_cast<std::uint32_t>(i - n / 2));
}

//= rfc7143#section-11.4.5.1
//# If the U bit is set, the Residual Count indicates the
//# number of bytes that were not transferred out of the number of bytes
//# expected to be transferred.
// Mutant residual-count-off-by-one breaks it (and the O bit's twin): one more.
void residual_plus_one(std::vector<pdu::pdu>& pdus) {
  constexpr std::uint8_t o_or_u = pdu::residual_flag::overflow | pdu::residual_flag::underflow;
  for (auto& p : pdus) {
    const std::uint8_t flags = p.bhs[1];
    const bool status = is(p, pdu::opcode::scsi_response) ||
                        (is(p, pdu::opcode::data_in) && (flags & pdu::data_in_flag::status) != 0);
    if (!status || (flags & o_or_u) == 0) continue;
    auto* count = &p.bhs[pdu::scsi_response_offset::residual_count];
    pdu::store_be32(count, pdu::load_be32(count) + 1);
  }
}

//= rfc7143#section-11.7.1
//# For incoming data, this bit is 1 for the last input (read) data PDU of a sequence.
// Mutant data-in-final-missing breaks it: the command's last Data-In has
// F=0 (with the status in it too: section 11.7.3 wants F=1 with S=1).
void clear_last_final(std::vector<pdu::pdu>& pdus) {
  const std::size_t n = data_in_count(pdus);
  if (n == 0) return;
  pdus[n - 1].bhs[1] = static_cast<std::uint8_t>(pdus[n - 1].bhs[1] & ~pdu::final_bit_mask);
}

//= rfc7143#section-11.4.5.2
//# When SPDTL = EDTL for a task, the target iSCSI layer completes the
//# task with no residuals.
//= rfc7143#section-11.4.5.1
//# If neither bit is set, the Residual Count
//# field MUST be ignored on reception and SHOULD be set to 0 when
//# sending.
// Mutants residual-flag-on-exact and residual-count-without-flags break them:
// a status without O or U gets the U bit (count 0), or a count of 512.
void bend_exact_residual(std::vector<pdu::pdu>& pdus, bool flag, bool count) {
  constexpr std::uint8_t o_or_u = pdu::residual_flag::overflow | pdu::residual_flag::underflow;
  for (auto& p : pdus) {
    const std::uint8_t flags = p.bhs[1];
    const bool status = is(p, pdu::opcode::scsi_response) ||
                        (is(p, pdu::opcode::data_in) && (flags & pdu::data_in_flag::status) != 0);
    if (!status || (flags & o_or_u) != 0) continue;
    if (flag) p.bhs[1] = static_cast<std::uint8_t>(flags | pdu::residual_flag::underflow);
    if (count) pdu::store_be32(&p.bhs[pdu::scsi_response_offset::residual_count], 512);
  }
}

}  // namespace

void mutate_completion([[maybe_unused]] const mutant_set& set, [[maybe_unused]] std::vector<pdu::pdu>& pdus) {
  if (mutated(set, m::datasn_restart)) restart_datasn(pdus);
  if (mutated(set, m::residual_count_off_by_one)) residual_plus_one(pdus);
  if (mutated(set, m::data_in_final_missing)) clear_last_final(pdus);
  const bool flag = mutated(set, m::residual_flag_on_exact), count = mutated(set, m::residual_count_without_flags);
  if (flag || count) bend_exact_residual(pdus, flag, count);
}

bool mutates_completion([[maybe_unused]] const mutant_set& set) {
  return mutated(set, m::datasn_restart) || mutated(set, m::residual_count_off_by_one) ||
         mutated(set, m::data_in_final_missing) || mutated(set, m::residual_flag_on_exact) ||
         mutated(set, m::residual_count_without_flags);
}

void mutate_cdb([[maybe_unused]] const mutant_set& set, [[maybe_unused]] scsi::byte_buffer& cdb) {
  // spc4#5.13.1 (table 52: what each reservation type allows) and
  // spc4#6.16.1 (PERSISTENT RESERVE OUT: opcode 5Fh, the service action in
  // byte 1, TYPE in byte 2's low nibble). Mutant pr-type-ignored breaks them:
  // RESERVE (01h), RELEASE (02h), PREEMPT (04h) and PREEMPT AND ABORT (05h)
  // act as Write Exclusive (1h) whatever TYPE they carry.
  if (!mutated(set, m::pr_type_ignored) || cdb.size() < 3 || cdb[0] != 0x5f) return;
  const std::uint8_t action = cdb[1] & 0x1f;
  if (action == 0x01 || action == 0x02 || action == 0x04 || action == 0x05)
    cdb[2] = static_cast<std::uint8_t>((cdb[2] & 0xf0) | 0x01);
}

}  // namespace touchstone::target
