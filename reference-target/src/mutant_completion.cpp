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

//= rfc7143#section-11.7.2
//# The target MUST
//# NOT set to 1 the A bit for sessions with ErrorRecoveryLevel=0.
// Mutant data-in-ack-at-erl0 breaks it (this target runs at ERL 0 only): the
// command's last Data-In asks for an acknowledgement.
void ack_last_data_in(std::vector<pdu::pdu>& pdus) {
  const std::size_t n = data_in_count(pdus);
  if (n == 0) return;
  pdus[n - 1].bhs[1] = static_cast<std::uint8_t>(pdus[n - 1].bhs[1] | pdu::data_in_flag::acknowledge);
}

//= rfc7143#section-11.4.6
//# If neither bit is set, the Bidirectional Read Residual Count field is
//# reserved.
//= rfc7143#section-11.4.5.2
//# If SPDTL < EDTL for a task, iSCSI Underflow MUST be signaled in the
//# SCSI Response PDU as specified in Section 11.4.5.1.
// Mutants bidi-residual-count-without-flags and bidi-read-residual-missing
// break them: a SCSI Response without o or u gets a count of 512; a
// bidirectional read underflow loses its u bit and count.
void bend_bidi_residual(std::vector<pdu::pdu>& pdus, bool count_without_flags, bool drop_underflow) {
  constexpr std::uint8_t o_or_u = pdu::residual_flag::bidi_read_overflow | pdu::residual_flag::bidi_read_underflow;
  for (auto& p : pdus) {
    if (!is(p, pdu::opcode::scsi_response)) continue;
    auto* count = &p.bhs[pdu::scsi_response_offset::bidi_read_residual_count];
    if (count_without_flags && (p.bhs[1] & o_or_u) == 0) pdu::store_be32(count, 512);
    if (drop_underflow && (p.bhs[1] & pdu::residual_flag::bidi_read_underflow) != 0) {
      p.bhs[1] = static_cast<std::uint8_t>(p.bhs[1] & ~pdu::residual_flag::bidi_read_underflow);
      pdu::store_be32(count, 0);
    }
  }
}

//= rfc7143#section-11.7.3
//# If the command is completed with an error, then the response and sense
//# data MUST be sent in a SCSI Response PDU (i.e., MUST NOT be sent in a
//# SCSI data packet).
// Mutant error-status-in-data-in breaks it: a lone SCSI Response with CHECK
// CONDITION becomes a Data-In with F and S set, the status in it, no data.
void status_into_data_in(std::vector<pdu::pdu>& pdus) {
  constexpr std::uint8_t check_condition = 0x02;
  if (pdus.size() != 1 || !is(pdus[0], pdu::opcode::scsi_response) || pdus[0].bhs[3] != check_condition) return;
  auto& p = pdus[0];
  p.bhs[0] = static_cast<std::uint8_t>(pdu::opcode::data_in);
  p.bhs[1] = static_cast<std::uint8_t>(pdu::final_bit_mask | pdu::data_in_flag::status |
                                       (p.bhs[1] & (pdu::residual_flag::overflow | pdu::residual_flag::underflow)));
  p.bhs[2] = 0;  // reserved in a Data-In (the iSCSI response code of a SCSI Response)
  pdu::store_be24(&p.bhs[5], 0);
  pdu::store_be32(&p.bhs[pdu::data_in_offset::target_transfer_tag], pdu::reserved_tag);
  pdu::store_be32(&p.bhs[pdu::data_in_offset::data_sn], 0);
  pdu::store_be32(&p.bhs[pdu::data_in_offset::buffer_offset], 0);
  p.data.clear();
}

}  // namespace

void mutate_completion([[maybe_unused]] const mutant_set& set, [[maybe_unused]] std::vector<pdu::pdu>& pdus) {
  if (mutated(set, m::datasn_restart)) restart_datasn(pdus);
  if (mutated(set, m::residual_count_off_by_one)) residual_plus_one(pdus);
  if (mutated(set, m::data_in_final_missing)) clear_last_final(pdus);
  const bool flag = mutated(set, m::residual_flag_on_exact), count = mutated(set, m::residual_count_without_flags);
  if (flag || count) bend_exact_residual(pdus, flag, count);
  // wave 5A
  if (mutated(set, m::data_in_ack_at_erl0)) ack_last_data_in(pdus);
  const bool bidi_count = mutated(set, m::bidi_residual_count_without_flags);
  const bool bidi_missing = mutated(set, m::bidi_read_residual_missing);
  if (bidi_count || bidi_missing) bend_bidi_residual(pdus, bidi_count, bidi_missing);
  if (mutated(set, m::error_status_in_data_in)) status_into_data_in(pdus);
}

bool mutates_completion([[maybe_unused]] const mutant_set& set) {
  return mutated(set, m::datasn_restart) || mutated(set, m::residual_count_off_by_one) ||
         mutated(set, m::data_in_final_missing) || mutated(set, m::residual_flag_on_exact) ||
         mutated(set, m::residual_count_without_flags) || mutated(set, m::data_in_ack_at_erl0) ||
         mutated(set, m::bidi_residual_count_without_flags) || mutated(set, m::bidi_read_residual_missing) ||
         mutated(set, m::error_status_in_data_in);
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
